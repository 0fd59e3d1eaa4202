import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Add } from './add.js';
import { AveragePooling2D } from './average-pooling2d.js';
import { BatchNormalization } from './batch-normalization.js';
import { Concatenate } from './concatenate.js';
import { Conv2D } from './conv2d.js';
import { Conv2DTranspose } from './conv2d-transpose.js';
import { Dense } from './dense.js';
import { GlobalAveragePooling2D } from './global-pooling2d.js';
import { Flatten } from './flatten.js';
import { Input } from './input-layer.js';
import { computeLoss } from '../losses/losses.js';
import { MaxPooling2D } from './max-pooling2d.js';
import { Model } from '../models/model.js';
import { SeparableConv2D } from './separable-conv2d.js';
import { UpSampling2D } from './up-sampling2d.js';
import { useTestBackend, values } from '../test-utils/setup.js';

beforeAll(useTestBackend);

/**
 * A small DAG that touches every differentiable layer kind the package has,
 * including the local conv2d/max-pool gradients, BatchNormalization in training
 * mode, both upsampling modes and 'same' average pooling, with a batch of 3.
 */
function smallModel(): Model {
  const x = Input({ shape: [6, 6, 2] });
  const a = new Conv2D({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }).apply(x); // 3x3
  const b = new SeparableConv2D({ filters: 3, kernelSize: 3, padding: 'valid', activation: 'swish' }).apply(new MaxPooling2D().apply(x)); // 3x3 -> 1x1
  const up = new UpSampling2D({ size: 3, interpolation: 'bilinear' }).apply(b); // 3x3
  const sum = new Add().apply([a, up]);
  const bn = new BatchNormalization().apply(sum);
  const t = new Conv2DTranspose({ filters: 2, kernelSize: 2, strides: 2, activation: 'gelu' }).apply(bn); // 6x6
  const pooled = new AveragePooling2D({ poolSize: 3, strides: 2, padding: 'same' }).apply(t); // 3x3
  const near = new UpSampling2D({ size: 2 }).apply(new Conv2D({ filters: 1, kernelSize: 1 }).apply(pooled)); // 6x6, nearest
  const joined = new Concatenate().apply([
    new GlobalAveragePooling2D().apply(pooled),
    new Flatten().apply(new Conv2D({ filters: 1, kernelSize: 3, dilationRate: 1, activation: 'elu' }).apply(pooled)),
    new GlobalAveragePooling2D().apply(new Conv2D({ filters: 2, kernelSize: 3, dilationRate: 2, activation: 'tanh' }).apply(near)),
  ]);
  const out = new Dense({ units: 3, activation: 'softmax' }).apply(joined);
  return new Model({ inputs: x, outputs: out, seed: 11 });
}

describe('gradient check', () => {
  it('analytic gradients of the full training loss match central differences (float32, h = 1e-2, |Δ| <= 1e-4 + 1e-3·|g|)', () => {
    const model = smallModel();
    const x = tf.tensor4d(values(3 * 6 * 6 * 2, 4), [3, 6, 6, 2]);
    const y = tf.tensor1d([0, 2, 1], 'int32');
    const loss = () => computeLoss('sparse_categorical_crossentropy', y, model.call([x], { training: true })[0]);
    const weights = model.trainableWeights;
    const { grads } = tf.variableGrads(loss as () => tf.Scalar, weights.map((w) => w.variable));
    const h = 1e-2;
    let checked = 0;
    let worst = 0;
    for (const w of weights) {
      const analytic = grads[w.variable.name].dataSync();
      const original = Float32Array.from(w.variable.dataSync());
      for (let i = 0; i < original.length; i++) {
        const at = (delta: number) => {
          const v = Float32Array.from(original);
          v[i] += delta;
          w.variable.assign(tf.tensor(v, w.variable.shape));
          return tf.tidy(() => loss().dataSync()[0]);
        };
        const numeric = (at(h) - at(-h)) / (2 * h);
        w.variable.assign(tf.tensor(original, w.variable.shape));
        const error = Math.abs(numeric - analytic[i]);
        worst = Math.max(worst, error / (1e-4 + 1e-3 * Math.abs(analytic[i])));
        if (error > 1e-4 + 1e-3 * Math.abs(analytic[i])) {
          throw new Error(`${w.path}[${i}]: analytic ${analytic[i]}, numeric ${numeric}`);
        }
        checked++;
      }
    }
    expect(checked).toBe(model.countParams().trainable);
    expect(checked).toBeGreaterThan(50);
    console.log(`gradient check: ${checked} weights, worst error ${worst.toFixed(3)} of the tolerance`);
  });
});
