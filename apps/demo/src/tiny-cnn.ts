import { Conv2D, Dense, GlobalAveragePooling2D, MaxPooling2D, Rescaling, Sequential } from '@cnnkit/layers';

/**
 * The fallback's CNN: Rescaling(1/255), Conv2D 16 → pool → Conv2D 32 → pool →
 * Conv2D 64 → Conv2D 64, GlobalAveragePooling2D, Dense(1, sigmoid); all 3x3, same,
 * relu. Why not the seed CNN: at the 32x32 pixels that keep training to seconds,
 * its four pooled blocks leave Grad-CAM a 2x2 map, too coarse to point at the shape
 * (its peak landed in an empty quadrant). Here the last two convolutions stay at
 * 8x8, and the second of them widens what each cell sees to 26 of the 32 pixels,
 * which the classes need (three convolutions alone took twice the epochs).
 *
 * @example
 * ```ts
 * const model = tinyCnn([32, 32], 7);
 * ```
 */
export function tinyCnn(imageSize: [number, number], seed: number): Sequential {
  const model = new Sequential({ inputShape: [imageSize[0], imageSize[1], 3], seed, name: 'demo_tiny_cnn' });
  model.add(new Rescaling({ scale: 1 / 255 }));
  model.add(new Conv2D({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }));
  model.add(new MaxPooling2D());
  model.add(new Conv2D({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }));
  model.add(new MaxPooling2D());
  model.add(new Conv2D({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }));
  model.add(new Conv2D({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }));
  model.add(new GlobalAveragePooling2D());
  model.add(new Dense({ units: 1, activation: 'sigmoid' }));
  return model;
}
