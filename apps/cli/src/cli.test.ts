import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

async function cnnkit(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...process.env, CNNKIT_BACKEND: '' } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('cnnkit backends', () => {
  it('--json lists cpu and wasm as available and training-capable, webgpu with its adapter, cuda unavailable with the install hint', async () => {
    const { code, stdout } = await cnnkit('backends', '--json');
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.name)).toEqual(['cpu', 'wasm', 'webgpu', 'cuda', 'onnx']);
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    for (const name of ['cpu', 'wasm']) {
      expect(byName[name]).toMatchObject({ available: true, reason: null, device: 'cpu', training: true, threads: 1 });
      expect(byName[name].version).toMatch(/^4\.22\.0/);
    }
    // vitest.config.ts gives Dawn SwiftShader where there is no GPU (CI requires it): a software adapter.
    expect(byName.webgpu).toMatchObject({ device: 'gpu', training: true });
    if (byName.webgpu.available) {
      expect(byName.webgpu.adapter).toMatchObject({ vendor: expect.any(String), architecture: expect.any(String), description: expect.any(String), software: expect.any(Boolean) });
    } else {
      expect(byName.webgpu.adapter).toBeNull();
      expect(byName.webgpu.reason).toMatch(/Vulkan|adapter|webgpu/);
    }
    if ((process.env.CNNKIT_REQUIRE_BACKENDS ?? '').split(',').includes('webgpu') && process.env.VK_ICD_FILENAMES?.includes('swiftshader')) {
      expect(byName.webgpu).toMatchObject({ available: true, adapter: { vendor: 'google', architecture: 'swiftshader', software: true } });
    }
    expect(byName.cuda).toMatchObject({ available: false, device: 'gpu', training: true });
    expect(byName.cuda.reason).toContain('npm install @tensorflow/tfjs-node-gpu');
    // onnx: onnxruntime-node runs exported files and the ORT training engine, and reports its own version.
    expect(byName.onnx).toMatchObject({ available: true, reason: null, device: 'cpu', training: true, threads: 1, version: (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version });
    expect(Object.keys(byName.cpu).sort()).toEqual(['available', 'device', 'name', 'reason', 'threads', 'training', 'version']);
  });

  it('prints a table by default', async () => {
    const { code, stdout } = await cnnkit('backends');
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^backend\s+available\s+device\s+training\s+threads\s+version$/);
    expect(stdout).toMatch(/^wasm\s+yes\s+cpu\s+yes\s+1\s+4\.22\.0/m);
    expect(stdout).toMatch(/^onnx\s+yes\s+cpu\s+yes\s+1\s+1\.30\.0$/m);
  });
});

describe('cnnkit user errors', () => {
  it.each([
    [['bench', '--backends', 'tpu'], /unknown backend "tpu"; expected one of: cpu, wasm, webgpu, cuda, onnx/],
    [['bench', '--size', 'big'], /--size expects a positive integer, received "big"/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('%j exits 1 with one line and no stack trace', async (args, message) => {
    const { code, stderr } = await cnnkit(...args);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
