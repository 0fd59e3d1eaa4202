import { CnnkitError, tf } from '@cnnkit/tensor-core';
import { checkFinite, checkOneOf, checkPositiveInteger } from './errors.js';
import { FILL_MODES, INTERPOLATIONS, type FillMode, type Interpolation } from './fill-mode.js';
import { assertImages } from './image-checks.js';
import { sampleArrays } from './sample-arrays.js';

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
const EXACT_ROWS = 2 ** 24;

/*
 * Why not tf.image.transform: in tfjs 4.22 the cpu kernel returns after the first image
 * of a batch (the others stay at fillValue), the wasm kernel reads negative coordinates
 * in 'reflect' mode from the far edge (row 1 2 3 4 shifted by 2 gives 4 4 1 2, not 2 1 1 2), and the two backends round ties differently.
 * So the sampling is built here, identically on every backend: the input is extended by
 * the fill mode as a grid of pixels, then sampled (nearest rounds half up, bilinear blends
 * the four surrounding pixels of the extended grid) — from gathers as tensor ops, or, on
 * the CPU backends outside gradient recording, by one loop over the values in memory
 * (sample-arrays.ts, 10x faster there); both agree to float32 rounding.
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
  return sampleProjectiveOn(arraysApply() ? 'arrays' : 'tensors', images, transforms, options);
}

/** Where the sampling runs: on the values in memory (`sampleArrays`) or as tensor ops (any backend, recorded on the gradient tape). */
export type Sampler = 'arrays' | 'tensors';

/**
 * The arrays sampler serves the CPU backends (their tensors are in memory) outside
 * gradient recording. While gradients are recorded the tensor ops run: a value read
 * into memory would leave the tape, and a gradient through an augmentation (which
 * cnnkit does not provide: no GatherV2 gradient) must fail loudly rather than come back
 * zero; gradients that stop at the augmentation, as in training, work either way. GPU
 * backends keep the tensor ops too (no round trip to the CPU).
 */
function arraysApply(): boolean {
  return (tf.getBackend() === 'cpu' || tf.getBackend() === 'wasm') && tf.engine().state.gradientDepth === 0;
}

/** `sampleProjective` with the sampler chosen (the tests run both on the same cases). */
export function sampleProjectiveOn(
  sampler: Sampler,
  images: tf.Tensor4D,
  transforms: readonly ProjectiveTransform[],
  options: SampleOptions,
): tf.Tensor4D {
  assertImages(OP, images);
  const [n, h, w] = images.shape;
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
  // Pixel rows are indexed in float32 arithmetic, exact below 2^24 rows: larger batches
  // are resampled in parts.
  const rowsPerImage = h * w + 1;
  if (rowsPerImage >= EXACT_ROWS) {
    throw new CnnkitError('BAD_OPTION', `${OP}: expected images of fewer than 2^24 pixels, received ${h}x${w}`);
  }
  const rows = transforms.length === 1 ? Array.from({ length: n }, () => transforms[0]) : transforms;
  if (sampler === 'arrays') {
    const values = images.dataSync() as Float32Array;
    return tf.tensor4d(sampleArrays(values, images.shape, rows, interpolation, fillMode, fillValue, [oh, ow]), [n, oh, ow, images.shape[3]]);
  }
  const perPart = Math.floor((EXACT_ROWS - 1) / rowsPerImage);
  if (n > perPart) return sampleInParts(images, rows, options, perPart);
  return sampleBatch(images, rows, interpolation, fillMode, fillValue, [oh, ow]);
}

/** Resamples `perPart` images at a time and concatenates the results. */
export function sampleInParts(
  images: tf.Tensor4D,
  transforms: readonly ProjectiveTransform[],
  options: SampleOptions,
  perPart: number,
): tf.Tensor4D {
  const [n, h, w, c] = images.shape;
  const parts: tf.Tensor4D[] = [];
  for (let start = 0; start < n; start += perPart) {
    const size = Math.min(perPart, n - start);
    const part = tf.slice(images, [start, 0, 0, 0], [size, h, w, c]);
    parts.push(sampleProjectiveOn('tensors', part, transforms.slice(start, start + size), options));
    part.dispose();
  }
  const out = tf.concat(parts);
  tf.dispose(parts);
  return out;
}

function sampleBatch(
  images: tf.Tensor4D,
  rows: readonly ProjectiveTransform[],
  interpolation: Interpolation,
  fillMode: FillMode,
  fillValue: number,
  [oh, ow]: readonly [number, number],
): tf.Tensor4D {
  const [n, h, w, c] = images.shape;
  const rowsPerImage = h * w + 1;
  return tf.tidy(() => {
    const p = oh * ow;
    const projective = rows.some((t) => t[6] !== 0 || t[7] !== 0);
    // All coordinates in one matMul, [a-rows; b-rows; c-rows] x [x; y; 1]. Element-wise ops
    // then combine same-shaped [n, P] tensors: tfjs-cpu takes a per-element index-mapping
    // path for broadcasts such as [n, 1] x [n, P], which is ~10x slower than equal shapes.
    const matrix = tf.tensor2d(
      [
        ...rows.flatMap((t) => [t[0], t[1], t[2]]),
        ...rows.flatMap((t) => [t[3], t[4], t[5]]),
        ...(projective ? rows.flatMap((t) => [t[6], t[7], 1]) : []),
      ],
      [projective ? 3 * n : 2 * n, 3],
      'float32',
    );
    const flatIndex = tf.range(0, p, 1, 'float32');
    const gridY = tf.floor(tf.div(tf.add(flatIndex, 0.5), ow)); // + 0.5: exact even if the division rounds down
    const gridX = tf.sub(flatIndex, tf.mul(gridY, ow));
    const grid = tf.stack([gridX, gridY, tf.onesLike(gridX)]); // [3, P]
    const coords = tf.matMul(matrix, grid);
    let inX: tf.Tensor = tf.slice(coords, [0, 0], [n, p]);
    let inY: tf.Tensor = tf.slice(coords, [n, 0], [n, p]);
    // 1 where the point is defined; k = 0 sends it to infinity, outside the input whatever the fill mode
    let defined: tf.Tensor | null = null;
    if (projective) {
      const k = tf.slice(coords, [2 * n, 0], [n, p]);
      defined = tf.cast(tf.notEqual(k, 0), 'float32');
      const safeK = tf.add(k, tf.sub(1, defined)); // 1 where k = 0
      inX = tf.mul(tf.div(inX, safeK), defined);
      inY = tf.mul(tf.div(inY, safeK), defined);
    }
    // Far-away points keep their integer exactness in float32 after this clamp; it changes
    // no result, since every fill mode is periodic or constant that far out.
    const far = 2 ** 22;
    inX = tf.clipByValue(inX, -far, far);
    inY = tf.clipByValue(inY, -far, far);

    // Row h*w of each image is the fill value: points outside read it (constant mode, k = 0).
    const source = tf.reshape(tf.concat([tf.reshape(images, [n, h * w, c]), tf.fill([n, 1, c], fillValue)], 1), [n * rowsPerImage, c]);
    // First row of each image, as an [n, P] tensor made by an outer product (a broadcast add
    // would be slow on cpu). Not gather's batchDims: tfjs-wasm 4.22 gathers wrong rows with it.
    const imageBase = tf.matMul(tf.tensor2d(Array.from({ length: n }, (_, i) => i * rowsPerImage), [n, 1]), tf.ones([1, p]));
    /** One axis of integer-valued coordinates: the mapped pixel index and, if points can fall outside, a 0/1 mask. */
    const axis = (coord: tf.Tensor, len: number): { index: tf.Tensor; inside: tf.Tensor | null } => ({
      index: mapIndex(coord, len, fillMode),
      inside: fillMode === 'constant' ? tf.cast(tf.logicalAnd(tf.greaterEqual(coord, 0), tf.less(coord, len)), 'float32') : null,
    });
    /** Absolute row of `source` for pixel (x, y); the image's fill row where the point is outside. */
    const rowOf = (x: ReturnType<typeof axis>, y: ReturnType<typeof axis>): tf.Tensor => {
      const row = tf.add(tf.mul(y.index, w), x.index);
      const masks = [defined, x.inside, y.inside].filter((m): m is tf.Tensor => m !== null);
      if (masks.length === 0) return tf.add(row, imageBase);
      const keep = masks.reduce((a, b) => tf.mul(a, b));
      // an arithmetic select, exact for these integers, instead of broadcasting a scalar
      return tf.add(imageBase, tf.add(tf.mul(row, keep), tf.mul(tf.sub(1, keep), h * w)));
    };
    const gatherRows = (rows: tf.Tensor): tf.Tensor => tf.gather(source, tf.cast(tf.reshape(rows, [-1]), 'int32'));

    switch (interpolation) {
      case 'nearest': {
        // floor(x + 0.5): ties round up, the same on every backend
        const row = rowOf(axis(tf.floor(tf.add(inX, 0.5)), w), axis(tf.floor(tf.add(inY, 0.5)), h));
        return tf.reshape(gatherRows(row), [n, oh, ow, c]);
      }
      case 'bilinear': {
        const x0 = tf.floor(inX);
        const y0 = tf.floor(inY);
        const fx = tf.sub(inX, x0);
        const fy = tf.sub(inY, y0);
        const gx = tf.sub(1, fx);
        const gy = tf.sub(1, fy);
        const [ax0, ax1, ay0, ay1] = [axis(x0, w), axis(tf.add(x0, 1), w), axis(y0, h), axis(tf.add(y0, 1), h)];
        // The four neighbours of every output pixel in one gather and their weights spread
        // over the channels by one outer product; blocks are concatenated along the outer axis
        // (stacking along the last one is slow on wasm) and summed as same-shaped slices.
        const rows = tf.concat([rowOf(ax0, ay0), rowOf(ax1, ay0), rowOf(ax0, ay1), rowOf(ax1, ay1)].map((r) => tf.reshape(r, [-1])));
        const weights = tf.concat([tf.mul(gx, gy), tf.mul(fx, gy), tf.mul(gx, fy), tf.mul(fx, fy)].map((t) => tf.reshape(t, [-1])));
        const weighted = tf.mul(gatherRows(rows), tf.matMul(tf.reshape(weights, [4 * n * p, 1]), tf.ones([1, c])));
        const part = (k: number) => tf.slice(weighted, [k * n * p, 0], [n * p, c]);
        return tf.reshape(tf.add(tf.add(part(0), part(1)), tf.add(part(2), part(3))), [n, oh, ow, c]);
      }
      default: {
        const never: never = interpolation;
        throw new CnnkitError('BAD_OPTION', `${OP}: unknown interpolation ${String(never)}`);
      }
    }
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
