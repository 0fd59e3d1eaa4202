import { CnnkitError, tf } from '@cnnkit/tensor-core';
import { Dense, type Layer, type Model } from '@cnnkit/layers';
import { classHead, forwardAll, forwardFrom, isConvLike, type ClassHead, type LayerValues } from './model-graph.js';

/** The heatmap methods, in the order of their papers. */
export const CAM_METHODS = ['cam', 'gradcam', 'gradcam++'] as const;
export type CamMethod = (typeof CAM_METHODS)[number];

export interface CamOptions {
  /**
   * `cam`: Zhou et al. 2016 (GAP → Dense heads only); `gradcam`: Selvaraju et al. 2017;
   * `gradcam++`: Chattopadhay et al. 2018.
   */
  method: CamMethod;
  /**
   * The layer whose feature maps are weighted. Default: for `cam` the layer feeding
   * GlobalAveragePooling2D, otherwise the last Conv2D / SeparableConv2D / Conv2DTranspose.
   */
  layerName?: string;
  /**
   * The class to explain, for every image. Default: each image's predicted class.
   * For a one-unit sigmoid head, class 1 is the probability p and class 0 is 1 - p.
   */
  classIndex?: number;
}

/** The heatmap of one image. */
export interface CamResult {
  /** Row-major `[height, width]` at the feature layer's resolution, ReLU'd and divided by its maximum: 0..1 (all 0 when nothing is positive). */
  heatmap: Float32Array;
  height: number;
  width: number;
  /** The class explained. */
  classIndex: number;
  /** The model's probability for that class (for a sigmoid head, p or 1 - p). */
  score: number;
  /** `[y, x]` of the heatmap's maximum (the first, row-major, on ties; cell 0 for an all-zero map), in input-image pixels: the centre of that cell. */
  peak: [number, number];
}

/** The Dense of a GAP → Dense head and the layer whose maps the pooling averages. */
interface GapHead {
  readonly dense: Dense;
  readonly features: Layer;
}

function layerNames(model: Model): string {
  return model.layers.map((l) => `${l.name} (${l.className})`).join(', ');
}

/** Follows the output back through Dropout layers to a Dense fed by GlobalAveragePooling2D. */
function gapHead(model: Model): GapHead | string {
  const out = model.outputs[0].layer;
  if (!(out instanceof Dense)) return `the output layer is ${out.label}, not a Dense`;
  let src = out.inbound![0].layer;
  while (src.className === 'Dropout') src = src.inbound![0].layer;
  if (src.className !== 'GlobalAveragePooling2D') return `${out.label} is fed by ${src.label}, not by GlobalAveragePooling2D`;
  return { dense: out, features: src.inbound![0].layer };
}

function pickLayer(model: Model, method: CamMethod, layerName: string | undefined, gap: GapHead | string): Layer {
  switch (method) {
    case 'cam': {
      if (typeof gap === 'string') {
        throw new CnnkitError(
          'UNSUPPORTED_MODEL',
          `computeCam (cam): expected a GlobalAveragePooling2D → Dense head, but in model "${model.name}" ${gap}; use method "gradcam" or "gradcam++", which work on any convolutional layer`,
        );
      }
      if (layerName !== undefined && layerName !== gap.features.name) {
        throw new CnnkitError(
          'BAD_OPTION',
          `computeCam (cam): CAM weights the maps that GlobalAveragePooling2D averages, from layer "${gap.features.name}", received layerName "${layerName}"; use gradcam for other layers`,
        );
      }
      return gap.features;
    }
    case 'gradcam':
    case 'gradcam++': {
      if (layerName !== undefined) {
        const layer = model.layers.find((l) => l.name === layerName);
        if (layer === undefined) throw new CnnkitError('UNKNOWN_LAYER', `computeCam: no layer named "${layerName}" in model "${model.name}"; layers: ${layerNames(model)}`);
        return layer;
      }
      const convs = model.layers.filter(isConvLike);
      if (convs.length === 0) {
        throw new CnnkitError('UNSUPPORTED_MODEL', `computeCam (${method}): expected a convolutional layer in model "${model.name}", found none; layers: ${layerNames(model)}`);
      }
      return convs[convs.length - 1];
    }
    default: {
      const never: never = method;
      throw new CnnkitError('BAD_OPTION', `computeCam: expected method one of ${CAM_METHODS.join(', ')}, received "${String(never)}"`);
    }
  }
}

/** Per image: +1/-1 for a binary head (the logit of 1 - p is -z), else a one-hot row. */
function classSelector(head: ClassHead, classes: readonly number[]): tf.Tensor2D {
  return head.units === 1
    ? tf.tensor2d(classes.map((c) => (c === 1 ? 1 : -1)), [classes.length, 1])
    : (tf.cast(tf.oneHot(tf.tensor1d([...classes], 'int32'), head.units), 'float32') as tf.Tensor2D);
}

/**
 * The per-image, per-channel weights `[N, K]` of the feature maps.
 *
 * - cam: the Dense weights of the class, `w_k^c`.
 * - gradcam: `α_k = (1/Z) Σ_ij ∂S/∂A_ij^k`, with S the pre-activation class score.
 * - gradcam++: with the exponential score Y = exp(S), every higher derivative of Y is a
 *   power of g = ∂S/∂A times Y, and the Y factors cancel (Chattopadhay et al. 2018, eq. 19):
 *   `α_ij^k = g² / (2 g² + Σ_ab A_ab^k g³)` (0 where the denominator is 0), and
 *   `w_k = Σ_ij α_ij^k ReLU(g_ij^k)` (the common factor exp(S) is dropped: the map is normalised).
 */
function channelWeights(
  method: CamMethod,
  model: Model,
  values: LayerValues,
  layer: Layer,
  head: ClassHead,
  gap: GapHead | string,
  selector: tf.Tensor2D,
): tf.Tensor2D {
  const A = values.get(layer)! as tf.Tensor4D;
  switch (method) {
    case 'cam': {
      const kernel = (gap as GapHead).dense.weights.find((w) => w.name === 'kernel')!.variable as tf.Tensor2D; // [K, units]
      // selector [N, units] · kernelᵀ [units, K]: the class's column, negated for class 0 of a sigmoid head.
      return tf.matMul(selector, kernel, false, true);
    }
    case 'gradcam':
    case 'gradcam++': {
      // Each image's score depends only on its own maps, so the gradient of the sum is the per-image gradient.
      const score = (a: tf.Tensor): tf.Scalar => tf.sum(tf.mul(head.logits(forwardFrom(model, values, layer, a, head.last)), selector));
      const g = tf.grad(score)(A) as tf.Tensor4D;
      if (method === 'gradcam') return tf.mean(g, [1, 2]) as tf.Tensor2D;
      const g2 = tf.square(g);
      const g3 = tf.mul(g2, g);
      const sumA = tf.sum(A, [1, 2], true);
      const denom = tf.add(tf.mul(g2, 2), tf.mul(sumA, g3));
      const safe = tf.where(tf.notEqual(denom, 0), denom, tf.onesLike(denom));
      const alpha = tf.where(tf.notEqual(denom, 0), tf.div(g2, safe), tf.zerosLike(denom));
      return tf.sum(tf.mul(alpha, tf.relu(g)), [1, 2]) as tf.Tensor2D;
    }
    default: {
      const never: never = method;
      throw new CnnkitError('BAD_OPTION', `computeCam: unknown method "${String(never)}"`);
    }
  }
}

/**
 * Class activation maps for a batch of images: where in each image the evidence for
 * a class lies. Every method forms `ReLU(Σ_k w_k A^k)` over the feature maps `A^k` of
 * one layer and divides by its maximum; they differ in the weights `w_k` (see
 * `CamOptions.method`). Takes raw 0..255 NHWC pixels at the model's input size (the
 * model rescales inside). Works on any backend (no sharp, no Node APIs here).
 *
 * @example
 * ```ts
 * const [cam] = await computeCam(model, tf.tensor4d(pixels, [1, 180, 180, 3]), { method: 'gradcam' });
 * console.log(cam.classIndex, cam.score, cam.peak); // heatmap: cam.height x cam.width, 0..1
 * ```
 */
export async function computeCam(model: Model, images: tf.Tensor4D, options: CamOptions): Promise<CamResult[]> {
  const method = options.method;
  if (!(CAM_METHODS as readonly string[]).includes(method)) {
    throw new CnnkitError('BAD_OPTION', `computeCam: expected method one of ${CAM_METHODS.join(', ')}, received "${String(method)}"`);
  }
  if (images.rank !== 4) throw new CnnkitError('BAD_INPUT', `computeCam: expected images [N, H, W, C], received rank ${images.rank} ${JSON.stringify(images.shape)}`);
  const n = images.shape[0];
  const head = classHead(model);
  const gap = gapHead(model);
  const layer = pickLayer(model, method, options.layerName, gap);
  const shape = layer.output!.shape;
  if (shape.length !== 4) {
    throw new CnnkitError('BAD_OPTION', `computeCam (${method}): expected a layer with [N, H, W, C] feature maps, received ${layer.label} with output ${JSON.stringify(shape)}`);
  }
  const classes = head.units === 1 ? 2 : head.units;
  if (options.classIndex !== undefined && (!Number.isInteger(options.classIndex) || options.classIndex < 0 || options.classIndex >= classes)) {
    throw new CnnkitError('BAD_OPTION', `computeCam: expected classIndex an integer in 0..${classes - 1}, received ${options.classIndex}`);
  }

  // The forward pass once; its outputs stay alive until the maps are made, because the
  // default class (and so the gradient's target) is known only after reading the prediction.
  const kept = tf.tidy(() => {
    const values = forwardAll(model, images.dtype === 'float32' ? images : tf.cast(images, 'float32'));
    return model.layers.map((l) => values.get(l)!);
  });
  const values: LayerValues = new Map(model.layers.map((l, i) => [l, kept[i]]));
  let maps: tf.Tensor3D;
  let scores: number[];
  let chosen: number[];
  try {
    const probs = (await values.get(model.outputs[0].layer)!.array()) as number[][];
    chosen = probs.map((p) => options.classIndex ?? predictedClass(p, head));
    scores = probs.map((p, i) => classScore(p, chosen[i], head));
    maps = tf.tidy(() => {
      const selector = classSelector(head, chosen);
      const w = channelWeights(method, model, values, layer, head, gap, selector); // [N, K]
      const A = values.get(layer)! as tf.Tensor4D;
      const raw = tf.relu(tf.sum(tf.mul(A, tf.reshape(w, [n, 1, 1, -1])), -1)); // [N, h, w]
      const max = tf.max(raw, [1, 2], true);
      // An all-zero map stays zero rather than dividing by 0.
      return tf.div(raw, tf.where(tf.greater(max, 0), max, tf.onesLike(max))) as tf.Tensor3D;
    });
  } finally {
    for (const t of new Set(kept)) if (t !== images) t.dispose();
  }
  const data = (await maps.data()) as Float32Array;
  const [, h, w] = maps.shape;
  maps.dispose();
  const [H, W] = [images.shape[1], images.shape[2]];
  return chosen.map((classIndex, i) => {
    const heatmap = data.slice(i * h * w, (i + 1) * h * w);
    let best = 0;
    for (let j = 1; j < heatmap.length; j++) if (heatmap[j] > heatmap[best]) best = j;
    const [y, x] = [Math.floor(best / w), best % w];
    return { heatmap, height: h, width: w, classIndex, score: scores[i], peak: [Math.floor(((y + 0.5) * H) / h), Math.floor(((x + 0.5) * W) / w)] };
  });
}

function predictedClass(p: readonly number[], head: ClassHead): number {
  if (head.units === 1) return p[0] >= (head.kind === 'sigmoid' ? 0.5 : 0) ? 1 : 0;
  let best = 0;
  for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
  return best;
}

function classScore(p: readonly number[], c: number, head: ClassHead): number {
  if (head.units !== 1) return p[c];
  if (c === 1) return p[0];
  return head.kind === 'sigmoid' ? 1 - p[0] : -p[0];
}
