import { CnnkitError } from '@cnnkit/tensor-core';
import type { Model } from '../models/model.js';
import { formatKerasShape } from '../utils/shape.js';
import { plannedWeights } from '../models/weight-plan.js';
import { formatBytes, type LoadLimits } from './load-limits.js';
import type { SafetensorsHeader } from './safetensors.js';

/** A weight the architecture implies, by its path in the weights file. */
export interface PlannedModelWeight {
  readonly path: string;
  readonly shape: readonly number[];
  /** `Conv2D "conv2d"`: for messages. */
  readonly layer: string;
}

/** What building a model would allocate, known before it is built. */
export interface ArchitecturePlan {
  readonly weights: PlannedModelWeight[];
  /** Float32 bytes of all planned weights. */
  readonly weightBytes: number;
  /** False when a layer class added with `registerLayerClass` has weights the plan cannot know. */
  readonly complete: boolean;
}

const FLOAT_BYTES = 4;

function elements(shape: readonly (number | null)[]): number {
  return shape.reduce<number>((n, d) => n * (d ?? 1), 1);
}

/**
 * Checks a model defined with `deferBuild` against `limits` before its weights exist:
 * every weight and the total, and each layer's output for one example. The first
 * size over a limit fails with a `MODEL_TOO_LARGE` error naming `file`, the layer,
 * the shape, the bytes it needs and the limit.
 *
 * @example
 * ```ts
 * const plan = planArchitecture(modelFromJson(config, 'model.json', { deferBuild: true }), 'model.json', loadLimits());
 * ```
 */
export function planArchitecture(model: Model, file: string, limits: LoadLimits): ArchitecturePlan {
  const tooLarge = (what: string, bytes: number, limit: number, key: keyof LoadLimits) =>
    new CnnkitError(
      'MODEL_TOO_LARGE',
      `${file}: ${what} needs ${formatBytes(bytes)}, over the limit of ${formatBytes(limit)} (${key}): a damaged or hostile file, or a model larger than this loader is set to accept`,
    );
  const weights: PlannedModelWeight[] = [];
  let weightBytes = 0;
  let complete = true;
  for (const layer of model.layers) {
    const planned = plannedWeights(layer, layer.inbound?.map((s) => s.shape) ?? []);
    if (planned === null) complete = false;
    for (const w of planned ?? []) {
      const bytes = elements(w.shape) * FLOAT_BYTES;
      if (bytes > limits.maxWeightBytes) throw tooLarge(`layer ${layer.label}: weight "${w.name}" of shape [${w.shape.join(', ')}]`, bytes, limits.maxWeightBytes, 'maxWeightBytes');
      weightBytes += bytes;
      if (weightBytes > limits.maxWeightBytes) {
        throw tooLarge(`the architecture (up to layer ${layer.label}, weight "${w.name}" [${w.shape.join(', ')}])`, weightBytes, limits.maxWeightBytes, 'maxWeightBytes');
      }
      weights.push({ path: `${layer.name}/${w.name}`, shape: w.shape, layer: layer.label });
    }
    const output = layer.output?.shape;
    if (output !== undefined) {
      const bytes = elements(output.slice(1)) * FLOAT_BYTES;
      if (bytes > limits.maxActivationBytes) {
        throw tooLarge(`layer ${layer.label}: its output ${formatKerasShape(output)} for one image`, bytes, limits.maxActivationBytes, 'maxActivationBytes');
      }
    }
  }
  return { weights, weightBytes, complete };
}

/**
 * Compares a weights file's header with the weights the architecture implies: the
 * same tensors with the same shapes. Errors (`WEIGHTS_MISMATCH`) name the weights
 * file, the tensor, the layer, the shape expected from `modelFile` and the one found.
 */
export function checkWeightsHeader(plan: ArchitecturePlan, header: SafetensorsHeader, files: { model: string; weights: string }): void {
  const fail = (problem: string) => new CnnkitError('WEIGHTS_MISMATCH', `${files.weights}: ${problem}`);
  const list = (names: string[]) => (names.length > 8 ? `${names.slice(0, 8).join(', ')}, ... (${names.length} in all)` : names.join(', '));
  for (const w of plan.weights) {
    const entry = header.entries.get(w.path);
    if (entry === undefined) {
      throw fail(`missing tensor "${w.path}" [${w.shape.join(', ')}] of layer ${w.layer} in ${files.model}; the file has: ${list([...header.entries.keys()]) || 'no tensors'}`);
    }
    if (entry.shape.length !== w.shape.length || entry.shape.some((d, i) => d !== w.shape[i])) {
      throw fail(`tensor "${w.path}": the architecture in ${files.model} (layer ${w.layer}) implies shape [${w.shape.join(', ')}], the file has [${entry.shape.join(', ')}]`);
    }
  }
  if (!plan.complete) return;
  const expected = new Set(plan.weights.map((w) => w.path));
  const extra = [...header.entries.keys()].filter((k) => !expected.has(k));
  if (extra.length > 0) {
    throw fail(`tensors that no layer of ${files.model} has: ${list(extra)}; expected only: ${list([...expected]) || 'none (the architecture has no weights)'}`);
  }
}
