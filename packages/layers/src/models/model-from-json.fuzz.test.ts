import { tf } from '@cnnkit/tensor-core';
import { fuzzRuns } from '@cnnkit/vitest-config/fuzz';
import { fc, it as prop } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { loadLimits } from '../io/load-limits.js';
import { modelFromJson } from './model-from-json.js';
import { sequentialArchitecture } from '../test-utils/architectures.js';
import { expectCleanOutcome } from '../test-utils/clean-outcome.js';
import { mutatedJson } from '../test-utils/hostile-json.js';
import { useTestBackend } from '../test-utils/setup.js';

const limits = loadLimits({ maxWeightBytes: 1024 ** 2, maxActivationBytes: 1024 ** 2, maxLayers: 64 });
const outcomes = { ok: 0, error: 0 };

beforeAll(useTestBackend);
afterAll(() => {
  expect(outcomes.ok).toBeGreaterThan(0);
  expect(outcomes.error).toBeGreaterThan(0);
});

/** The same stack as a functional config: named layers, each fed by the one before. */
function functional(arch: { config: { seed: number; layers: { className: string; config: Record<string, unknown> }[] } }) {
  const layers = arch.config.layers.map((l, i) => ({ className: l.className, config: { ...l.config, name: `l${i}` }, inbound: i === 0 ? [] : [`l${i - 1}`] }));
  return { className: 'Functional', config: { name: 'f', seed: arch.config.seed, layers, inputLayers: ['l0'], outputLayers: [`l${layers.length - 1}`] } };
}

const hostileArchitecture = fc.tuple(sequentialArchitecture, fc.boolean()).chain(([arch, asFunctional]) => mutatedJson(asFunctional ? functional(arch) : arch));

// Parsing does not depend on the backend: the properties run once, on cpu (wasm and webgpu rerun the other suites).
describe.skipIf((process.env.CNNKIT_TEST_BACKEND || 'cpu') !== 'cpu')('fuzz: --model architecture files through modelFromJson', () => {
  prop.prop([hostileArchitecture], fuzzRuns(200))('hostile architectures build within the limits or fail with one CnnkitError naming the file', async (arch) => {
    const outcome = await expectCleanOutcome(
      () => modelFromJson(JSON.stringify(arch) ?? '', 'arch.json', { limits }),
      ['arch.json'],
      (model) => {
        try {
          expect(model.countParams().total * 4).toBeLessThanOrEqual(limits.maxWeightBytes);
          const shape = model.inputShapes[0].slice(1) as number[];
          tf.dispose(tf.tidy(() => model.predict(tf.zeros([1, ...shape]))));
        } finally {
          model.dispose();
        }
      },
    );
    outcomes[outcome]++;
  });
});
