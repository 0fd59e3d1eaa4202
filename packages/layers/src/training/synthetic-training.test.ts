import { beforeAll, describe, expect, it } from 'vitest';
import { seedCnn } from '../models/seed-cnn.js';
import { colourBlobs } from '../test-utils/synthetic.js';
import { useTestBackend } from '../test-utils/setup.js';

beforeAll(useTestBackend);

describe('the tutorial model learns a separable synthetic task', () => {
  it('reaches >= 95% validation accuracy within a few epochs on 16x16 colour-blob images', async () => {
    const train = colourBlobs(96, 16, 1);
    const val = colourBlobs(64, 16, 2);
    const model = seedCnn({ imageSize: [16, 16], numClasses: 2, seed: 42 });
    model.compile({ optimizer: { className: 'Adam', config: { learningRate: 0.01 } }, loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const started = performance.now();
    const history = await model.fit([train.x, train.y], { epochs: 3, batchSize: 8, validationData: [val.x, val.y], verbose: 0 });
    const seconds = (performance.now() - started) / 1000;
    const accuracy = history.history.val_accuracy;
    console.log(`synthetic: val_accuracy per epoch ${accuracy.map((a) => a.toFixed(3)).join(' ')} in ${seconds.toFixed(1)} s`);
    expect(accuracy.at(-1)).toBeGreaterThanOrEqual(0.95);
    // Training loss went down.
    expect(history.history.loss.at(-1)).toBeLessThan(history.history.loss[0]);
    // No time limit here: a busy machine would fail it. The speed floor is in the bench
    // (tooling/bench/src/targets.ts FLOORS, `pnpm bench --sizes 16`).
  });
});
