import { describe, expect, it } from 'vitest';
import { toAdapterInfo } from './adapter-info.js';
import { explainNoAdapter, probeAdapter } from './probe-adapter.js';

describe('explainNoAdapter: what Dawn printed -> a reason and a fix a person can act on', () => {
  it.each([
    // [Dawn's stderr (as seen on Debian 12), probe error, reason, fix]
    [
      "Warning: Couldn't load Vulkan: /lib/x86_64-linux-gnu/libvulkan.so.1: file too short",
      null,
      'the Vulkan loader libvulkan.so.1 is not installed',
      /apt-get install libvulkan1/,
    ],
    [
      'Warning: vkCreateInstance: Found no drivers!\nWarning: vkCreateInstance failed with VK_ERROR_INCOMPATIBLE_DRIVER',
      null,
      'the Vulkan loader found no GPU driver',
      /mesa-vulkan-drivers.*VK_ICD_FILENAMES=\/usr\/lib\/chromium\/vk_swiftshader_icd\.json/,
    ],
    [
      'Warning: Vulkan shaderUniform*ArrayDynamicIndexing required.\n - While initializing adapter (backend=BackendType::Vulkan)',
      null,
      'the only Vulkan driver here is too old for Dawn (it lacks shaderUniform*ArrayDynamicIndexing)',
      /Mesa >= 23/,
    ],
    [
      '',
      "Error: /x/dawn.node: cannot open shared object file",
      "the webgpu package is installed but its native module failed to load (Error: /x/dawn.node: cannot open shared object file)",
      /npm install webgpu@0\.6\.2/,
    ],
    ['error: XDG_RUNTIME_DIR is invalid or not set in the environment.', null, 'WebGPU (Dawn) found no GPU adapter', /GPU driver with Vulkan support/],
  ] as const)('%s', (stderr, error, reason, fix) => {
    const explained = explainNoAdapter(stderr, error, 'linux');
    expect(explained.reason).toBe(reason);
    expect(explained.fix).toMatch(fix);
  });

  it('names the platform graphics API off Linux', () => {
    expect(explainNoAdapter('', null, 'darwin').fix).toMatch(/Metal/);
    expect(explainNoAdapter('', null, 'win32').fix).toMatch(/Direct3D 12/);
  });
});

describe('toAdapterInfo: software adapters are recognised by flag or driver name', () => {
  it.each([
    [{ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' }, false, true],
    [{ vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }, false, true],
    [{ vendor: 'microsoft', architecture: '', description: 'Microsoft Basic Render Driver' }, false, true],
    [{ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200', isFallbackAdapter: true }, false, true],
    [{ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' }, true, true],
    [{ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' }, false, false],
    [{ vendor: 'amd', architecture: 'rdna-3', description: '' }, false, false],
  ] as const)('%j (adapter fallback flag %s) -> software %s', (info, fallback, software) => {
    expect(toAdapterInfo(info, fallback).software).toBe(software);
  });

  it('fills an empty description from the device and vendor names', () => {
    expect(toAdapterInfo({ vendor: 'amd', architecture: 'rdna-3', device: 'Radeon 7900', description: '' }).description).toBe('Radeon 7900 amd rdna-3');
  });
});

describe('probeAdapter in Node', () => {
  it('answers from a child process, so this process never loads Dawn', async () => {
    const found = await probeAdapter();
    // With SwiftShader (vitest.config.ts) the adapter is found and flagged as software;
    // without a Vulkan driver the reason is one of the explained ones.
    if (found.available) expect(found.adapter.description.length).toBeGreaterThan(0);
    else expect(found.reason).toMatch(/Vulkan|adapter|webgpu/);
    expect('GPUBufferUsage' in globalThis).toBe(false);
  });
});
