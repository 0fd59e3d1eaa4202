import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wasmBackend } from '@cnnkit/backend-wasm';
import { exportAndVerify } from '@cnnkit/export';
import { seedCnn, type Model } from '@cnnkit/layers';
import { BackendRegistry, CnnkitError, createRng, selectBackend, tf } from '@cnnkit/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOnnxPredictor } from './load-onnx-predictor.js';

const TOLERANCE = 1e-4;
let dir: string;

async function trainedTutorialModel(numClasses: number): Promise<Model> {
  const model = seedCnn({ imageSize: [32, 32], numClasses, seed: numClasses });
  const rng = createRng(9);
  const x = tf.tensor4d(rng.fillUniform(new Float32Array(4 * 32 * 32 * 3), 0, 255), [4, 32, 32, 3]);
  const labels = [0, 1, 2, 1].map((c) => c % numClasses);
  const y = numClasses === 2 ? tf.tensor2d(labels, [4, 1]) : tf.oneHot(tf.tensor1d(labels, 'int32'), numClasses);
  model.compile({ optimizer: { className: 'Adam', config: { learningRate: 0.01 } }, loss: numClasses === 2 ? 'binary_crossentropy' : 'categorical_crossentropy' });
  await model.fit({ x, y }, { epochs: 1, batchSize: 4, verbose: 0 });
  tf.dispose([x, y]);
  return model;
}

beforeAll(async () => {
  await selectBackend({ name: 'wasm', registry: new BackendRegistry().add(wasmBackend()) });
  dir = await mkdtemp(join(tmpdir(), 'cnnkit-onnx-predictor-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadOnnxPredictor', () => {
  for (const numClasses of [2, 3]) {
    it(`predicts what model.predict on wasm does for an exported tutorial model (${numClasses} classes)`, async () => {
      const model = await trainedTutorialModel(numClasses);
      const classNames = numClasses === 2 ? ['cat', 'dog'] : ['cat', 'dog', 'fox'];
      const path = join(dir, `tutorial-${numClasses}.onnx`);
      await exportAndVerify(model, path, { classNames });
      const predictor = await loadOnnxPredictor(path);
      expect(predictor.classNames).toEqual(classNames);
      expect(predictor.inputShape).toEqual([32, 32, 3]);
      const units = numClasses === 2 ? 1 : numClasses;
      expect(predictor.outputUnits).toBe(units);
      for (const n of [1, 2, 5]) {
        const pixels = createRng(100 + n).fillUniform(new Float32Array(n * 32 * 32 * 3), 0, 255);
        const actual = await predictor.predict(pixels, n);
        const x = tf.tensor4d(pixels, [n, 32, 32, 3]);
        const y = model.predict(x) as tf.Tensor;
        const expected = y.dataSync();
        expect(actual.length).toBe(n * units);
        let worst = 0;
        for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        console.log(`${numClasses} classes, batch ${n}: max |onnx - predict| ${worst}`);
        expect(worst).toBeLessThanOrEqual(TOLERANCE);
        tf.dispose([x, y]);
      }
      await expect(predictor.predict(new Float32Array(10), 1)).rejects.toThrow(/expected n >= 1 images as a Float32Array of n\*32\*32\*3 .* received n=1 and 10 values/);
      await predictor.dispose();
      await expect(predictor.predict(new Float32Array(32 * 32 * 3), 1)).rejects.toThrow(/was disposed/);
      model.dispose();
    }, 120_000);
  }

  it('gives a one-line CnnkitError naming the file when it is missing or corrupt', async () => {
    const missing = join(dir, 'missing.onnx');
    const corrupt = join(dir, 'corrupt.onnx');
    const garbage = join(dir, 'garbage.onnx');
    await writeFile(corrupt, Buffer.from('this is not a protobuf model at all'));
    // Well-formed protobuf framing (field 1 varint) but no graph: onnxruntime rejects it.
    await writeFile(garbage, Buffer.from([0x08, 0x07]));
    for (const [file, pattern] of [
      [missing, /cannot read the file \(ENOENT\)/],
      [corrupt, /not a valid ONNX model/],
      [garbage, /not a valid ONNX model/],
    ] as const) {
      const error = await loadOnnxPredictor(file).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CnnkitError);
      const message = (error as Error).message;
      expect(message.startsWith(`loadOnnxPredictor: ${file}: `)).toBe(true);
      expect(message).toMatch(pattern);
      expect(message).not.toContain('\n');
    }
  });
});
