import { CnnkitError, createRng } from '@cnnkit/tensor-core';
import type * as Ort from 'onnxruntime-node';
import { ONNX_INPUT_NAME, ONNX_OUTPUT_NAME } from './export-onnx.js';

/** Computes the same model's output on the training backend for one NHWC batch. */
export type ReferenceFn = (input: Float32Array, shape: readonly [number, number, number, number]) => Promise<Float32Array>;

export interface VerifyInput {
  data: Float32Array;
  /** [N, H, W, C] */
  shape: readonly [number, number, number, number];
}

export interface VerifyOnnxOptions {
  /**
   * Batches to compare on. A number list means random raw pixels (0..255,
   * seeded) of those batch sizes at the file's input size. Default [1, 3]: two
   * batch sizes exercise the dynamic batch dim.
   */
  inputs?: readonly VerifyInput[] | readonly number[];
  /** Largest accepted max absolute difference; default 1e-4 (DESIGN.md). */
  tolerance?: number;
  seed?: number;
}

export interface VerifyOnnxResult {
  /** Largest |onnx - reference| over every input. */
  maxAbsDiff: number;
  tolerance: number;
  ok: boolean;
  perInput: { shape: number[]; outputShape: number[]; maxAbsDiff: number }[];
}

function staticInputSize(session: Ort.InferenceSession): [number, number, number] | null {
  const meta = session.inputMetadata.find((m) => m.name === ONNX_INPUT_NAME);
  if (!meta || !meta.isTensor) return null;
  const dims = meta.shape.slice(1);
  return dims.length === 3 && dims.every((d) => typeof d === 'number') ? (dims as [number, number, number]) : null;
}

/**
 * Runs the ONNX file in onnxruntime-node and compares its `probabilities`
 * against `reference` on the same inputs. Never throws for a mismatch (see `ok`);
 * throws if the file does not load or has the wrong output size.
 *
 * @example
 * const result = await verifyOnnx(bytes, async (x, shape) => predictWithTfjs(x, shape), { inputs: [1, 3] });
 * if (!result.ok) console.error(`max abs diff ${result.maxAbsDiff}`);
 */
export async function verifyOnnx(bytes: Uint8Array, reference: ReferenceFn, options: VerifyOnnxOptions = {}): Promise<VerifyOnnxResult> {
  const tolerance = options.tolerance ?? 1e-4;
  // Loaded on use: exporting needs no native runtime, only verifying does.
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(bytes);
  try {
    let inputs: VerifyInput[];
    const requested = options.inputs ?? [1, 3];
    if (requested.length === 0) {
      throw new CnnkitError('VERIFY_ONNX', 'ONNX verification: options.inputs expected at least one batch (or batch size), received none');
    }
    if (requested.length > 0 && typeof requested[0] === 'number') {
      const size = staticInputSize(session);
      if (!size) throw new CnnkitError('VERIFY_ONNX', `ONNX verification: expected input "${ONNX_INPUT_NAME}" of shape [N, H, W, C] with static H, W, C to generate inputs`);
      const rng = createRng(options.seed ?? 1234);
      inputs = (requested as readonly number[]).map((n) => {
        const shape = [n, ...size] as [number, number, number, number];
        return { shape, data: rng.fillUniform(new Float32Array(shape.reduce((a, b) => a * b, 1)), 0, 255) };
      });
    } else {
      inputs = [...(requested as readonly VerifyInput[])];
    }
    const perInput: VerifyOnnxResult['perInput'] = [];
    for (const input of inputs) {
      const feeds = { [ONNX_INPUT_NAME]: new ort.Tensor('float32', input.data, [...input.shape]) };
      const results = await session.run(feeds);
      const output = results[ONNX_OUTPUT_NAME];
      const actual = output.data as Float32Array;
      const expected = await reference(input.data, input.shape);
      if (expected.length !== actual.length) {
        throw new CnnkitError(
          'VERIFY_ONNX',
          `ONNX verification: output "${ONNX_OUTPUT_NAME}" has ${actual.length} values (shape [${output.dims.join(', ')}]) but the reference returned ${expected.length} for input shape [${input.shape.join(', ')}]`,
        );
      }
      let maxAbsDiff = 0;
      for (let i = 0; i < actual.length; i++) {
        const d = Math.abs(actual[i] - expected[i]);
        // NaN on either side is a failure, not a silently ignored element.
        maxAbsDiff = Number.isNaN(d) ? Number.POSITIVE_INFINITY : Math.max(maxAbsDiff, d);
      }
      perInput.push({ shape: [...input.shape], outputShape: [...output.dims], maxAbsDiff });
    }
    const maxAbsDiff = perInput.reduce((a, p) => Math.max(a, p.maxAbsDiff), 0);
    return { maxAbsDiff, tolerance, ok: maxAbsDiff <= tolerance, perInput };
  } finally {
    await session.release();
  }
}
