import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '@cnnkit/tensor-core';
import { fuzzRuns } from '@cnnkit/vitest-config/fuzz';
import { fc, it as prop } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { Sequential } from '../models/sequential.js';
import { expectCleanOutcome } from '../test-utils/clean-outcome.js';
import { mutatedBytes, mutatedJson } from '../test-utils/hostile-json.js';
import { useTestBackend } from '../test-utils/setup.js';
import { loadCheckpoint, OPTIMIZER_FILE, saveCheckpoint, STATE_FILE } from './checkpoint.js';

let dir: string;
let good: string;
let state: unknown;
let optimizer: Uint8Array;
let cases = 0;
const outcomes = { ok: 0, error: 0 };

beforeAll(async () => {
  await useTestBackend();
  dir = await mkdtemp(join(tmpdir(), 'cnnkit-ckpt-fuzz-'));
  good = join(dir, 'good');
  const model = new Sequential({ inputShape: [3], seed: 3, layers: [new Dense({ units: 2 }), new Dropout({ rate: 0.5 }), new Dense({ units: 1, activation: 'sigmoid' })] });
  model.compile({ optimizer: { className: 'Adam', config: { learningRate: 0.01 } }, loss: 'binary_crossentropy', metrics: ['accuracy'] });
  const x = tf.ones([4, 3]);
  const y = tf.ones([4, 1]);
  await model.fit([{ images: x, labels: y }], { epochs: 1 });
  x.dispose();
  y.dispose();
  await saveCheckpoint(model, good, { epoch: 1, history: { loss: [0.7], accuracy: [0.5] } });
  model.dispose();
  state = JSON.parse(await readFile(join(good, STATE_FILE), 'utf8'));
  optimizer = await readFile(join(good, OPTIMIZER_FILE));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  expect(outcomes.ok).toBeGreaterThan(0);
  expect(outcomes.error).toBeGreaterThan(0);
});

/** A copy of the good checkpoint with one file replaced. */
async function variant(file: string, content: string | Uint8Array): Promise<string> {
  const d = join(dir, `case-${cases++}`);
  await mkdir(d);
  for (const f of ['model.json', 'weights.safetensors', STATE_FILE, OPTIMIZER_FILE]) await copyFile(join(good, f), join(d, f));
  await writeFile(join(d, file), content);
  return d;
}

async function load(d: string): Promise<void> {
  const outcome = await expectCleanOutcome(
    () => loadCheckpoint(d),
    [d],
    (r) => {
      // What resume hands on must have the types the run relies on.
      expect(Number.isSafeInteger(r.epoch)).toBe(true);
      for (const [k, v] of Object.entries(r.history)) {
        expect(k).toMatch(/^[A-Za-z]\w*$/);
        expect(k in Object.prototype).toBe(false);
        expect(v.every((n) => typeof n === 'number')).toBe(true);
      }
      r.model.dispose();
    },
  );
  outcomes[outcome]++;
  await rm(d, { recursive: true, force: true });
}

// Parsing does not depend on the backend: the properties run once, on cpu (wasm and webgpu rerun the other suites).
describe.skipIf((process.env.CNNKIT_TEST_BACKEND || 'cpu') !== 'cpu')('fuzz: checkpoints through loadCheckpoint', () => {
  prop.prop([fc.constant(null).chain(() => mutatedJson(state))], fuzzRuns(120))('training-state.json with hostile values anywhere', async (json) => {
    await load(await variant(STATE_FILE, JSON.stringify(json) ?? ''));
  });

  prop.prop([fc.constant(null).chain(() => mutatedBytes(optimizer, 8 + Number(new DataView(optimizer.buffer, optimizer.byteOffset).getBigUint64(0, true))))], fuzzRuns(80))(
    'optimizer.safetensors with damaged bytes',
    async (bytes) => {
      await load(await variant(OPTIMIZER_FILE, bytes));
    },
  );
});
