import { attr } from '@cnnkit/onnx-proto';
import { CnnkitError } from '@cnnkit/tensor-core';
import { readBool, readNumber, readWeight } from './config.js';
import type { Emitter } from './emit-context.js';

/** Keras's BatchNormalization epsilon default (ONNX's is 1e-5, so it is always written). */
export const KERAS_BATCH_NORM_EPSILON = 1e-3;

/**
 * BatchNormalization (inference: moving statistics) -> ONNX BatchNormalization
 * over the channel axis, which must be Keras's last axis. `center: false` /
 * `scale: false` become beta = 0 / gamma = 1.
 */
export const emitBatchNormalization: Emitter = (ctx, layer, [input]) => {
  const x = ctx.toNCHW(input);
  const rank = x.shape.length + 1;
  const axis = readNumber(layer, 'axis', -1);
  const normalized = axis < 0 ? rank + axis : axis;
  if (normalized !== rank - 1 || (x.layout === 'flat' && rank !== 2)) {
    throw new CnnkitError(
      'EXPORT_UNSUPPORTED',
      `ONNX export of layer "${layer.name}" (BatchNormalization): expected axis -1 (channels last) on a 2-D or 4-D input, received axis ${axis} on input shape [N, ${x.shape.join(', ')}]`,
    );
  }
  const channels = x.shape[x.shape.length - 1];
  const epsilon = readNumber(layer, 'epsilon', KERAS_BATCH_NORM_EPSILON);
  const gamma = readBool(layer, 'scale', true) ? readWeight(layer, 'gamma', [channels]).values : new Float32Array(channels).fill(1);
  const beta = readBool(layer, 'center', true) ? readWeight(layer, 'beta', [channels]).values : new Float32Array(channels);
  const g = ctx.graph;
  const y = g.node(
    'BatchNormalization',
    [
      x.name,
      g.float(`${layer.name}_gamma`, [channels], gamma),
      g.float(`${layer.name}_beta`, [channels], beta),
      g.float(`${layer.name}_moving_mean`, [channels], readWeight(layer, 'movingMean', [channels]).values),
      g.float(`${layer.name}_moving_variance`, [channels], readWeight(layer, 'movingVariance', [channels]).values),
    ],
    layer.name,
    [attr.float('epsilon', epsilon)],
  );
  return { ...x, name: y };
};
