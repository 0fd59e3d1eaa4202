import { tf } from '@cnnkit/tensor-core';
import { ConfigReader } from '../utils/config-reader.js';
import { Layer, single, type LayerArgs } from './layer.js';
import { expectImage, type Shape } from '../utils/shape.js';

export interface UpSampling2DArgs extends LayerArgs {
  /** Row and column factors. Default 2. */
  size?: number | [number, number];
  /** `nearest` (repeat rows and columns, Keras's default) or `bilinear`. */
  interpolation?: 'nearest' | 'bilinear';
}

/**
 * Enlarges height and width by integer factors (Keras `UpSampling2D`). `nearest`
 * repeats each row/column; `bilinear` interpolates with half-pixel centres, as
 * Keras 3's `ops.image.resize` does.
 *
 * @example
 * ```ts
 * new UpSampling2D({ size: 2, interpolation: 'bilinear' })
 * ```
 */
export class UpSampling2D extends Layer {
  readonly className = 'UpSampling2D' as const;
  readonly size: [number, number];
  readonly interpolation: 'nearest' | 'bilinear';

  constructor(args: UpSampling2DArgs = {}) {
    const r = new ConfigReader('UpSampling2D', args);
    const base = Layer.readBase(r);
    const size = r.pair('size', 2);
    const interpolation = r.oneOf('interpolation', ['nearest', 'bilinear'] as const, 'nearest');
    r.done();
    super(base);
    this.size = size;
    this.interpolation = interpolation;
  }

  static fromConfig(config: Record<string, unknown>): UpSampling2D {
    return new UpSampling2D(config as UpSampling2DArgs);
  }

  computeOutputShape(shapes: readonly Shape[]): Shape {
    const [n, h, w, c] = expectImage(this.label, single(this, shapes));
    return [n, h * this.size[0], w * this.size[1], c];
  }

  call([x]: readonly tf.Tensor[]): tf.Tensor {
    switch (this.interpolation) {
      case 'nearest':
        // Without corner alignment or half-pixel centres, output i reads input floor(i / factor): a repeat.
        return tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [x.shape[1]! * this.size[0], x.shape[2]! * this.size[1]], false, false);
      case 'bilinear':
        return tf.image.resizeBilinear(x as tf.Tensor4D, [x.shape[1]! * this.size[0], x.shape[2]! * this.size[1]], false, true);
      default: {
        const unknown: never = this.interpolation;
        throw new Error(`UpSampling2D: unknown interpolation ${String(unknown)}`);
      }
    }
  }

  getConfig(): Record<string, unknown> {
    return { ...this.baseConfig(), size: this.size, interpolation: this.interpolation };
  }
}

