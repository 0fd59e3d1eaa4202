import type { BatchNormalization } from '../layers/batch-normalization.js';
import type { Conv2D } from '../layers/conv2d.js';
import type { Conv2DTranspose } from '../layers/conv2d-transpose.js';
import type { Dense } from '../layers/dense.js';
import type { Layer } from '../layers/layer.js';
import { LAYER_CLASS_NAMES, type LayerClassName } from '../layers/layer-kinds.js';
import type { SeparableConv2D } from '../layers/separable-conv2d.js';
import type { Shape } from '../utils/shape.js';

/** A weight a layer will create: its name within the layer, shape, and whether the optimizer trains it. */
export interface PlannedWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly trainable: boolean;
}

/**
 * The weights `layer` creates when it is built for `inputShapes`, computed from its
 * options alone, so that a loader can check sizes before anything is allocated.
 * Null for a class added with `registerLayerClass` (its weights are its own business).
 * Each case mirrors the layer's `build`; weight-plan.test.ts checks every class
 * against a real build.
 *
 * @example
 * ```ts
 * plannedWeights(new Dense({ units: 2 }), [[null, 8]]); // kernel [8, 2], bias [2]
 * ```
 */
export function plannedWeights(layer: Layer, inputShapes: readonly Shape[]): PlannedWeight[] | null {
  const className = layer.className;
  if (!(LAYER_CLASS_NAMES as readonly string[]).includes(className)) return null;
  const input = inputShapes[0] ?? [];
  const last = (input[input.length - 1] ?? 0) as number;
  const kind = className as LayerClassName;
  switch (kind) {
    case 'Conv2D':
    case 'Conv2DTranspose': {
      const l = layer as Conv2D | Conv2DTranspose;
      const channels = input[3] as number;
      const kernel = kind === 'Conv2D' ? [...l.kernelSize, channels, l.filters] : [...l.kernelSize, l.filters, channels];
      return withBias([{ name: 'kernel', shape: kernel, trainable: true }], l.useBias, l.filters);
    }
    case 'SeparableConv2D': {
      const l = layer as SeparableConv2D;
      const channels = input[3] as number;
      return withBias(
        [
          { name: 'depthwise_kernel', shape: [...l.kernelSize, channels, l.depthMultiplier], trainable: true },
          { name: 'pointwise_kernel', shape: [1, 1, channels * l.depthMultiplier, l.filters], trainable: true },
        ],
        l.useBias,
        l.filters,
      );
    }
    case 'Dense': {
      const l = layer as Dense;
      return withBias([{ name: 'kernel', shape: [last, l.units], trainable: true }], l.useBias, l.units);
    }
    case 'BatchNormalization': {
      const l = layer as BatchNormalization;
      const c = input[l.axis < 0 ? input.length + l.axis : l.axis] as number;
      return [
        ...(l.scale ? [{ name: 'gamma', shape: [c], trainable: true }] : []),
        ...(l.center ? [{ name: 'beta', shape: [c], trainable: true }] : []),
        { name: 'moving_mean', shape: [c], trainable: false },
        { name: 'moving_variance', shape: [c], trainable: false },
      ];
    }
    case 'InputLayer':
    case 'Rescaling':
    case 'MaxPooling2D':
    case 'AveragePooling2D':
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
    case 'Flatten':
    case 'Dropout':
    case 'UpSampling2D':
    case 'Activation':
    case 'Add':
    case 'Concatenate':
      return [];
    default: {
      const never: never = kind;
      throw new Error(`plannedWeights: unhandled layer class ${String(never)}`);
    }
  }
}

function withBias(weights: PlannedWeight[], useBias: boolean, size: number): PlannedWeight[] {
  return useBias ? [...weights, { name: 'bias', shape: [size], trainable: true }] : weights;
}
