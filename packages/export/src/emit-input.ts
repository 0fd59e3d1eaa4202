import { CnnkitError } from '@cnnkit/tensor-core';
import type { Emitter } from './emit-context.js';

/**
 * InputLayer: its output is the graph input `image`, passed in by the exporter;
 * no node. If the layer states its own shape (Keras's `batchShape` [null, H, W, C]
 * or `shape` [H, W, C]) it must agree with the model's `inputShape`.
 */
export const emitInput: Emitter = (_ctx, layer, [image]) => {
  const batchShape = layer.config.batchShape;
  const stated = Array.isArray(batchShape) ? batchShape.slice(1) : layer.config.shape;
  if (Array.isArray(stated) && (stated.length !== image.shape.length || stated.some((d, i) => d !== null && d !== image.shape[i]))) {
    throw new CnnkitError(
      'EXPORT_CONFIG',
      `ONNX export of layer "${layer.name}" (InputLayer): expected its shape to match the model's inputShape [${image.shape.join(', ')}], received [${stated.join(', ')}]`,
    );
  }
  return image;
};
