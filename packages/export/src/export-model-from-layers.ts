import { CnnkitError, createRng, tf } from '@cnnkit/tensor-core';
import type { Layer, Model } from '@cnnkit/layers';
import type { ExportLayer, ExportModel, ExportWeight } from './export-model.js';
import { exportOnnx } from './export-onnx.js';
import { verifyOnnx, type VerifyInput, type VerifyOnnxResult } from './verify-onnx.js';
import { writeOnnx } from './write-onnx.js';

export interface ExportModelOptions {
  /** ONNX opset, 13..21; default 17. */
  opset?: number;
  /** Written to the file's `classNames` metadata; 2 names for a 1-unit (sigmoid) head, else one per unit. */
  classNames?: readonly string[];
}

export interface VerifyExportOptions {
  /** Real images (raw 0..255 NHWC) compared in addition to the random batches of 1 and 3. */
  images?: { data: Float32Array; shape: [number, number, number, number] }[];
  /** Largest accepted max |onnx - predict|; default 1e-4 (DESIGN.md). */
  tolerance?: number;
  /** Seed of the random batches; default 1234. */
  seed?: number;
}

export type VerifyExportResult = VerifyOnnxResult;

/** layers names weights in Keras's snake case (`moving_mean`); the exporter reads Keras 3 camelCase keys. */
function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

async function weightsOf(layer: Layer): Promise<Record<string, ExportWeight>> {
  const out: Record<string, ExportWeight> = {};
  for (const w of layer.weights) {
    // An asynchronous read works on every backend (a GPU has no synchronous one in Node);
    // Float32Array.from guarantees our own buffer.
    out[camelCase(w.name)] = { shape: [...w.variable.shape], values: Float32Array.from((await w.variable.data()) as Float32Array) };
  }
  return out;
}

/**
 * An `Augmentation` pipeline layer holds several transforms in one layer; the exporter
 * knows each transform class, so the pipeline becomes a chain of them. The last keeps
 * the layer's name so the layers it feeds still find it.
 */
function expandPipeline(name: string, config: Record<string, unknown>, inputs: string[]): ExportLayer[] {
  const steps = config.layers;
  if (!Array.isArray(steps) || steps.length === 0) return [{ name, className: 'Dropout', config: {}, inputs, weights: {} }];
  let previous = inputs;
  return steps.map((step: { className: string; config: Record<string, unknown> }, i) => {
    const stepName = i === steps.length - 1 ? name : `${name}/${i}`;
    const layer: ExportLayer = { name: stepName, className: step.className, config: step.config, inputs: previous, weights: {} };
    previous = [stepName];
    return layer;
  });
}

/**
 * Describes a layers `Model` for the exporter: its layer configs, DAG and weights by path.
 * Exposed for tests and tools that want to inspect or adjust the description.
 *
 * @example
 * ```ts
 * const description = await exportDescription(model, ['cat', 'dog']);
 * ```
 */
export async function exportDescription(model: Model, classNames: readonly string[] = []): Promise<ExportModel> {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new CnnkitError(
      'EXPORT_MODEL',
      `exportModel: expected a model with one image input and one output (DESIGN.md "Exported ONNX"), model "${model.name}" has ${model.inputs.length} input(s) and ${model.outputs.length} output(s)`,
    );
  }
  const shape = model.inputs[0].shape;
  if (shape.length !== 4 || shape.slice(1).some((d) => d === null)) {
    throw new CnnkitError('EXPORT_MODEL', `exportModel: expected model "${model.name}" to take [N, H, W, C] images with known H, W, C, received [${shape.map((d) => d ?? 'N').join(', ')}]`);
  }
  const layers: ExportLayer[] = [];
  for (const layer of model.layers) {
    const inputs = (layer.inbound ?? []).map((s) => s.layer.name!);
    const config = layer.getConfig();
    if (layer.className === 'Augmentation') layers.push(...expandPipeline(layer.name!, config, inputs));
    else layers.push({ name: layer.name!, className: layer.className, config, inputs, weights: await weightsOf(layer) });
  }
  return {
    inputShape: shape.slice(1) as [number, number, number],
    layers,
    outputs: [model.outputs[0].layer.name!],
    classNames: [...classNames],
  };
}

/**
 * Exports a trained layers `Model` as ONNX bytes (the DESIGN.md contract: input `image`
 * float32 [N, H, W, 3] raw 0..255, output `probabilities`, metadata `classNames`).
 * Augmentation layers and Dropout become identity. Verify the bytes with
 * `verifyExport`, or use `exportAndVerify` to write only a verified file.
 *
 * @example
 * ```ts
 * const bytes = await exportModel(model, { classNames: ['cat', 'dog'] });
 * ```
 */
export async function exportModel(model: Model, options: ExportModelOptions = {}): Promise<Uint8Array> {
  return exportOnnx(await exportDescription(model, options.classNames ?? []), { opset: options.opset });
}

/**
 * Runs the ONNX bytes in onnxruntime-node and `model.predict` on the active backend on
 * the same inputs — random raw pixels (0..255) at batch 1 and 3, then `images` — and
 * reports the largest absolute difference. `ok` is `maxAbsDiff <= tolerance`.
 *
 * @example
 * ```ts
 * const check = await verifyExport(model, bytes);
 * if (!check.ok) console.error(`ONNX differs by ${check.maxAbsDiff}`);
 * ```
 */
export async function verifyExport(model: Model, bytes: Uint8Array, options: VerifyExportOptions = {}): Promise<VerifyExportResult> {
  const shape = model.inputs[0]?.shape;
  if (shape === undefined || shape.length !== 4 || shape.slice(1).some((d) => d === null)) {
    throw new CnnkitError('EXPORT_MODEL', `verifyExport: expected model "${model.name}" to take [N, H, W, C] images with known H, W, C`);
  }
  const [h, w, c] = shape.slice(1) as number[];
  const rng = createRng(options.seed ?? 1234);
  const random: VerifyInput[] = [1, 3].map((n) => ({ shape: [n, h, w, c], data: rng.fillUniform(new Float32Array(n * h * w * c), 0, 255) }));
  const images = (options.images ?? []).map((image, i): VerifyInput => {
    const [n, ih, iw, ic] = image.shape;
    if (ih !== h || iw !== w || ic !== c || image.data.length !== n * h * w * c) {
      throw new CnnkitError(
        'EXPORT_VERIFY',
        `verifyExport: expected images[${i}] of shape [n, ${h}, ${w}, ${c}] with matching data length, received [${image.shape.join(', ')}] and ${image.data.length} values`,
      );
    }
    return { shape: image.shape, data: image.data };
  });
  return verifyOnnx(
    bytes,
    async (data, s) => {
      const x = tf.tensor4d(data, [...s] as [number, number, number, number], 'float32');
      const y = model.predict(x) as tf.Tensor;
      const values = Float32Array.from((await y.data()) as Float32Array);
      tf.dispose([x, y]);
      return values;
    },
    { inputs: [...random, ...images], tolerance: options.tolerance ?? 1e-4 },
  );
}

/**
 * Exports, verifies against `model.predict`, and writes `path` atomically only when the
 * file matches within the tolerance (default 1e-4); otherwise throws an
 * `EXPORT_VERIFY` CnnkitError with the difference and leaves `path` untouched.
 *
 * @example
 * ```ts
 * const { verification } = await exportAndVerify(model, 'run/model.onnx', { classNames: ['cat', 'dog'] });
 * console.log(`max |diff| ${verification.maxAbsDiff}`);
 * ```
 */
export async function exportAndVerify(
  model: Model,
  path: string,
  options: ExportModelOptions & VerifyExportOptions = {},
): Promise<{ path: string; bytes: Uint8Array; verification: VerifyExportResult }> {
  const bytes = await exportModel(model, options);
  const verification = await verifyExport(model, bytes, options);
  if (!verification.ok) {
    const worst = verification.perInput.map((p) => `[${p.shape.join(', ')}]: ${p.maxAbsDiff.toExponential(2)}`).join('; ');
    throw new CnnkitError(
      'EXPORT_VERIFY',
      `exportAndVerify: the ONNX export of model "${model.name}" differs from model.predict by ${verification.maxAbsDiff.toExponential(2)} (expected <= ${verification.tolerance}; per input ${worst}); ${path} was not written`,
    );
  }
  await writeOnnx(path, bytes);
  return { path, bytes, verification };
}
