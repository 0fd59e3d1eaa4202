import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { webgpuTestEnv } from '@cnnkit/vitest-config';
import { describe, expect, inject, it } from 'vitest';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));

/** `version` satisfies a caret range `^M.m.p` (M > 0): same major, not older. */
function satisfiesCaret(version: string, range: string): boolean {
  const m = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range);
  const v = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (m === null || v === null || m[1] === '0') throw new Error(`satisfiesCaret: expected ^M.m.p (M > 0) and M.m.p, received "${range}" and "${version}"`);
  const [a, b] = [m, v].map((x) => x.slice(1).map(Number));
  return a[0] === b[0] && (b[1] > a[1] || (b[1] === a[1] && b[2] >= a[2]));
}

describe('satisfiesCaret', () => {
  it.each([
    ['1.30.0', '^1.30.0', true],
    ['1.31.1', '^1.30.0', true],
    ['1.29.9', '^1.30.0', false],
    ['2.0.0', '^1.30.0', false],
    ['1.30.1', '^1.30.2', false],
  ])('%s in %s: %s', (version, range, ok) => expect(satisfiesCaret(version, range)).toBe(ok));
});

describe('onnxruntime-node', () => {
  it('is one caret range in every package that uses it', async () => {
    const specs = new Set<string>();
    for (const group of ['packages', 'apps']) {
      for (const folder of await readdir(join(root, group))) {
        const json = JSON.parse(await readFile(join(root, group, folder, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
        for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
          const spec = json[field]?.['onnxruntime-node'];
          if (spec !== undefined) specs.add(spec);
        }
      }
    }
    expect([...specs]).toHaveLength(1);
    expect([...specs][0]).toMatch(/^\^\d+\.\d+\.\d+$/);
  });
});

describe('installing the packed packages with plain npm', () => {
  it('imports them outside the workspace and runs a conv forward pass on cpu, wasm and webgpu that agree', async () => {
    // The project the README's install lines made (global-setup.ts), as a user would have it.
    const app = inject('scratch');
    await writeFile(
      join(app, 'pack-main.js'),
      `import { tf, BackendRegistry, selectBackend } from '@cnnkit/tensor-core';
import { cpuBackend } from '@cnnkit/backend-cpu';
import { wasmBackend } from '@cnnkit/backend-wasm';
import { webgpuBackend } from '@cnnkit/backend-webgpu';
import { cudaBackend } from '@cnnkit/backend-cuda';
import { loadOnnxPredictor, onnxBackend } from '@cnnkit/backend-onnx';
import { float32Tensor, int64Tensor, nodeProto, serializeModel, valueInfo } from '@cnnkit/onnx-proto';
import { writeFileSync } from 'node:fs';
const registry = new BackendRegistry().add(cpuBackend()).add(wasmBackend()).add(webgpuBackend()).add(cudaBackend()).add(onnxBackend());
const out = {};
out.webgpuAvailability = await registry.get('webgpu').isAvailable();
for (const name of ['cpu', 'wasm', ...(out.webgpuAvailability.available ? ['webgpu'] : [])]) {
  await selectBackend({ name, registry });
  const x = tf.tensor4d(Array.from({ length: 2 * 5 * 5 * 3 }, (_, i) => Math.sin(i)), [2, 5, 5, 3]);
  const f = tf.tensor4d(Array.from({ length: 3 * 3 * 3 * 2 }, (_, i) => Math.cos(i)), [3, 3, 3, 2]);
  out[name] = Array.from(await tf.conv2d(x, f, 1, 'same').data());
}
out.cuda = await registry.get('cuda').isAvailable();
out.onnx = { ...(await registry.get('onnx').isAvailable()), version: registry.get('onnx').version() };
// A file in the export contract written with the packed onnx-proto, read back by the packed backend-onnx:
// probabilities = sigmoid(flatten(image) . w), image [N, 1, 2, 3].
const w = [0.01, -0.02, 0.03, -0.04, 0.05, -0.06];
writeFileSync('pack-tiny.onnx', serializeModel({
  graph: {
    name: 'tiny',
    nodes: [
      nodeProto('Reshape', ['image', 'flat_shape'], ['flat']),
      nodeProto('MatMul', ['flat', 'w'], ['logit']),
      nodeProto('Sigmoid', ['logit'], ['probabilities']),
    ],
    initializers: [int64Tensor('flat_shape', [-1, 6]), float32Tensor('w', [6, 1], w)],
    inputs: [valueInfo('image', ['N', 1, 2, 3])],
    outputs: [valueInfo('probabilities', ['N', 1])],
  },
  opset: 17, producerName: 'pack-test', producerVersion: '0', metadata: { classNames: '["no","yes"]' },
}));
const predictor = await loadOnnxPredictor('pack-tiny.onnx');
const pixels = Float32Array.from([10, 20, 30, 40, 50, 60, 0, 0, 0, 0, 0, 255]);
out.tiny = { classNames: predictor.classNames, inputShape: predictor.inputShape, probabilities: Array.from(await predictor.predict(pixels, 2)) };
await predictor.dispose();
console.log(JSON.stringify(out));
`,
    );
    const { stdout } = await exec(process.execPath, ['pack-main.js'], { cwd: app, env: { ...process.env, ...webgpuTestEnv() } });
    const out = JSON.parse(stdout.trim().split('\n').pop()!) as {
      cpu: number[];
      wasm: number[];
      webgpu?: number[];
      webgpuAvailability: { available: boolean; reason?: string };
      cuda: { available: boolean };
      onnx: { available: boolean; version: string | null };
      tiny: { classNames: string[]; inputShape: number[]; probabilities: number[] };
    };
    expect(out.cpu).toHaveLength(2 * 5 * 5 * 2);
    // Hand-checkable anchor: the centre output of image 0, channel 0, is the full 3x3x3 dot product.
    let centre = 0;
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++)
        for (let c = 0; c < 3; c++) centre += Math.sin(((1 + i) * 5 + (1 + j)) * 3 + c) * Math.cos(((i * 3 + j) * 3 + c) * 2);
    expect(out.cpu[(2 * 5 + 2) * 2]).toBeCloseTo(centre, 4);
    for (let i = 0; i < out.cpu.length; i++) expect(Math.abs(out.wasm[i] - out.cpu[i])).toBeLessThan(1e-4);
    // webgpu from its tarball, with Dawn (npm webgpu) installed as its optional dependency.
    const requireWebgpu = (process.env.CNNKIT_REQUIRE_BACKENDS ?? '').split(',').includes('webgpu');
    if (requireWebgpu) expect(out.webgpuAvailability, 'webgpu from the packed package').toMatchObject({ available: true });
    if (out.webgpu !== undefined) for (let i = 0; i < out.cpu.length; i++) expect(Math.abs(out.webgpu[i] - out.cpu[i])).toBeLessThan(1e-4);
    expect(await readdir(join(app, 'node_modules'))).toContain('webgpu');
    expect(out.cuda.available).toBe(false);
    // onnxruntime-node ships its CPU binaries in the package: it loads with its install script skipped.
    expect(out.onnx.available).toBe(true);
    const range = (JSON.parse(await readFile(join(root, 'packages/backend-onnx/package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['onnxruntime-node'];
    expect(satisfiesCaret(out.onnx.version!, range), `onnxruntime-node ${out.onnx.version} in ${range}`).toBe(true);
    // By hand: image 0 gives 0.1 - 0.4 + 0.9 - 1.6 + 2.5 - 3.6 = -2.1, image 1 gives -0.06 * 255 = -15.3.
    expect(out.tiny.classNames).toEqual(['no', 'yes']);
    expect(out.tiny.inputShape).toEqual([1, 2, 3]);
    expect(out.tiny.probabilities[0]).toBeCloseTo(1 / (1 + Math.exp(2.1)), 6);
    expect(out.tiny.probabilities[1]).toBeCloseTo(1 / (1 + Math.exp(15.3)), 6);
    // The peer dependency on tfjs-core is satisfied by npm, and the optional tfjs-node-gpu is not pulled in.
    const installed = await readdir(join(app, 'node_modules', '@tensorflow'));
    expect(installed).toContain('tfjs-core');
    expect(installed).not.toContain('tfjs-node-gpu');
  });
});
