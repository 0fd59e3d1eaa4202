import { ShapeError, tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Conv2D } from './conv2d.js';
import { layerFromConfig } from './layer-registry.js';
import { expectClose, oneLayerModel, refConv2d, runLayer, useTestBackend, values } from '../test-utils/setup.js';

beforeAll(useTestBackend);

describe('Conv2D', () => {
  it('same padding with stride 2 pads at the end, as TensorFlow (hand-computed)', () => {
    // 3x3 input 1..9, 2x2 kernel of ones, stride 2, same: out 2x2, one padding row/column after.
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const { y } = runLayer(new Conv2D({ filters: 1, kernelSize: 2, strides: 2, padding: 'same', useBias: false }), x, {
      weights: { kernel: tf.ones([2, 2, 1, 1]) },
    });
    expect(y.shape).toEqual([1, 2, 2, 1]);
    expectClose(y, [12, 9, 15, 9], 0);
  });

  const cases: { name: string; args: { strides?: number; padding: 'same' | 'valid'; dilationRate?: number }; shape: number[] }[] = [
    { name: 'valid stride 1', args: { padding: 'valid' }, shape: [2, 5, 6, 2] },
    { name: 'same stride 2, even input', args: { padding: 'same', strides: 2 }, shape: [1, 6, 6, 2] },
    { name: 'same stride 2, odd input', args: { padding: 'same', strides: 2 }, shape: [1, 7, 5, 3] },
    { name: 'valid stride 2', args: { padding: 'valid', strides: 2 }, shape: [1, 7, 6, 2] },
    { name: 'same dilation 2', args: { padding: 'same', dilationRate: 2 }, shape: [1, 6, 7, 2] },
  ];
  for (const c of cases) {
    it(`matches a float64 reference: ${c.name} (tol 1e-5)`, () => {
      const [n, h, w, ci] = c.shape;
      const xv = values(n * h * w * ci, 3);
      const kv = values(3 * 3 * ci * 4, 7);
      const bias = [0.1, -0.2, 0.3, 0];
      const { y } = runLayer(new Conv2D({ filters: 4, kernelSize: 3, ...c.args }), tf.tensor4d(xv, [n, h, w, ci]), {
        weights: { kernel: tf.tensor4d(kv, [3, 3, ci, 4]), bias: tf.tensor1d(bias) },
      });
      const s = c.args.strides ?? 1;
      const d = c.args.dilationRate ?? 1;
      const ref = refConv2d(xv, c.shape, kv, [3, 3, ci, 4], [s, s], c.args.padding, [d, d]);
      expect(y.shape).toEqual(ref.shape);
      expectClose(y, ref.values.map((v, i) => v + bias[i % 4]), 1e-5);
    });
  }

  // Inference runs tfjs's fused convolution (bias and activation inside the kernel);
  // under gradient recording the layer runs separate ops. Both must match the reference.
  for (const activation of ['linear', 'relu', 'sigmoid', 'elu'] as const) {
    it(`fused inference and recorded training forward both match a float64 reference: ${activation}, same stride 2 (tol 1e-5)`, () => {
      const shape = [2, 7, 6, 3];
      const xv = values(2 * 7 * 6 * 3, 5);
      const kv = values(3 * 3 * 3 * 4, 9);
      const bias = [0.1, -0.2, 0.3, -0.05];
      const layer = new Conv2D({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation });
      const x = tf.tensor4d(xv, shape as [number, number, number, number]);
      const { y, model } = runLayer(layer, x, { weights: { kernel: tf.tensor4d(kv, [3, 3, 3, 4]), bias: tf.tensor1d(bias) } });
      const ref = refConv2d(xv, shape, kv, [3, 3, 3, 4], [2, 2], 'same', [1, 1]);
      const act = (v: number) => (activation === 'relu' ? Math.max(0, v) : activation === 'sigmoid' ? 1 / (1 + Math.exp(-v)) : activation === 'elu' ? (v > 0 ? v : Math.exp(v) - 1) : v);
      const want = ref.values.map((v, i) => act(v + bias[i % 4]));
      expectClose(y, want, 1e-5);
      // Inside tf.grad the separate ops run (gradient depth > 0).
      let recorded: Float32Array | null = null;
      tf.grad((xi: tf.Tensor) => {
        const out = model.call([xi], { training: false })[0];
        recorded = out.dataSync() as Float32Array;
        return tf.sum(out);
      })(x);
      expectClose(tf.tensor(recorded!), want, 1e-5);
    });
  }

  it('applies the activation after the bias', () => {
    const { y } = runLayer(new Conv2D({ filters: 1, kernelSize: 1, activation: 'relu' }), tf.tensor4d([-1, 2], [1, 1, 2, 1]), {
      weights: { kernel: tf.ones([1, 1, 1, 1]), bias: tf.tensor1d([0.5]) },
    });
    expectClose(y, [0, 2.5], 0);
  });

  it('names weights by path and counts parameters', () => {
    const model = oneLayerModel(new Conv2D({ filters: 16, kernelSize: 3 }), [8, 8, 3]);
    expect(model.namedWeights().map((w) => [w.path, w.variable.shape])).toEqual([
      ['conv2d/kernel', [3, 3, 3, 16]],
      ['conv2d/bias', [16]],
    ]);
    expect(model.countParams().total).toBe(448);
  });

  it('initializers follow Keras limits and are reproducible by seed', () => {
    const a = oneLayerModel(new Conv2D({ filters: 8, kernelSize: 3, seed: 5 }), [4, 4, 2]);
    const b = oneLayerModel(new Conv2D({ filters: 8, kernelSize: 3, seed: 5 }), [4, 4, 2]);
    const ka = a.namedWeights()[0].variable.dataSync();
    expect(Array.from(ka)).toEqual(Array.from(b.namedWeights()[0].variable.dataSync()));
    const limit = Math.sqrt(6 / (9 * 2 + 9 * 8)); // glorot_uniform
    expect(Math.max(...Array.from(ka).map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...Array.from(ka).map(Math.abs))).toBeGreaterThan(limit * 0.8);
    const he = oneLayerModel(new Conv2D({ filters: 64, kernelSize: 3, kernelInitializer: 'he_normal', seed: 1 }), [4, 4, 8]);
    const hv = Array.from(he.namedWeights()[0].variable.dataSync());
    const std = Math.sqrt(hv.reduce((s, v) => s + v * v, 0) / hv.length);
    expect(std).toBeCloseTo(Math.sqrt(2 / 72), 2); // truncation is compensated, so the std is sqrt(2/fan_in)
    const zeros = oneLayerModel(new Conv2D({ filters: 2, kernelSize: 1, kernelInitializer: 'zeros' }), [2, 2, 1]);
    expect(Array.from(zeros.namedWeights()[0].variable.dataSync())).toEqual([0, 0]);
  });

  it('rejects impossible shapes with a message naming the layer, expected and received', () => {
    const model = () => oneLayerModel(new Conv2D({ filters: 4, kernelSize: 3 }), [2, 2, 3]);
    expect(model).toThrow(ShapeError);
    expect(model).toThrow(/Conv2D: expected an input of at least 3x3 .*received \(None, 2, 2, 3\)/);
    expect(() => oneLayerModel(new Conv2D({ filters: 4, kernelSize: 3 }), [8, 3])).toThrow(/Conv2D: expected a rank-4 input .*received rank 3/);
    expect(() => new Conv2D({ filters: 4, kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(/strides 1 when dilationRate > 1/);
    expect(() => new Conv2D({ filters: 0, kernelSize: 3 })).toThrow(/"filters" to be a positive integer, received 0/);
    expect(() => new Conv2D({ filters: 1, kernelSize: 3, padding: 'full' as 'same' })).toThrow(/one of "valid", "same", received "full"/);
  });

  it('round-trips its config', () => {
    const layer = new Conv2D({ name: 'c', filters: 4, kernelSize: [3, 5], strides: 2, padding: 'same', activation: 'gelu', useBias: false, kernelInitializer: 'he_uniform', seed: 3, trainable: false });
    const copy = layerFromConfig(JSON.parse(JSON.stringify(layer.toSpec())));
    expect(copy).toBeInstanceOf(Conv2D);
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(copy.trainable).toBe(false);
  });
});
