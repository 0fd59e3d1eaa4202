import fc from 'fast-check';

type Spec = { className: string; config: Record<string, unknown> };

const small = (max: number) => fc.integer({ min: 1, max });
const convOptions = {
  filters: small(4),
  kernelSize: fc.oneof(small(3), fc.tuple(small(3), small(3))),
  padding: fc.constant('same'),
  useBias: fc.boolean(),
};

/** One feature-map layer (NHWC in, NHWC out) with small options. */
const imageLayer: fc.Arbitrary<Spec> = fc.oneof(
  fc.record(convOptions).map((config) => ({ className: 'Conv2D', config })),
  fc.record(convOptions).map((config) => ({ className: 'Conv2DTranspose', config })),
  fc.record({ ...convOptions, depthMultiplier: small(2) }).map((config) => ({ className: 'SeparableConv2D', config })),
  fc.record({ center: fc.boolean(), scale: fc.boolean() }).map((config) => ({ className: 'BatchNormalization', config })),
  fc.record({ poolSize: small(2), padding: fc.constant('same') }).map((config) => ({ className: 'MaxPooling2D', config })),
  fc.record({ poolSize: small(2), padding: fc.constant('same') }).map((config) => ({ className: 'AveragePooling2D', config })),
  fc.constant({ className: 'UpSampling2D', config: { size: 1 } }),
  fc.record({ rate: fc.constantFrom(0, 0.25, 0.5) }).map((config) => ({ className: 'Dropout', config })),
  fc.constant({ className: 'Activation', config: { activation: 'relu' } }),
  fc.constant({ className: 'Rescaling', config: { scale: 1 / 255 } }),
);

/**
 * Valid Sequential architectures as model.json stores them: an InputLayer of a few
 * pixels, feature-map layers of every class with weights, then a head (Flatten or
 * global pooling, Dense). Small enough to build in milliseconds.
 */
export const sequentialArchitecture: fc.Arbitrary<{ className: 'Sequential'; config: { name: string; seed: number; layers: Spec[] } }> = fc
  .record({
    shape: fc.tuple(small(6), small(6), small(3)),
    body: fc.array(imageLayer, { maxLength: 5 }),
    head: fc.constantFrom('Flatten', 'GlobalAveragePooling2D', 'GlobalMaxPooling2D'),
    units: small(3),
    useBias: fc.boolean(),
    seed: fc.nat(1000),
  })
  .map(({ shape, body, head, units, useBias, seed }) => ({
    className: 'Sequential' as const,
    config: {
      name: 'sequential',
      seed,
      layers: [
        { className: 'InputLayer', config: { shape } },
        ...body,
        { className: head, config: {} },
        { className: 'Dense', config: { units, useBias } },
      ],
    },
  }));
