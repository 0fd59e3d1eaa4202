import { seedCnn, type Model } from '@cnnkit/layers';

/**
 * The tutorial model as every cnnkit engine runs it: `seedCnn` with two classes,
 * compiled with RMSprop and binary cross-entropy (the Keras example's settings).
 */
export function tutorialModel(size: number): Model {
  const model = seedCnn({ imageSize: [size, size], numClasses: 2, seed: 1 });
  model.compile({ optimizer: 'rmsprop', loss: 'binary_crossentropy' });
  return model;
}
