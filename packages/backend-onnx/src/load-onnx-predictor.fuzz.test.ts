import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wasmBackend } from '@cnnkit/backend-wasm';
import { exportAndVerify } from '@cnnkit/export';
import { modelFromJson } from '@cnnkit/layers';
import { BackendRegistry, CnnkitError, selectBackend } from '@cnnkit/tensor-core';
import { fuzzRuns } from '@cnnkit/vitest-config/fuzz';
import { fc, it as prop } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOnnxPredictor } from './load-onnx-predictor.js';

let dir: string;
let onnx: Uint8Array;
let cases = 0;
const outcomes = { ok: 0, error: 0 };
const CASE_TIME_LIMIT_MS = 5_000;

/** A small exported model: rescaling, a convolution, pooling, a softmax head. */
async function exported(shape: number[], path: string): Promise<void> {
  const model = modelFromJson({
    className: 'Sequential',
    config: {
      name: 'tiny',
      seed: 1,
      layers: [
        { className: 'InputLayer', config: { shape } },
        { className: 'Rescaling', config: { scale: 1 / 255 } },
        { className: 'Conv2D', config: { filters: 2, kernelSize: 1 } },
        { className: 'GlobalAveragePooling2D', config: {} },
        { className: 'Dense', config: { units: 3, activation: 'softmax' } },
      ],
    },
  });
  await exportAndVerify(model, path, { classNames: ['a', 'b', 'c'] });
  model.dispose();
}

beforeAll(async () => {
  await selectBackend({ name: 'wasm', registry: new BackendRegistry().add(wasmBackend()) });
  dir = await mkdtemp(join(tmpdir(), 'cnnkit-onnx-fuzz-'));
  await exported([4, 4, 3], join(dir, 'good.onnx'));
  onnx = await readFile(join(dir, 'good.onnx'));
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  expect(outcomes.ok).toBeGreaterThan(0);
  expect(outcomes.error).toBeGreaterThan(0);
});

const damage = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.oneof(fc.constantFrom(0, 0xff, 0x7f, 0x80, 0x08, 0x12), fc.nat(255)) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  ),
  { minLength: 1, maxLength: 3 },
);

describe('fuzz: the ONNX predictor\'s input file', () => {
  it('a file declaring images over 4096 pixels a side is refused (callers resize every picture to it)', async () => {
    const path = join(dir, 'tall.onnx');
    await exported([4097, 1, 3], path);
    await expect(loadOnnxPredictor(path)).rejects.toThrow(/tall\.onnx: input "image" declares images of 4097x1 pixels; expected 1\.\.4096 a side/);
  }, 120_000);

  prop.prop([damage], fuzzRuns(100))('damaged .onnx bytes open into a working predictor or fail with one ONNX_MODEL line', async (edits) => {
    let bytes = Uint8Array.from(onnx);
    for (const e of edits) {
      const at = e.at % (bytes.length + 1);
      if (e.kind === 'set' && at < bytes.length) bytes[at] = e.byte;
      else if (e.kind === 'truncate') bytes = bytes.slice(0, at);
    }
    const path = join(dir, `case-${cases++}.onnx`);
    await writeFile(path, bytes);
    const start = performance.now();
    try {
      const predictor = await loadOnnxPredictor(path);
      try {
        // A damaged graph may still open and then fail to run: that, too, must be an ONNX_MODEL error.
        const [h, w] = predictor.inputShape;
        const out = await predictor.predict(new Float32Array(h * w * 3).fill(128), 1);
        expect(out.length).toBe(predictor.outputUnits);
      } finally {
        await predictor.dispose();
      }
      outcomes.ok++;
    } catch (error) {
      if (!(error instanceof CnnkitError)) throw new Error(`expected a CnnkitError or a predictor, received ${String(error)}`, { cause: error });
      expect(error.code).toBe('ONNX_MODEL');
      expect(error.message).toContain(path);
      expect(error.message).not.toMatch(/\n/);
      outcomes.error++;
    }
    expect(performance.now() - start).toBeLessThan(CASE_TIME_LIMIT_MS);
    await rm(path, { force: true });
  });
});
