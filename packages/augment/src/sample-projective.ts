import { CnnkitError, tf } from '@cnnkit/tensor-core';
import { checkFinite, checkOneOf, checkPositiveInteger } from './errors.js';
import { FILL_MODES, INTERPOLATIONS, type FillMode, type Interpolation } from './fill-mode.js';
import { assertImages } from './image-checks.js';

/**
 * One image's transform `[a0, a1, a2, b0, b1, b2, c0, c1]` (TensorFlow's
 * ImageProjectiveTransform layout): it maps an OUTPUT pixel `(x, y)` to the INPUT
 * point `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)` with `k = c0 x + c1 y + 1`.
 */
export type ProjectiveTransform = readonly number[];

export interface SampleOptions {
  interpolation: Interpolation;
  fillMode: FillMode;
  /** Value of points outside the input when `fillMode` is `constant`. */
  fillValue: number;
  /** `[height, width]` of the output; default the input's. */
  outputSize?: readonly [number, number];
}

const OP = 'sampleProjective';

/*
 * Why not tf.image.transform: in tfjs 4.22 the cpu kernel returns after the first image
 * of a batch (the others stay at fillValue), the wasm kernel reads negative coordinates
 * in 'reflect' mode from the far edge (row 1 2 3 4 shifted by 2 gives 4 4 1 2, not 2 1 1 2), and the two backends round ties differently.
 * So the sampling is built here from gathers, identically on every backend: the input
 * is extended by the fill mode as a grid of pixels, then sampled (nearest rounds half
 * up, bilinear blends the four surrounding pixels of the extended grid).
 * `transform.test.ts` pins those kernel defects so we notice when tfjs fixes them.
 */

/**
 * Resamples each image of a batch through its own projective transform.
 *
 * @example
 * ```ts
 * // shift every image right by 2 pixels, mirroring the uncovered edge
 * const out = sampleProjective(images, [[1, 0, -2, 0, 1, 0, 0, 0]], {
 *   interpolation: 'bilinear', fillMode: 'reflect', fillValue: 0,
 * });
 * ```
 */
export function sampleProjective(
  images: tf.Tensor4D,
  transforms: readonly ProjectiveTransform[],
  options: SampleOptions,
): tf.Tensor4D {
  assertImages(OP, images);
  const [n, h, w, c] = images.shape;
  if (transforms.length !== n && transforms.length !== 1) {
    throw new CnnkitError('BAD_OPTION', `${OP}: expected 1 or ${n} transforms (one per image), received ${transforms.length}`);
  }
  transforms.forEach((t, i) => {
    if (t.length !== 8 || t.some((v) => !Number.isFinite(v))) {
      throw new CnnkitError('BAD_OPTION', `${OP}: expected transform ${i} to be 8 finite numbers, received ${JSON.stringify(t)}`);
    }
  });
  const interpolation = checkOneOf(OP, 'interpolation', options.interpolation, INTERPOLATIONS);
  const fillMode = checkOneOf(OP, 'fillMode', options.fillMode, FILL_MODES);
  const fillValue = checkFinite(OP, 'fillValue', options.fillValue);
  const [oh, ow] = options.outputSize ?? [h, w];
  checkPositiveInteger(OP, 'output height', oh);
  checkPositiveInteger(OP, 'output width', ow);
  if (n === 0 || h === 0 || w === 0) {
    throw new CnnkitError('BAD_OPTION', `${OP}: expected a non-empty batch of non-empty images, received shape [${images.shape.join(', ')}]`);
  }

  return tf.tidy(() => {
    const rows = transforms.length === 1 ? Array.from({ length: n }, () => transforms[0]) : transforms;
    const coef = tf.tensor2d(rows.flatMap((t) => [...t]), [n, 8], 'float32');
    const [a0, a1, a2, b0, b1, b2, c0, c1] = tf.split(coef, 8, 1).map((t) => tf.reshape(t, [n, 1, 1]));
    const xs = tf.reshape(tf.range(0, ow, 1, 'float32'), [1, 1, ow]);
    const ys = tf.reshape(tf.range(0, oh, 1, 'float32'), [1, oh, 1]);
    let inX: tf.Tensor = tf.add(tf.add(tf.mul(a0, xs), tf.mul(a1, ys)), a2);
    let inY: tf.Tensor = tf.add(tf.add(tf.mul(b0, xs), tf.mul(b1, ys)), b2);
    // Affine transforms (every Keras layer here) skip the division: it would only add rounding.
    const projective = rows.some((t) => t[6] !== 0 || t[7] !== 0);
    let defined: tf.Tensor | null = null;
    if (projective) {
      const k = tf.add(tf.add(tf.mul(c0, xs), tf.mul(c1, ys)), 1);
      // k = 0 sends the point to infinity: it is outside the input, whatever the fill mode
      defined = tf.notEqual(k, 0);
      const safeK = tf.where(defined, k, tf.onesLike(k));
      inX = tf.where(defined, tf.div(inX, safeK), tf.zerosLike(inX));
      inY = tf.where(defined, tf.div(inY, safeK), tf.zerosLike(inY));
    }
    // Far-away points keep their integer exactness in float32 after this clamp; it changes
    // no result, since every fill mode is periodic or constant that far out.
    const far = 2 ** 22;
    inX = tf.clipByValue(inX, -far, far);
    inY = tf.clipByValue(inY, -far, far);

    const flat = tf.reshape(images, [n * h * w, c]);
    const batchBase = tf.reshape(tf.range(0, n * h * w, h * w, 'int32'), [n, 1, 1]);
    const read = (ix: tf.Tensor, iy: tf.Tensor): tf.Tensor => {
      const mx = tf.cast(mapIndex(ix, w, fillMode), 'int32');
      const my = tf.cast(mapIndex(iy, h, fillMode), 'int32');
      const index = tf.add(batchBase, tf.add(tf.mul(my, tf.scalar(w, 'int32')), mx));
      const values = tf.reshape(tf.gather(flat, tf.reshape(index, [-1])), [n, oh, ow, c]);
      if (fillMode !== 'constant') return values;
      const inside = tf.logicalAnd(
        tf.logicalAnd(tf.greaterEqual(ix, 0), tf.less(ix, w)),
        tf.logicalAnd(tf.greaterEqual(iy, 0), tf.less(iy, h)),
      );
      return tf.where(tf.reshape(inside, [n, oh, ow, 1]), values, tf.fill([n, oh, ow, c], fillValue));
    };

    let out: tf.Tensor;
    switch (interpolation) {
      case 'nearest':
        // floor(x + 0.5): ties round up, the same on every backend
        out = read(tf.floor(tf.add(inX, 0.5)), tf.floor(tf.add(inY, 0.5)));
        break;
      case 'bilinear': {
        const x0 = tf.floor(inX);
        const y0 = tf.floor(inY);
        const x1 = tf.add(x0, 1);
        const y1 = tf.add(y0, 1);
        const fx = tf.reshape(tf.sub(inX, x0), [n, oh, ow, 1]);
        const fy = tf.reshape(tf.sub(inY, y0), [n, oh, ow, 1]);
        const gx = tf.sub(1, fx);
        const gy = tf.sub(1, fy);
        const top = tf.add(tf.mul(read(x0, y0), gx), tf.mul(read(x1, y0), fx));
        const bottom = tf.add(tf.mul(read(x0, y1), gx), tf.mul(read(x1, y1), fx));
        out = tf.add(tf.mul(top, gy), tf.mul(bottom, fy));
        break;
      }
      default: {
        const never: never = interpolation;
        throw new CnnkitError('BAD_OPTION', `${OP}: unknown interpolation ${String(never)}`);
      }
    }
    if (defined !== null) {
      out = tf.where(tf.reshape(defined, [n, oh, ow, 1]), out, tf.fill([n, oh, ow, c], fillValue));
    }
    return out as tf.Tensor4D;
  });
}

/**
 * Maps integer-valued pixel indices (as float32) of the infinitely extended image onto
 * `0..len-1`. For `constant`, indices outside are clamped and masked by the caller.
 */
function mapIndex(index: tf.Tensor, len: number, fillMode: FillMode): tf.Tensor {
  let mapped: tf.Tensor;
  switch (fillMode) {
    case 'constant':
    case 'nearest':
      mapped = index;
      break;
    case 'wrap':
      mapped = tf.sub(index, tf.mul(tf.floor(tf.div(index, len)), len));
      break;
    case 'reflect': {
      // period 2*len: a b c d | d c b a
      const period = 2 * len;
      const m = tf.sub(index, tf.mul(tf.floor(tf.div(index, period)), period));
      mapped = tf.where(tf.less(m, len), m, tf.sub(period - 1, m));
      break;
    }
    default: {
      const never: never = fillMode;
      throw new CnnkitError('BAD_OPTION', `${OP}: unknown fillMode ${String(never)}`);
    }
  }
  // also guards the modular arithmetic against float rounding at the period boundaries
  return tf.clipByValue(mapped, 0, len - 1);
}
