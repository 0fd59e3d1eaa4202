import { registerGradients, type BackendPlugin } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { conformanceCases } from './cases.js';
import { caseInputs, checkForward, checkGradient } from './check-case.js';

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
      const { inputs, rng } = caseInputs(c);

      check(`${c.name} forward`, async () => {
        const r = await checkForward(c, inputs);
        expect(r.shape!.actual).toEqual(r.shape!.expected);
        expect(r.error, `max relative error ${r.error.toExponential(2)}`).toBeLessThanOrEqual(r.tolerance);
        expect(r.leakedTensors).toBe(0);
        expect(r.leakedData).toBe(0);
      });

      check(`${c.name} gradient`, async () => {
        const r = await checkGradient(c, inputs, rng);
        expect(r.error, `${r.what}: max relative error ${r.error.toExponential(2)}`).toBeLessThanOrEqual(r.tolerance);
        expect(r.leakedTensors).toBe(0);
        expect(r.leakedData).toBe(0);
      });
    }
  });
}
