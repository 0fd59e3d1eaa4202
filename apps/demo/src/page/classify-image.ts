import { computeCam, type CamResult } from '@cnnkit/cam';
import { resizePixels, type RawImage } from '@cnnkit/data/pixels';
import type { Model } from '@cnnkit/layers';
import { tf } from '@cnnkit/tensor-core';

export interface Classification {
  /** One per class name, in the model's class order (a sigmoid unit p gives [1 - p, p]). */
  probabilities: number[];
  /** The Grad-CAM of the predicted class, at the last conv layer's resolution. */
  cam: CamResult;
  /** The pixels the model saw: the image resized to its input size. */
  input: RawImage;
}

/** `[height, width]` of the model's RGB image input. */
export function modelInputSize(model: Model): [number, number] {
  const [, h, w, c] = model.inputs[0].shape;
  if (typeof h !== 'number' || typeof w !== 'number' || c !== 3) {
    throw new Error(`demo: expected a model taking RGB images [batch, height, width, 3], this one takes [${model.inputs[0].shape.map((d) => d ?? 'None').join(', ')}]`);
  }
  return [h, w];
}

/**
 * Resizes the decoded image exactly as `cnnkit predict` does (the same bilinear
 * code, `resizePixels`, that `resizeImage` runs in Node), predicts, and computes the
 * Grad-CAM of the predicted class, on whichever backend is active.
 */
export async function classifyImage(model: Model, image: RawImage): Promise<Classification> {
  const input = resizePixels(image, modelInputSize(model), 'bilinear');
  const x = tf.tensor4d(Float32Array.from(input.data), [1, input.height, input.width, 3]);
  try {
    const y = model.predict(x) as tf.Tensor;
    const row = Array.from(await y.data());
    y.dispose();
    const probabilities = row.length === 1 ? [1 - row[0], row[0]] : row;
    const [cam] = await computeCam(model, x, { method: 'gradcam' });
    return { probabilities, cam, input };
  } finally {
    x.dispose();
  }
}
