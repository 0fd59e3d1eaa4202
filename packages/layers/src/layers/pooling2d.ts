import { tf } from '@cnnkit/tensor-core';
import { ConfigReader } from '../utils/config-reader.js';
import { Layer, shapeMessage, single, type LayerArgs } from './layer.js';
import { convOutputLength, expectImage, type Padding, type Shape } from '../utils/shape.js';

export interface Pooling2DArgs extends LayerArgs {
  /** Window size. Default 2. */
  poolSize?: number | [number, number];
  /** Default: the pool size. */
  strides?: number | [number, number];
  /** Default `valid`. */
  padding?: Padding;
}

/**
 * What MaxPooling2D and AveragePooling2D share: the window options and the
 * output shape rule (same as a convolution without dilation).
 */
export abstract class Pooling2D extends Layer {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;

  constructor(className: string, args: Pooling2DArgs) {
    const r = new ConfigReader(className, args);
    const base = Layer.readBase(r);
    const poolSize = r.pair('poolSize', 2);
    const strides = r.optionalPair('strides') ?? poolSize;
    const padding = r.oneOf('padding', ['valid', 'same'] as const, 'valid');
    r.done();
    super(base);
    this.poolSize = poolSize;
    this.strides = strides;
    this.padding = padding;
  }

  computeOutputShape(shapes: readonly Shape[]): Shape {
    const [n, h, w, c] = expectImage(this.label, single(this, shapes));
    const oh = convOutputLength(h, this.poolSize[0], this.padding, this.strides[0])!;
    const ow = convOutputLength(w, this.poolSize[1], this.padding, this.strides[1])!;
    if (oh < 1 || ow < 1) {
      throw shapeMessage(this, `an input of at least ${this.poolSize[0]}x${this.poolSize[1]} pixels for pool size [${this.poolSize}] with padding "valid"`, shapes[0]);
    }
    return [n, oh, ow, c];
  }

  getConfig(): Record<string, unknown> {
    return { ...this.baseConfig(), poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }
}
