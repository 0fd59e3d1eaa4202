import { registerGradients, tf, type BackendPlugin } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { conformanceCases, type ConformanceCase } from './cases.js';
import { makeInput, seededRng } from './inputs.js';
import { broadcast, nd, sumAll, type Nd } from './reference/ndarray.js';

export interface ConformanceOptions {
  /**
   * Cases this backend is known to fail, keyed `"<case name> forward"` or
   * `"<case name> gradient"`, with the reason. They run and must still fail, so a
   * fix shows up as a failure that asks for the entry to be removed.
   */
  knownFailures?: Record<string, string>;
  /** Only cases whose name contains this text (for debugging). */
  filter?: string;
}

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

/**
 * Registers the conformance suite for one backend plugin with vitest: for every op
 * the layers use, the forward pass against a float64 reference, and every input's
 * gradient against central differences of that reference (or, where inputs hold
 * ties, against the exact tie rule). Each check also asserts that no tensor or
 * backend buffer leaked.
 *
 * @example
 * ```ts
 * // packages/backend-wasm/src/conformance.test.ts
 * describeConformance(wasmBackend());
 * ```
 */
export function describeConformance(plugin: BackendPlugin, options: ConformanceOptions = {}): void {
  const known = options.knownFailures ?? {};
  const cases = conformanceCases().filter((c) => options.filter === undefined || c.name.includes(options.filter));
  const caseNames = new Set(cases.flatMap((c) => [`${c.name} forward`, `${c.name} gradient`]));
  for (const key of Object.keys(known)) {
    if (!caseNames.has(key)) throw new Error(`describeConformance(${plugin.name}): known failure "${key}" names no case`);
  }

  describe(`conformance: ${plugin.name}`, async () => {
    const availability = await plugin.isAvailable();
    if (!availability.available) {
      // CI names the backends it installed the drivers for: there, unavailable is a failure.
      const required = (process.env.CNNKIT_REQUIRE_BACKENDS ?? '').split(',').map((s) => s.trim());
      if (required.includes(plugin.name)) {
        it(`backend ${plugin.name} is required here (CNNKIT_REQUIRE_BACKENDS) and available`, () => {
          throw new Error(`backend ${plugin.name} unavailable: ${availability.reason}. ${availability.fix}`);
        });
        return;
      }
      // Reported, not silent: the reason is the test's name.
      it.skip(`backend ${plugin.name} unavailable here: ${availability.reason}`, () => {});
      return;
    }

    beforeAll(async () => {
      await plugin.activate();
      registerGradients();
    });

    for (const c of cases) {
      const check = (key: string, body: () => Promise<void>) => {
        const reason = known[key];
        if (reason !== undefined) it.fails(`${key} — known failure: ${reason}`, body);
        else it(key, body);
      };
      const rng = seededRng(c.name);
      const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, spec]) => [k, makeInput(rng, spec)]));

      check(`${c.name} forward`, async () => {
        const expected = c.reference(inputs);
        const before = tf.memory().numTensors;
        const dataBefore = tf.engine().backend.numDataIds();
        const actual = tf.tidy(() => {
          const out = c.run(tf, tensors(inputs));
          return out;
        });
        expect(actual.shape).toEqual(expected.shape);
        const err = relativeError(await actual.data(), expected.data);
        actual.dispose();
        expect(err, `max relative error ${err.toExponential(2)}`).toBeLessThanOrEqual(c.tolerance?.forward ?? 1e-4);
        expect(tf.memory().numTensors).toBe(before);
        expect(tf.engine().backend.numDataIds()).toBe(dataBefore);
      });

      check(`${c.name} gradient`, async () => {
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
        for (const [i, n] of names.entries()) {
          if (expected[n] === undefined) continue;
          const err = relativeError(await grads[i].data(), expected[n].data);
          expect(err, `d/d${n}: max relative error ${err.toExponential(2)}`).toBeLessThanOrEqual(c.tolerance?.gradient ?? 2e-4);
        }
        tf.dispose(grads);
        expect(tf.memory().numTensors).toBe(before);
        expect(tf.engine().backend.numDataIds()).toBe(dataBefore);
      });
    }
  });
}
