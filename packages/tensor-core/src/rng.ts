import * as tf from '@tensorflow/tfjs-core';

/**
 * A seeded random number generator: xoshiro128** seeded through splitmix32.
 * Written here (it is 20 lines) rather than taken from a package because the
 * candidates are unmaintained and we need state export/restore for exact resume.
 */
export interface RngState {
  readonly s: readonly [number, number, number, number];
  readonly spareNormal: number | null;
}

function splitmix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a: turns a string label into a 32-bit seed. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export class Rng {
  #s = new Uint32Array(4);
  #spareNormal: number | null = null;

  constructor(seed: number | string) {
    if (typeof seed === 'number' && !Number.isFinite(seed)) {
      throw new RangeError(`Rng: expected a finite number or a string as seed, received ${seed}`);
    }
    const base = typeof seed === 'string' ? hashString(seed) : (Math.floor(seed) >>> 0) ^ Math.floor(seed / 2 ** 32);
    const sm = splitmix32(base);
    for (let i = 0; i < 4; i++) this.#s[i] = sm();
    if ((this.#s[0] | this.#s[1] | this.#s[2] | this.#s[3]) === 0) this.#s[0] = 1;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  uint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.uint32() >>> 5; // 27 bits
    const lo = this.uint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.next();
  }

  /** Uniform integer in [0, n). Unbiased (rejection sampling). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) {
      throw new RangeError(`Rng.int: expected an integer in 1..2^32, received ${n}`);
    }
    const limit = 2 ** 32 - (2 ** 32 % n);
    let x = this.uint32();
    while (x >= limit) x = this.uint32();
    return x % n;
  }

  /** Normal with the given mean and standard deviation (Box-Muller). */
  normal(mean = 0, std = 1): number {
    if (this.#spareNormal !== null) {
      const z = this.#spareNormal;
      this.#spareNormal = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** Normal redrawn until within two standard deviations (Keras's truncated normal). */
  truncatedNormal(mean = 0, std = 1): number {
    for (;;) {
      const z = this.normal();
      if (Math.abs(z) <= 2) return mean + std * z;
    }
  }

  /** Shuffles in place (Fisher-Yates) and returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /**
   * An independent generator derived from this one's current state and a label,
   * without advancing this one: streams for weights, dropout and augmentation
   * stay reproducible when one of them draws more numbers.
   */
  fork(label: string): Rng {
    const child = new Rng(0);
    const h = hashString(label);
    const sm = splitmix32((this.#s[0] ^ h) >>> 0);
    for (let i = 0; i < 4; i++) child.#s[i] = (sm() ^ this.#s[(i + 1) % 4]) >>> 0;
    if ((child.#s[0] | child.#s[1] | child.#s[2] | child.#s[3]) === 0) child.#s[0] = 1;
    return child;
  }

  /** Snapshot for checkpoints, so a resumed run draws the same numbers. */
  getState(): RngState {
    return { s: [this.#s[0], this.#s[1], this.#s[2], this.#s[3]], spareNormal: this.#spareNormal };
  }

  setState(state: RngState): void {
    if (!Array.isArray(state.s) || state.s.length !== 4 || state.s.some((v) => !Number.isInteger(v) || v < 0 || v > 0xffffffff)) {
      throw new RangeError('Rng.setState: expected { s: four uint32 numbers, spareNormal }');
    }
    for (let i = 0; i < 4; i++) this.#s[i] = state.s[i];
    this.#spareNormal = state.spareNormal;
  }

  /** Fills a typed array with uniform values in [low, high). */
  fillUniform(out: Float32Array, low = 0, high = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.uniform(low, high);
    return out;
  }

  fillNormal(out: Float32Array, mean = 0, std = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, std);
    return out;
  }

  /** A float32 tensor of uniform values drawn from this generator. */
  uniformTensor(shape: number[], low = 0, high = 1): tf.Tensor {
    const size = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(this.fillUniform(new Float32Array(size), low, high), shape, 'float32');
  }

  /** A float32 tensor of normal values drawn from this generator. */
  normalTensor(shape: number[], mean = 0, std = 1): tf.Tensor {
    const size = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(this.fillNormal(new Float32Array(size), mean, std), shape, 'float32');
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * A seeded generator.
 *
 * @example
 * ```ts
 * const rng = createRng(1337);
 * const order = rng.permutation(10); // the same order every run
 * ```
 */
export function createRng(seed: number | string): Rng {
  return new Rng(seed);
}
