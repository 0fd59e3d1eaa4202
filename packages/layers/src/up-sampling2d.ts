import { tf } from '@cnnkit/tensor-core';
import { ConfigReader } from './config-reader.js';
import { Layer, single, type LayerArgs } from './layer.js';
import { expectImage, type Shape } from './shape.js';

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
        return bilinearUpsample(x as tf.Tensor4D, this.size);
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

/**
 * The half-pixel-centre interpolation matrix [n * factor, n]: row o mixes inputs
 * floor(src) and floor(src) + 1 (clamped) at src = (o + 0.5) / factor - 0.5, as
 * TensorFlow's resize does.
 */
export function bilinearMatrix(n: number, factor: number): Float32Array {
  const out = n * factor;
  const m = new Float32Array(out * n);
  for (let o = 0; o < out; o++) {
    const src = (o + 0.5) / factor - 0.5;
    const low = Math.floor(src);
    const frac = src - low;
    const clamp = (i: number) => Math.min(Math.max(i, 0), n - 1);
    m[o * n + clamp(low)] += 1 - frac;
    m[o * n + clamp(low + 1)] += frac;
  }
  return m;
}

/**
 * Bilinear upsampling by integer factors as two matrix products (rows, then
 * columns). Why not `tf.image.resizeBilinear(..., halfPixelCenters)`: the forward
 * agrees, but tfjs-backend-cpu's ResizeBilinearGrad ignores half-pixel centres, so
 * its gradient disagreed with central differences; BatchMatMul's gradient is exact.
 */
export function bilinearUpsample(x: tf.Tensor4D, [fh, fw]: [number, number]): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const rows = tf.tensor2d(bilinearMatrix(h, fh), [h * fh, h]);
  const cols = tf.tensor2d(bilinearMatrix(w, fw), [w * fw, w]);
  // [N,H,W,C] -> [N*C*H, W] x [W, W*fw] -> [N,C,H,W*fw]
  const byRow = tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [n * c * h, w]);
  const wide = tf.reshape(tf.matMul(byRow, cols, false, true), [n, c, h, w * fw]);
  // [N,C,W*fw,H] -> [N*C*W*fw, H] x [H, H*fh] -> [N,C,W*fw,H*fh] -> [N,H*fh,W*fw,C]
  const byCol = tf.reshape(tf.transpose(wide, [0, 1, 3, 2]), [n * c * w * fw, h]);
  const tall = tf.reshape(tf.matMul(byCol, rows, false, true), [n, c, w * fw, h * fh]);
  return tf.transpose(tall, [0, 3, 2, 1]) as tf.Tensor4D;
}
