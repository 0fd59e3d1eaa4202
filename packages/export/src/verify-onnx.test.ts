import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { exportOnnx } from './export-onnx.js';
import { chain, layer } from './test-utils/harness.js';
import { verifyOnnx } from './verify-onnx.js';

// Rescaling(1/255) then ReLU: a model whose exact output a test can write by hand.
const model = chain([2, 2, 3], [layer('act', 'Activation', [], { activation: 'relu' })]);
const exact = async (x: Float32Array) => x.map((v) => Math.max(v / 255, 0));

describe('verifyOnnx', () => {
  it('reports a tiny difference against an exact reference, on generated batches of 1 and 3', async () => {
    const result = await verifyOnnx(exportOnnx(model), exact);
    expect(result.ok).toBe(true);
    expect(result.tolerance).toBe(1e-4);
    expect(result.maxAbsDiff).toBeLessThan(1e-6);
    expect(result.perInput.map((p) => p.shape)).toEqual([[1, 2, 2, 3], [3, 2, 2, 3]]);
    expect(result.perInput.map((p) => p.outputShape)).toEqual([[1, 2, 2, 3], [3, 2, 2, 3]]);
  });

  it('reports the max difference of a wrong reference and ok = false', async () => {
    const inputs = [{ data: new Float32Array(12).fill(51), shape: [1, 2, 2, 3] as const }];
    const result = await verifyOnnx(exportOnnx(model), async (x) => (await exact(x)).map((v, i) => (i === 5 ? v + 0.25 : v)), { inputs });
    expect(result.ok).toBe(false);
    expect(result.maxAbsDiff).toBeCloseTo(0.25, 6);
  });

  it('treats NaN as a mismatch', async () => {
    const result = await verifyOnnx(exportOnnx(model), async (x) => (await exact(x)).map(() => Number.NaN), { inputs: [1] });
    expect(result.ok).toBe(false);
    expect(result.maxAbsDiff).toBe(Number.POSITIVE_INFINITY);
  });

  it('throws when the reference returns a different number of values', async () => {
    await expect(verifyOnnx(exportOnnx(model), async () => new Float32Array(3), { inputs: [1] })).rejects.toThrow(
      /output "probabilities" has 12 values \(shape \[1, 2, 2, 3\]\) but the reference returned 3/,
    );
  });

  it('feeds onnxruntime the file as written (dynamic N: batch 5 runs too)', async () => {
    const session = await ort.InferenceSession.create(exportOnnx(model));
    const out = await session.run({ image: new ort.Tensor('float32', new Float32Array(5 * 12).fill(255), [5, 2, 2, 3]) });
    expect(out.probabilities.dims).toEqual([5, 2, 2, 3]);
    await session.release();
  });

  it('refuses an empty input list rather than reporting a vacuous ok', async () => {
    await expect(verifyOnnx(exportOnnx(model), exact, { inputs: [] })).rejects.toThrow(/options.inputs expected at least one batch/);
  });
});
