import { attr } from '@cnnkit/onnx-proto';
import { CnnkitError } from '@cnnkit/tensor-core';
import { assertChannelsLast, assertImageInput, readBool, readEnum, readInt } from './config.js';
import type { EmitContext, Emitter } from './emit-context.js';
import type { ExportLayer } from './export-model.js';
import type { Value } from './onnx-graph.js';

/**
 * The largest centred window of an inHeight x inWidth image with the aspect ratio
 * of height x width (Keras's `crop_to_aspect_ratio`, and RandomCrop/CenterCrop's
 * inference window when the image is too small to crop directly).
 */
export function aspectCropWindow(inHeight: number, inWidth: number, height: number, width: number): { top: number; left: number; height: number; width: number } {
  const cropHeight = Math.max(Math.min(inHeight, Math.floor((inWidth * height) / width)), 1);
  const cropWidth = Math.max(Math.min(inWidth, Math.floor((inHeight * width) / height)), 1);
  return { top: Math.floor((inHeight - cropHeight) / 2), left: Math.floor((inWidth - cropWidth) / 2), height: cropHeight, width: cropWidth };
}

/** Static crop of the spatial axes (NCHW axes 2, 3); the batch stays dynamic. */
function crop(ctx: EmitContext, x: Value, win: { top: number; left: number; height: number; width: number }, base: string): Value {
  if (win.top === 0 && win.left === 0 && win.height === x.shape[0] && win.width === x.shape[1]) return x;
  const g = ctx.graph;
  const name = g.node(
    'Slice',
    [x.name, g.int64(`${base}_starts`, [win.top, win.left]), g.int64(`${base}_ends`, [win.top + win.height, win.left + win.width]), g.int64(`${base}_axes`, [2, 3])],
    base,
  );
  return { name, shape: [win.height, win.width, x.shape[2]], layout: 'NCHW' };
}

/**
 * Resize to an exact size with TF2's tf.image.resize convention (half-pixel
 * centres, no antialiasing). The target is given as `sizes`, not `scales`, so no
 * float ratio decides the output size; before opset 18 `sizes` must cover every
 * axis, so the dynamic [N, C] is read with Shape and concatenated with [h, w].
 * nearest: tfjs resizeNearestNeighbor(halfPixelCenters) takes floor((x + 0.5) * in/out),
 * which is ONNX "tf_half_pixel_for_nn" with nearest_mode "floor".
 */
function resize(ctx: EmitContext, x: Value, height: number, width: number, interpolation: 'bilinear' | 'nearest', base: string): Value {
  if (height === x.shape[0] && width === x.shape[1]) return x;
  const g = ctx.graph;
  // Shape's start/end attributes only exist from opset 15, so slice its result instead.
  const shape = g.node('Shape', [x.name], `${base}_shape`);
  const batchAndChannels = g.node('Slice', [shape, g.int64(`${base}_nc_start`, [0]), g.int64(`${base}_nc_end`, [2])], `${base}_nc`);
  const sizes = g.node('Concat', [batchAndChannels, g.int64(`${base}_hw`, [height, width])], `${base}_sizes`, [attr.int('axis', 0)]);
  const attributes =
    interpolation === 'bilinear'
      ? [attr.string('mode', 'linear'), attr.string('coordinate_transformation_mode', 'half_pixel')]
      : [attr.string('mode', 'nearest'), attr.string('coordinate_transformation_mode', 'tf_half_pixel_for_nn'), attr.string('nearest_mode', 'floor')];
  const name = g.node('Resize', [x.name, '', '', sizes], base, attributes);
  return { name, shape: [height, width, x.shape[2]], layout: 'NCHW' };
}

function readSize(layer: ExportLayer): [number, number] {
  return [readInt(layer, 'height'), readInt(layer, 'width')];
}

/**
 * The deterministic preprocessing layers, at inference:
 * - Resizing: resize to height x width (`interpolation` bilinear | nearest), after a
 *   centred aspect-ratio crop when `cropToAspectRatio`;
 * - CenterCrop: centred crop; an image smaller than the target is aspect-cropped
 *   and resized (bilinear) instead, as Keras documents;
 * - RandomCrop: at inference the centred aspect-ratio window, resized (bilinear).
 */
export const emitResizing: Emitter = (ctx, layer, [input]) => {
  assertChannelsLast(layer);
  assertImageInput(layer, input.shape);
  const x = ctx.toNCHW(input);
  const [h, w] = x.shape;
  const [height, width] = readSize(layer);
  switch (layer.className) {
    case 'Resizing': {
      const interpolation = readEnum(layer, 'interpolation', ['bilinear', 'nearest'], 'bilinear');
      const cropped = readBool(layer, 'cropToAspectRatio', false) ? crop(ctx, x, aspectCropWindow(h, w, height, width), `${layer.name}_crop`) : x;
      return resize(ctx, cropped, height, width, interpolation, layer.name);
    }
    case 'CenterCrop':
      if (h >= height && w >= width) {
        return crop(ctx, x, { top: Math.floor((h - height) / 2), left: Math.floor((w - width) / 2), height, width }, layer.name);
      }
      return resize(ctx, crop(ctx, x, aspectCropWindow(h, w, height, width), `${layer.name}_crop`), height, width, 'bilinear', layer.name);
    case 'RandomCrop':
      return resize(ctx, crop(ctx, x, aspectCropWindow(h, w, height, width), `${layer.name}_crop`), height, width, 'bilinear', layer.name);
    default:
      throw new CnnkitError('EXPORT_UNSUPPORTED', `emitResizing: expected Resizing, CenterCrop or RandomCrop, received ${layer.className}`);
  }
};
