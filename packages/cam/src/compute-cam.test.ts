import { Activation, Conv2D, Dense, Flatten, GlobalAveragePooling2D, Input, Model, seedCnn } from '@cnnkit/layers';
import { countLeaks, createRng, tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeCam } from './compute-cam.js';
import { expectClose, useCpu } from './test-utils/setup.js';

beforeAll(useCpu);

/**
 * A literal model small enough to do by hand: a 2x2x1 image, a 1x1 linear conv to two
 * channels, ReLU, GAP, Dense. With x = [[1, 2], [3, 4]], kernel [1, 0.5], bias [-2.5, 1]:
 *   A1 (conv, channel 1) = x - 2.5  = [-1.5, -0.5, 0.5, 1.5]
 *   A2 (conv, channel 2) = x/2 + 1  = [ 1.5,  2,   2.5, 3  ]
 *   R = ReLU(A): R1 = [0, 0, 0.5, 1.5], R2 = A2.   (row-major 2x2)
 */
const X = [1, 2, 3, 4];
const A1 = [-1.5, -0.5, 0.5, 1.5];
const A2 = [1.5, 2, 2.5, 3];
const R1 = A1.map((v) => Math.max(0, v));
const R2 = A2;

function tinyModel(head: { units: number; activation: 'softmax' | 'sigmoid'; kernel: number[]; bias: number[] }): Model {
  const x = Input({ shape: [2, 2, 1] });
  const conv = new Conv2D({ name: 'conv', filters: 2, kernelSize: 1, activation: 'linear' }).apply(x);
  const relu = new Activation({ name: 'relu', activation: 'relu' }).apply(conv);
  const gap = new GlobalAveragePooling2D({ name: 'gap' }).apply(relu);
  const y = new Dense({ name: 'head', units: head.units, activation: head.activation }).apply(gap);
  const model = new Model({ inputs: x, outputs: y });
  model.setWeights(
    new Map<string, tf.Tensor>([
      ['conv/kernel', tf.tensor4d([1, 0.5], [1, 1, 1, 2])],
      ['conv/bias', tf.tensor1d([-2.5, 1])],
      ['head/kernel', tf.tensor2d(head.kernel, [2, head.units])],
      ['head/bias', tf.tensor1d(head.bias)],
    ]),
  );
  return model;
}

/** The oracle for every method: ReLU(Σ_k w_k M_k), divided by its maximum. */
function weightedMap(w: readonly number[], maps: readonly (readonly number[])[]): number[] {
  const raw = maps[0].map((_, i) => Math.max(0, w.reduce((s, wk, k) => s + wk * maps[k][i], 0)));
  const max = Math.max(...raw);
  return raw.map((v) => (max > 0 ? v / max : 0));
}

const image = (): tf.Tensor4D => tf.tensor4d(X, [1, 2, 2, 1]);

describe('computeCam on a hand-computed softmax model', () => {
  // head kernel W[k][c]: W1 = [1, -1], W2 = [2, 1.5]; bias [0.1, -0.2].
  const head = { units: 2, activation: 'softmax' as const, kernel: [1, -1, 2, 1.5], bias: [0.1, -0.2] };

  it('CAM = ReLU(Σ_k w_k^c R_k) / max, exactly (1e-6), for both classes', async () => {
    const model = tinyModel(head);
    const [c0] = await computeCam(model, image(), { method: 'cam', classIndex: 0 });
    // class 0: R1 + 2 R2 = [3, 4, 5.5, 7.5] → / 7.5
    expectClose(c0.heatmap, [0.4, 4 / 7.5, 5.5 / 7.5, 1], 1e-6);
    expectClose(c0.heatmap, weightedMap([1, 2], [R1, R2]), 1e-6);
    expect([c0.height, c0.width, c0.classIndex]).toEqual([2, 2, 0]);
    const [c1] = await computeCam(model, image(), { method: 'cam', classIndex: 1 });
    // class 1: -R1 + 1.5 R2 = [2.25, 3, 3.25, 3] → / 3.25; peak at cell (1, 0) = pixel (1, 0)
    expectClose(c1.heatmap, [2.25 / 3.25, 3 / 3.25, 1, 3 / 3.25], 1e-6);
    expect(c1.peak).toEqual([1, 0]);
  });

  it('defaults to the predicted class and reports its softmax probability', async () => {
    const model = tinyModel(head);
    // logits: mean R1 = 0.5, mean R2 = 2.25 → z0 = 0.5 + 4.5 + 0.1 = 5.1, z1 = -0.5 + 3.375 - 0.2 = 2.675
    const [cam] = await computeCam(model, image(), { method: 'cam' });
    expect(cam.classIndex).toBe(0);
    expect(cam.score).toBeCloseTo(1 / (1 + Math.exp(2.675 - 5.1)), 6);
  });

  it('Grad-CAM at the pre-ReLU conv equals the hand-derived gradient-weighted map (1e-6)', async () => {
    // ∂z_c/∂A_k(ij) = W_kc / 4 · [A_k(ij) > 0] (GAP averages 4 cells, ReLU gates).
    // class 0: α1 = mean(1/4 · [0, 0, 1, 1]) = 0.125, α2 = 2/4 = 0.5
    //   map = ReLU(0.125 A1 + 0.5 A2) = [0.5625, 0.9375, 1.3125, 1.6875] → / 1.6875
    const model = tinyModel(head);
    const [g] = await computeCam(model, image(), { method: 'gradcam', layerName: 'conv', classIndex: 0 });
    expectClose(g.heatmap, [1 / 3, 5 / 9, 7 / 9, 1], 1e-6);
    expectClose(g.heatmap, weightedMap([0.125, 0.5], [A1, A2]), 1e-6);
  });

  it('Grad-CAM++ at the pre-ReLU conv uses α = g² / (2g² + ΣA·g³) (hand case, 1e-6)', async () => {
    // class 0, channel 1: g = 0.25 on cells 2, 3, else 0; ΣA1 = 0 → α = 1/2 there, 0 elsewhere
    //   (0/0 → 0); w1 = Σ α ReLU(g) = 2 · 0.5 · 0.25 = 0.25.
    // channel 2: g = 0.5 everywhere; ΣA2 = 9 → α = 0.25 / (0.5 + 9 · 0.125) = 2/13; w2 = 4 · 2/13 · 0.5 = 4/13.
    const model = tinyModel(head);
    const [g] = await computeCam(model, image(), { method: 'gradcam++', layerName: 'conv', classIndex: 0 });
    expectClose(g.heatmap, weightedMap([0.25, 4 / 13], [A1, A2]), 1e-6);
    // = [0.086538, 0.490385, 0.894231, 1.298077] / 1.298077
    expectClose(g.heatmap, [0.0666667, 0.3777778, 0.6888889, 1], 1e-6);
  });

  it('leaks no tensors', async () => {
    const model = tinyModel(head);
    const x = image();
    for (const method of ['cam', 'gradcam', 'gradcam++'] as const) {
      const { leaked } = await countLeaks(() => computeCam(model, x, { method }));
      expect(leaked, method).toBe(0);
    }
    x.dispose();
  });
});

describe('computeCam on a hand-computed sigmoid model', () => {
  // One unit: w = [2, -0.5]. Class 1 (p) uses +w, class 0 (1 - p, logit -z) uses -w.
  const head = { units: 1, activation: 'sigmoid' as const, kernel: [2, -0.5], bias: [0] };

  it('class 1 weights +w, class 0 weights -w (CAM and Grad-CAM, 1e-6)', async () => {
    const model = tinyModel(head);
    // class 1: 2 R1 - 0.5 R2 = [-0.75, -1, -0.25, 1.5] → [0, 0, 0, 1]
    // class 0: -2 R1 + 0.5 R2 = [0.75, 1, 0.25, -1.5] → [0.75, 1, 0.25, 0]
    const [p1] = await computeCam(model, image(), { method: 'cam', classIndex: 1 });
    expectClose(p1.heatmap, [0, 0, 0, 1], 1e-6);
    const [p0] = await computeCam(model, image(), { method: 'cam', classIndex: 0 });
    expectClose(p0.heatmap, [0.75, 1, 0.25, 0], 1e-6);
    const [g0] = await computeCam(model, image(), { method: 'gradcam', layerName: 'relu', classIndex: 0 });
    expectClose(g0.heatmap, [0.75, 1, 0.25, 0], 1e-6);
    // z = 2 · 0.5 - 0.5 · 2.25 = -0.125 → p < 0.5 → predicted class 0 with score 1 - p
    const [d] = await computeCam(model, image(), { method: 'gradcam' });
    expect(d.classIndex).toBe(0);
    expect(d.score).toBeCloseTo(1 - 1 / (1 + Math.exp(0.125)), 6);
  });
});

describe('CAM and Grad-CAM agree on GAP → Dense heads', () => {
  // Why: with S_c = Σ_k w_kc · (1/Z) Σ_ij A_k(ij) + b_c (GAP then the Dense's pre-activation),
  // ∂S_c/∂A_k(ij) = w_kc / Z for every one of the Z cells, so the Grad-CAM weight (the mean gradient)
  // is α_k = w_kc / Z. Grad-CAM = ReLU(Σ_k w_kc A_k / Z) = ReLU-CAM / Z, and dividing each map by its
  // maximum removes the 1/Z (the Dense bias b_c has no gradient w.r.t. A and is not in CAM either). (For class 0 of a sigmoid head both use -w.) So after normalisation the two
  // maps are equal up to float rounding.
  for (const numClasses of [2, 3]) {
    it(`seedCnn with ${numClasses === 2 ? 'a sigmoid' : 'a softmax'} head: max |CAM - Grad-CAM| < 1e-4 at the GAP input`, async () => {
      const model = seedCnn({ imageSize: [32, 32], numClasses, seed: 7 });
      const rng = createRng(3);
      const x = tf.tensor4d(Array.from({ length: 4 * 32 * 32 * 3 }, () => Math.floor(rng.next() * 256)), [4, 32, 32, 3]);
      const gapInput = model.layers[model.layers.length - 3].name!; // the last max-pooling, which GAP averages
      let nonTrivial = 0;
      for (let c = 0; c < numClasses; c++) {
        const cam = await computeCam(model, x, { method: 'cam', classIndex: c });
        const grad = await computeCam(model, x, { method: 'gradcam', classIndex: c, layerName: gapInput });
        for (let i = 0; i < 4; i++) {
          expectClose(grad[i].heatmap, cam[i].heatmap, 1e-4);
          if (Math.max(...cam[i].heatmap) === 1) nonTrivial++;
        }
      }
      expect(nonTrivial).toBeGreaterThan(0);
      x.dispose();
    });
  }
});

describe('computeCam errors', () => {
  it('names the layer when the model has no GAP → Dense head for CAM', async () => {
    const x = Input({ shape: [4, 4, 1] });
    const conv = new Conv2D({ name: 'features', filters: 2, kernelSize: 3 }).apply(x);
    const flat = new Flatten({ name: 'flat' }).apply(conv);
    const y = new Dense({ name: 'out', units: 2, activation: 'softmax' }).apply(flat);
    const model = new Model({ inputs: x, outputs: y });
    const img = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
    await expect(computeCam(model, img, { method: 'cam' })).rejects.toThrow(/Dense "out" is fed by Flatten "flat", not by GlobalAveragePooling2D/);
    // Grad-CAM works on the same model.
    const [g] = await computeCam(model, img, { method: 'gradcam' });
    expect([g.height, g.width]).toEqual([2, 2]);
    await expect(computeCam(model, img, { method: 'gradcam', layerName: 'nope' })).rejects.toThrow(/no layer named "nope".*features \(Conv2D\)/);
    await expect(computeCam(model, img, { method: 'gradcam', classIndex: 2 })).rejects.toThrow(/classIndex an integer in 0..1, received 2/);
    await expect(computeCam(model, img, { method: 'gradcam', layerName: 'flat' })).rejects.toThrow(/\[N, H, W, C\] feature maps, received Flatten "flat"/);
    const wrong = tf.zeros([1, 5, 4, 1]) as tf.Tensor4D;
    await expect(computeCam(model, wrong, { method: 'gradcam' })).rejects.toThrow(/expected images of shape \[null,4,4,1\].*received \[1,5,4,1\]/);
    wrong.dispose();
    img.dispose();
  });
});
