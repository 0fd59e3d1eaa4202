import { attr } from '@cnnkit/onnx-proto';
import { assertChannelsLast, assertImageInput, readEnum, readPair } from './config.js';
import type { Emitter } from './emit-context.js';

/**
 * UpSampling2D -> Resize with scales [1, 1, sh, sw].
 * - nearest: Keras repeats rows/columns, i.e. source = floor(dst / scale), which
 *   is tfjs resizeNearestNeighbor(alignCorners=false, halfPixelCenters=false) and
 *   ONNX coordinate_transformation_mode "asymmetric" with nearest_mode "floor".
 * - bilinear: TF2 tf.image.resize bilinear uses half-pixel centres: "half_pixel".
 */
export const emitUpSampling2D: Emitter = (ctx, layer, [input]) => {
  assertChannelsLast(layer);
  assertImageInput(layer, input.shape);
  const x = ctx.toNCHW(input);
  const [h, w, channels] = x.shape;
  const size = readPair(layer, 'size', 2);
  const interpolation = readEnum(layer, 'interpolation', ['nearest', 'bilinear'], 'nearest');
  const g = ctx.graph;
  const scales = g.float(`${layer.name}_scales`, [4], new Float32Array([1, 1, size[0], size[1]]));
  const attributes =
    interpolation === 'nearest'
      ? [attr.string('mode', 'nearest'), attr.string('coordinate_transformation_mode', 'asymmetric'), attr.string('nearest_mode', 'floor')]
      : [attr.string('mode', 'linear'), attr.string('coordinate_transformation_mode', 'half_pixel')];
  // The empty name skips the optional `roi` input.
  const y = g.node('Resize', [x.name, '', scales], layer.name, attributes);
  return { name: y, shape: [h * size[0], w * size[1], channels], layout: 'NCHW' };
};
