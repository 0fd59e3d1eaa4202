import { CnnkitError } from '@cnnkit/tensor-core';
import { describe } from '../utils/config-reader.js';
import type { LossName } from '../losses/losses.js';

/** Metric names accepted by `compile` (Keras names; `acc` is an alias of `accuracy`). */
export const METRIC_NAMES = ['accuracy', 'precision', 'recall', 'auc'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** How labels and predictions are laid out, decided from the loss as Keras does for `accuracy`. */
export type LabelKind = 'binary' | 'categorical' | 'sparse';

/**
 * A streaming metric: `update` with each batch (labels and probabilities as flat
 * arrays, `classes` values per example), `result` for the epoch so far.
 */
export interface Metric {
  readonly name: string;
  update(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, classes: number, sampleWeight?: ArrayLike<number>): void;
  result(): number;
  reset(): void;
  /** The running totals as plain numbers, so a checkpoint written inside an epoch resumes its metrics exactly. */
  getState(): number[];
  /** Restores totals from `getState` of a metric of the same kind. */
  setState(state: readonly number[]): void;
}

function checkState(metric: string, state: readonly number[], length: number): void {
  if (!Array.isArray(state) || state.length !== length || state.some((v) => typeof v !== 'number')) {
    throw new CnnkitError('INVALID_ARGUMENT', `${metric}.setState: expected ${length} numbers, received ${describe(state)}`);
  }
}

export function resolveMetricName(name: unknown): MetricName {
  const n = name === 'acc' ? 'accuracy' : name;
  if (typeof n !== 'string' || !(METRIC_NAMES as readonly string[]).includes(n)) {
    throw new CnnkitError('UNKNOWN_METRIC', `compile: unknown metric ${describe(name)}; available: ${METRIC_NAMES.join(', ')}`);
  }
  return n as MetricName;
}

/** Which accuracy `accuracy` means, from the loss (as Keras resolves it). */
export function labelKindFor(loss: LossName, classes: number): LabelKind {
  switch (loss) {
    case 'binary_crossentropy':
      return 'binary';
    case 'categorical_crossentropy':
      return 'categorical';
    case 'sparse_categorical_crossentropy':
      return 'sparse';
    case 'mean_squared_error':
      return classes === 1 ? 'binary' : 'categorical';
    default: {
      const unknown: never = loss;
      throw new CnnkitError('UNKNOWN_LOSS', `metrics: unknown loss ${String(unknown)}`);
    }
  }
}

function argmax(values: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (values[offset + j] > values[offset + best]) best = j;
  return best;
}

/**
 * Turns labels into one flat 0/1 value per prediction value (one-hot for sparse
 * labels), the layout precision, recall and AUC work on.
 */
function denseLabels(kind: LabelKind, yTrue: ArrayLike<number>, classes: number, count: number): ArrayLike<number> {
  if (kind !== 'sparse') return yTrue;
  const out = new Float32Array(count * classes);
  for (let i = 0; i < count; i++) out[i * classes + Math.round(yTrue[i])] = 1;
  return out;
}

/**
 * Accuracy: binary (prediction > 0.5 equals label), categorical (argmax equals
 * argmax) or sparse (argmax equals the integer label).
 */
export class Accuracy implements Metric {
  readonly name = 'accuracy';
  #correct = 0;
  #total = 0;
  constructor(readonly kind: LabelKind) {}

  update(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, classes: number, w?: ArrayLike<number>): void {
    const count = yPred.length / classes;
    for (let i = 0; i < count; i++) {
      const weight = w ? w[i] : 1;
      switch (this.kind) {
        case 'binary':
          for (let j = 0; j < classes; j++) {
            const k = i * classes + j;
            this.#correct += (weight * ((yPred[k] > 0.5 ? 1 : 0) === (yTrue[k] > 0.5 ? 1 : 0) ? 1 : 0)) / classes;
          }
          break;
        case 'categorical':
          this.#correct += weight * (argmax(yPred, i * classes, classes) === argmax(yTrue, i * classes, classes) ? 1 : 0);
          break;
        case 'sparse':
          this.#correct += weight * (argmax(yPred, i * classes, classes) === Math.round(yTrue[i]) ? 1 : 0);
          break;
        default: {
          const unknown: never = this.kind;
          throw new Error(`accuracy: unknown label kind ${String(unknown)}`);
        }
      }
      this.#total += weight;
    }
  }

  result(): number {
    return this.#total === 0 ? 0 : this.#correct / this.#total;
  }

  reset(): void {
    this.#correct = 0;
    this.#total = 0;
  }

  getState(): number[] {
    return [this.#correct, this.#total];
  }

  setState(state: readonly number[]): void {
    checkState(this.name, state, 2);
    [this.#correct, this.#total] = state;
  }
}

/** Keras `Precision` / `Recall` at threshold 0.5, over every prediction value. */
export class PrecisionRecall implements Metric {
  #tp = 0;
  #fp = 0;
  #fn = 0;
  constructor(
    readonly name: 'precision' | 'recall',
    readonly kind: LabelKind,
  ) {}

  update(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, classes: number, w?: ArrayLike<number>): void {
    const labels = denseLabels(this.kind, yTrue, classes, yPred.length / classes);
    for (let k = 0; k < yPred.length; k++) {
      const weight = w ? w[Math.floor(k / classes)] : 1;
      const predicted = yPred[k] > 0.5;
      const actual = labels[k] > 0.5;
      if (predicted && actual) this.#tp += weight;
      else if (predicted) this.#fp += weight;
      else if (actual) this.#fn += weight;
    }
  }

  result(): number {
    const denominator = this.name === 'precision' ? this.#tp + this.#fp : this.#tp + this.#fn;
    return denominator === 0 ? 0 : this.#tp / denominator;
  }

  reset(): void {
    this.#tp = this.#fp = this.#fn = 0;
  }

  getState(): number[] {
    return [this.#tp, this.#fp, this.#fn];
  }

  setState(state: readonly number[]): void {
    checkState(this.name, state, 3);
    [this.#tp, this.#fp, this.#fn] = state;
  }
}

/**
 * Keras `AUC` (ROC, 200 thresholds, `interpolation` summation): confusion counts at
 * thresholds [-eps, 1/199, ..., 198/199, 1 + eps], then the trapezoidal area
 * under recall over false-positive rate.
 */
export class Auc implements Metric {
  readonly name = 'auc';
  readonly thresholds: Float64Array;
  #tp: Float64Array;
  #fp: Float64Array;
  #tn: Float64Array;
  #fn: Float64Array;

  constructor(
    readonly kind: LabelKind,
    numThresholds = 200,
  ) {
    this.thresholds = new Float64Array(numThresholds);
    this.thresholds[0] = -1e-7;
    for (let i = 1; i < numThresholds - 1; i++) this.thresholds[i] = i / (numThresholds - 1);
    this.thresholds[numThresholds - 1] = 1 + 1e-7;
    this.#tp = new Float64Array(numThresholds);
    this.#fp = new Float64Array(numThresholds);
    this.#tn = new Float64Array(numThresholds);
    this.#fn = new Float64Array(numThresholds);
  }

  update(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, classes: number, w?: ArrayLike<number>): void {
    const labels = denseLabels(this.kind, yTrue, classes, yPred.length / classes);
    for (let k = 0; k < yPred.length; k++) {
      const weight = w ? w[Math.floor(k / classes)] : 1;
      const actual = labels[k] > 0.5;
      // Keras clips predictions to [0, 1] before comparing with the thresholds.
      const p = Math.min(1, Math.max(0, yPred[k]));
      for (let t = 0; t < this.thresholds.length; t++) {
        const predicted = p > this.thresholds[t];
        if (predicted && actual) this.#tp[t] += weight;
        else if (predicted) this.#fp[t] += weight;
        else if (actual) this.#fn[t] += weight;
        else this.#tn[t] += weight;
      }
    }
  }

  result(): number {
    let area = 0;
    const n = this.thresholds.length;
    const rate = (a: number, b: number) => (a + b === 0 ? 0 : a / (a + b));
    for (let t = 0; t < n - 1; t++) {
      const x0 = rate(this.#fp[t], this.#tn[t]);
      const x1 = rate(this.#fp[t + 1], this.#tn[t + 1]);
      const y0 = rate(this.#tp[t], this.#fn[t]);
      const y1 = rate(this.#tp[t + 1], this.#fn[t + 1]);
      area += (x0 - x1) * ((y0 + y1) / 2);
    }
    return area;
  }

  reset(): void {
    for (const a of [this.#tp, this.#fp, this.#tn, this.#fn]) a.fill(0);
  }

  getState(): number[] {
    return [this.#tp, this.#fp, this.#tn, this.#fn].flatMap((a) => [...a]);
  }

  setState(state: readonly number[]): void {
    const n = this.thresholds.length;
    checkState(this.name, state, 4 * n);
    [this.#tp, this.#fp, this.#tn, this.#fn].forEach((a, i) => a.set(state.slice(i * n, (i + 1) * n)));
  }
}

/**
 * A fresh metric object.
 *
 * @example
 * ```ts
 * const acc = createMetric('accuracy', 'binary');
 * acc.update([1, 0], [0.9, 0.7], 1); acc.result(); // 0.5
 * ```
 */
export function createMetric(name: MetricName, kind: LabelKind): Metric {
  switch (name) {
    case 'accuracy':
      return new Accuracy(kind);
    case 'precision':
    case 'recall':
      return new PrecisionRecall(name, kind);
    case 'auc':
      return new Auc(kind);
    default: {
      const unknown: never = name;
      throw new CnnkitError('UNKNOWN_METRIC', `metrics: unknown ${String(unknown)}`);
    }
  }
}
