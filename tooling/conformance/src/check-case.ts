import { tf } from '@cnnkit/tensor-core';
import type { ConformanceCase } from './cases.js';
import { makeInput, seededRng } from './inputs.js';
import { broadcast, nd, sumAll, type Nd } from './reference/ndarray.js';

/** Central differences on the float64 reference: h = 1e-6 keeps truncation and rounding error near 1e-10. */
function numericGradient(c: ConformanceCase, inputs: Record<string, Nd>, upstream: Nd, name: string): Nd {
  const h = 1e-6;
  const base = inputs[name];
  const grad = nd([...base.shape]);
  const loss = (values: Record<string, Nd>) => sumAll(broadcast(c.reference(values), upstream, (a, b) => a * b));
  for (let i = 0; i < base.data.length; i++) {
    const plus = new Float64Array(base.data);
    const minus = new Float64Array(base.data);
    plus[i] += h;
    minus[i] -= h;
    const lp = loss({ ...inputs, [name]: { data: plus, shape: base.shape } });
    const lm = loss({ ...inputs, [name]: { data: minus, shape: base.shape } });
    grad.data[i] = (lp - lm) / (2 * h);
  }
  return grad;
}

/** max |actual - expected| / max(1, max |expected|). */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let scale = 1;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst / scale;
}

function tensors(inputs: Record<string, Nd>): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, tf.tensor(Float32Array.from(v.data), v.shape, 'float32')]));
}

/** What one check measured on the active backend. */
export interface CheckResult {
  /** What was compared (`forward`, or `d/dx` for the worst input of a gradient). */
  what: string;
  /** Max error relative to max(1, max |reference|); Infinity on a shape mismatch. */
  error: number;
  tolerance: number;
  /** Output shape against the reference's (forward only). */
  shape: { actual: number[]; expected: number[] } | null;
  /** Tensors and backend buffers the check left behind (must be 0). */
  leakedTensors: number;
  leakedData: number;
}

/** A case's inputs, drawn from its own seeded stream (the same on every backend). */
export function caseInputs(c: ConformanceCase): { inputs: Record<string, Nd>; rng: ReturnType<typeof seededRng> } {
  const rng = seededRng(c.name);
  return { inputs: Object.fromEntries(Object.entries(c.inputs).map(([k, spec]) => [k, makeInput(rng, spec)])), rng };
}

/** The forward pass on the active backend against the float64 reference. */
export async function checkForward(c: ConformanceCase, inputs: Record<string, Nd>): Promise<CheckResult> {
  const expected = c.reference(inputs);
  const before = tf.memory().numTensors;
  const dataBefore = tf.engine().backend.numDataIds();
  const actual = tf.tidy(() => c.run(tf, tensors(inputs)));
  const shapeOk = actual.shape.length === expected.shape.length && actual.shape.every((d, i) => d === expected.shape[i]);
  const error = shapeOk ? relativeError(await actual.data(), expected.data) : Infinity;
  const shape = { actual: [...actual.shape], expected: [...expected.shape] };
  actual.dispose();
  return {
    what: 'forward', error, tolerance: c.tolerance?.forward ?? 1e-4, shape,
    leakedTensors: tf.memory().numTensors - before, leakedData: tf.engine().backend.numDataIds() - dataBefore,
  };
}

/**
 * Every differentiated input's gradient on the active backend against central
 * differences of the reference (or the case's exact tie rule); reports the worst.
 */
export async function checkGradient(c: ConformanceCase, inputs: Record<string, Nd>, rng: ReturnType<typeof seededRng>): Promise<CheckResult> {
  const outShape = c.reference(inputs).shape;
  const upstream = makeInput(rng, { shape: outShape, kind: 'signed' });
  const names = Object.keys(c.inputs).filter((k) => !c.inputs[k].constant);
  const expected = c.referenceGradient
    ? c.referenceGradient(inputs, upstream)
    : Object.fromEntries(names.map((n) => [n, numericGradient(c, inputs, upstream, n)]));
  const before = tf.memory().numTensors;
  const dataBefore = tf.engine().backend.numDataIds();
  const grads = tf.tidy(() => {
    const all = tensors(inputs);
    const w = tf.tensor(Float32Array.from(upstream.data), upstream.shape, 'float32');
    const f = (...xs: tf.Tensor[]) => {
      const bound = { ...all, ...Object.fromEntries(names.map((n, i) => [n, xs[i]])) };
      return tf.sum(tf.mul(c.run(tf, bound), w)) as tf.Scalar;
    };
    return tf.grads(f)(names.map((n) => all[n]));
  });
  let worst = { what: 'gradient', error: 0 };
  for (const [i, n] of names.entries()) {
    if (expected[n] === undefined) continue;
    const error = relativeError(await grads[i].data(), expected[n].data);
    if (worst.what === 'gradient' || error > worst.error) worst = { what: `d/d${n}`, error };
  }
  tf.dispose(grads);
  return {
    ...worst, tolerance: c.tolerance?.gradient ?? 2e-4, shape: null,
    leakedTensors: tf.memory().numTensors - before, leakedData: tf.engine().backend.numDataIds() - dataBefore,
  };
}
