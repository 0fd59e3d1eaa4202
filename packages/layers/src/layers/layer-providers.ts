/** A cnnkit package that provides layer classes, and the call that registers them. */
export interface LayerProvider {
  package: string;
  register: string;
  classNames: readonly string[];
}

/**
 * Layer classes that live in other cnnkit packages (which depend on this one, so this
 * one cannot import them statically). `loadModel` registers them on demand, so a model
 * saved with augmentation layers loads in one step; `@cnnkit/augment`'s test pins this
 * list to its own.
 */
export const LAYER_PROVIDERS: readonly LayerProvider[] = [
  {
    package: '@cnnkit/augment',
    register: 'registerAugmentLayers',
    classNames: ['RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomTranslation', 'RandomContrast', 'RandomBrightness', 'RandomCrop', 'Resizing', 'CenterCrop', 'Augmentation'],
  },
];

/** The package that provides a layer class, if a cnnkit package does. */
export function providerOf(className: string): LayerProvider | undefined {
  return LAYER_PROVIDERS.find((p) => p.classNames.includes(className));
}
