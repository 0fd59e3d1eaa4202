import { readFile } from 'node:fs/promises';
import { CnnkitError } from '@cnnkit/tensor-core';
import type * as Ort from 'onnxruntime-node';
import { readOnnxMetadata } from './onnx-metadata.js';

/** The exporter's tensor names (DESIGN.md "Exported ONNX"). */
const INPUT = 'image';
const OUTPUT = 'probabilities';
/**
 * Largest image side and class count an ONNX file may declare: callers resize every
 * picture to the declared size and allocate the declared outputs, so a file claiming
 * 1e9 x 1e9 pixels would ask for exabytes (the CLI's --image-size stops at 4096 too).
 */
export const MAX_ONNX_IMAGE_SIDE = 4096;
export const MAX_ONNX_OUTPUT_UNITS = 1_000_000;

export interface OnnxPredictor {
  /** From the file's `classNames` metadata (written by `@cnnkit/export`); empty if absent. */
  readonly classNames: string[];
  /** `[height, width, 3]` of the raw 0..255 NHWC images the model takes. */
  readonly inputShape: [number, number, number];
  /** Units per image in the output: 1 for a binary (sigmoid) model, else the class count. */
  readonly outputUnits: number;
  /**
   * Probabilities, row-major `[n, outputUnits]`, for `n` raw 0..255 NHWC float32 images
   * (the same input as the layers model: rescaling is inside it).
   */
  predict(images: Float32Array, n: number): Promise<Float32Array>;
  /** Releases the onnxruntime session. */
  dispose(): Promise<void>;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0].trim();
}

/**
 * Opens an `.onnx` file written by `cnnkit export` in onnxruntime-node. Errors are one
 * line naming the file: missing, unreadable, corrupt, or not the exporter's contract
 * (input `image` [N, H, W, 3], output `probabilities`).
 *
 * @example
 * ```ts
 * const predictor = await loadOnnxPredictor('run/model.onnx');
 * const probabilities = await predictor.predict(pixels, 1); // Float32Array [1, k]
 * await predictor.dispose();
 * ```
 */
export async function loadOnnxPredictor(path: string): Promise<OnnxPredictor> {
  const fail = (problem: string) => new CnnkitError('ONNX_MODEL', `loadOnnxPredictor: ${path}: ${problem}`);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw fail(`cannot read the file (${code}); expected an .onnx file written by "cnnkit export"`);
  }
  let metadata: Map<string, string>;
  try {
    metadata = readOnnxMetadata(bytes);
  } catch (error) {
    throw fail(`not a valid ONNX model (${firstLine(error)}); re-export it with "cnnkit export"`);
  }
  let classNames: string[] = [];
  const stored = metadata.get('classNames');
  if (stored !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(stored);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || parsed.some((c) => typeof c !== 'string')) throw fail(`expected metadata "classNames" to be a JSON list of strings, received ${stored.slice(0, 80)}`);
    classNames = parsed as string[];
  }
  const ort = await import('onnxruntime-node');
  let session: Ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes);
  } catch (error) {
    throw fail(`not a valid ONNX model (${firstLine(error)}); re-export it with "cnnkit export"`);
  }
  try {
    const input = session.inputMetadata.find((m) => m.name === INPUT);
    const output = session.outputMetadata.find((m) => m.name === OUTPUT);
    const inDims = input?.isTensor ? input.shape : [];
    const outDims = output?.isTensor ? output.shape : [];
    if (inDims.length !== 4 || inDims.slice(1).some((d) => typeof d !== 'number') || inDims[3] !== 3) {
      throw fail(
        `expected input "${INPUT}" float32 [N, H, W, 3] (the cnnkit export contract), found inputs ${session.inputNames.join(', ')}${input ? ` with shape [${inDims.join(', ')}]` : ''}`,
      );
    }
    if (outDims.length !== 2 || typeof outDims[1] !== 'number') {
      throw fail(`expected output "${OUTPUT}" [N, classes], found outputs ${session.outputNames.join(', ')}${output ? ` with shape [${outDims.join(', ')}]` : ''}`);
    }
    const [h, w] = inDims.slice(1, 3) as number[];
    const units = outDims[1] as number;
    if (![h, w].every((d) => Number.isSafeInteger(d) && d >= 1 && d <= MAX_ONNX_IMAGE_SIDE)) {
      throw fail(`input "${INPUT}" declares images of ${h}x${w} pixels; expected 1..${MAX_ONNX_IMAGE_SIDE} a side`);
    }
    if (!Number.isSafeInteger(units) || units < 1 || units > MAX_ONNX_OUTPUT_UNITS) {
      throw fail(`output "${OUTPUT}" declares ${units} units; expected 1..${MAX_ONNX_OUTPUT_UNITS}`);
    }
    const expectedNames = units === 1 ? 2 : units;
    if (classNames.length > 0 && classNames.length !== expectedNames) {
      throw fail(`metadata "classNames" has ${classNames.length} names but the output has ${units} unit(s); expected ${expectedNames}`);
    }
    let open = true;
    return {
      classNames,
      inputShape: [h, w, 3],
      outputUnits: units,
      predict: async (images: Float32Array, n: number): Promise<Float32Array> => {
        if (!open) throw new CnnkitError('ONNX_MODEL', `predict: the predictor for ${path} was disposed`);
        if (!Number.isInteger(n) || n < 1 || !(images instanceof Float32Array) || images.length !== n * h * w * 3) {
          throw new CnnkitError(
            'INVALID_ARGUMENT',
            `predict (${path}): expected n >= 1 images as a Float32Array of n*${h}*${w}*3 raw 0..255 NHWC values, received n=${n} and ${images instanceof Float32Array ? images.length : typeof images} values`,
          );
        }
        let results: Ort.InferenceSession.OnnxValueMapType;
        try {
          results = await session.run({ [INPUT]: new ort.Tensor('float32', images, [n, h, w, 3]) });
        } catch (error) {
          // A damaged file can pass the checks above and still fail inside onnxruntime.
          throw new CnnkitError('ONNX_MODEL', `predict: ${path}: onnxruntime could not run the model (${firstLine(error)}); re-export it with "cnnkit export"`);
        }
        const out = results[OUTPUT];
        if (out === undefined || out.type !== 'float32' || out.data.length !== n * units) {
          throw new CnnkitError('ONNX_MODEL', `predict: ${path}: expected output "${OUTPUT}" of ${n}x${units} float32 values, received ${out === undefined ? 'none' : `${out.data.length} ${out.type}`}; re-export it with "cnnkit export"`);
        }
        const copy = Float32Array.from(out.data as Float32Array);
        out.dispose();
        return copy;
      },
      dispose: async () => {
        if (!open) return;
        open = false;
        await session.release();
      },
    };
  } catch (error) {
    await session.release();
    throw error;
  }
}
