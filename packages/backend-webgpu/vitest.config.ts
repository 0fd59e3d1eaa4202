import { existsSync } from 'node:fs';
import { cnnkitVitestConfig } from '@cnnkit/vitest-config';

// Without a GPU, Chromium's SwiftShader Vulkan driver gives Dawn an exact (slow) software
// adapter. It is used only when no driver was chosen explicitly (VK_DRIVER_FILES, the
// loader's newer name, wins over VK_ICD_FILENAMES), so a GPU machine tests its GPU.
const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
const env: Record<string, string> = {};
if (process.env.VK_DRIVER_FILES === undefined && process.env.VK_ICD_FILENAMES === undefined && existsSync(swiftshader)) {
  env.VK_ICD_FILENAMES = swiftshader;
}

export default cnnkitVitestConfig({ test: { env } });
