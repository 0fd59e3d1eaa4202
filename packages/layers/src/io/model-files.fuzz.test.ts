import { tf } from '@cnnkit/tensor-core';
import { fuzzRuns } from '@cnnkit/vitest-config/fuzz';
import { fc, it as prop } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { Model } from '../models/model.js';
import { modelFromJson } from '../models/model-from-json.js';
import { expectCleanOutcome } from '../test-utils/clean-outcome.js';
import { mutatedBytes, mutatedJson, safetensorsBytes, safetensorsHeaderJson } from '../test-utils/hostile-json.js';
import { useTestBackend } from '../test-utils/setup.js';
import { loadLimits } from './load-limits.js';
import { encodeWeights, modelFromArtifacts, modelJson } from './saved-model.js';

// Small limits: a case that loads must stay under them, whatever its files claim.
const limits = loadLimits({ maxWeightBytes: 1024 ** 2, maxActivationBytes: 1024 ** 2, maxHeaderBytes: 64 * 1024, maxJsonBytes: 256 * 1024, maxLayers: 64 });
const files = { model: 'model.json', weights: 'weights.safetensors' };
const fileNames = [files.model, files.weights];

let jsonText: string;
let jsonValue: unknown;
let weights: Uint8Array;
let headerEnd: number;

beforeAll(async () => {
  await useTestBackend();
  // Every layer class with weights, so every planned shape is exercised.
  const original: Model = modelFromJson({
    className: 'Sequential',
    config: {
      name: 'fuzz',
      seed: 1,
      layers: [
        { className: 'InputLayer', config: { shape: [6, 6, 3] } },
        { className: 'Conv2D', config: { filters: 4, kernelSize: 3, padding: 'same' } },
        { className: 'BatchNormalization', config: {} },
        { className: 'SeparableConv2D', config: { filters: 3, kernelSize: 2, padding: 'same', depthMultiplier: 2 } },
        { className: 'Conv2DTranspose', config: { filters: 2, kernelSize: 2 } },
        { className: 'GlobalAveragePooling2D', config: {} },
        { className: 'Dense', config: { units: 2, activation: 'softmax' } },
      ],
    },
  });
  jsonValue = modelJson(original, { classNames: ['a', 'b'] });
  jsonText = JSON.stringify(jsonValue);
  weights = await encodeWeights(original);
  headerEnd = 8 + Number(new DataView(weights.buffer).getBigUint64(0, true));
  original.dispose();
});

const outcomes = { ok: 0, error: 0 };
afterAll(() => {
  // Both outcomes must occur, or the mutations are too timid (or everything is refused).
  expect(outcomes.ok).toBeGreaterThan(0);
  expect(outcomes.error).toBeGreaterThan(0);
});

async function load(text: string, bytes: Uint8Array): Promise<void> {
  const outcome = await expectCleanOutcome(
    () => modelFromArtifacts(text, bytes, files, { limits }),
    fileNames,
    ({ model }) => {
      try {
        expect(model.countParams().total * 4).toBeLessThanOrEqual(limits.maxWeightBytes);
        const out = tf.tidy(() => model.predict(tf.zeros([1, ...(model.inputShapes[0].slice(1) as number[])])) as tf.Tensor);
        out.dispose();
      } finally {
        model.dispose();
      }
    },
  );
  outcomes[outcome]++;
}

// Parsing does not depend on the backend: the properties run once, on cpu (wasm and webgpu rerun the other suites).
describe.skipIf((process.env.CNNKIT_TEST_BACKEND || 'cpu') !== 'cpu')('fuzz: model.json and weights.safetensors through modelFromArtifacts', () => {
  prop.prop([fc.constant(null).chain(() => mutatedJson(jsonValue))], fuzzRuns(150))('model.json with hostile values anywhere', async (json) => {
    await load(JSON.stringify(json) ?? '', weights);
  });

  prop.prop([fc.constant(null).chain(() => mutatedBytes(new TextEncoder().encode(jsonText)))], fuzzRuns(60))('model.json with damaged bytes', async (bytes) => {
    await load(new TextDecoder().decode(bytes), weights);
  });

  prop.prop([fc.constant(null).chain(() => mutatedBytes(weights, headerEnd))], fuzzRuns(150))('weights.safetensors with damaged bytes (flips, truncation, insertion)', async (bytes) => {
    await load(jsonText, bytes);
  });

  prop.prop(
    [fc.constant(null).chain(() => fc.tuple(mutatedJson(safetensorsHeaderJson(weights).header), fc.constantFrom(0, 0, 0, -8, 8, 1, 1 << 20)))],
    fuzzRuns(150),
  )('weights.safetensors whose header lies (shapes, offsets, dtypes, length)', async ([header, lie]) => {
    await load(jsonText, safetensorsBytes(header, safetensorsHeaderJson(weights).data, lie));
  });
});
