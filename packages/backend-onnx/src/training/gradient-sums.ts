import type { GraphBuilder } from './graph-builder.js';

/**
 * The gradients flowing back into each tensor of the graph, by a key per tensor: a
 * tensor read by several layers (a residual skip, the branches of a Concatenate)
 * gets one contribution from each, and its producer receives their sum. Every
 * contribution to one key has the layout of that tensor (an NCHW copy of a blocked
 * tensor has its own key).
 */
export class GradientSums {
  readonly #b: GraphBuilder;
  readonly #parts = new Map<string, string[]>();

  constructor(b: GraphBuilder) {
    this.#b = b;
  }

  add(key: string, gradient: string): void {
    const parts = this.#parts.get(key);
    if (parts === undefined) this.#parts.set(key, [gradient]);
    else parts.push(gradient);
  }

  /** The summed gradient of `key` (one `Sum` node for several parts), or null when nothing flowed into it. Call once per key, after every consumer's backward. */
  take(key: string, base: string): string | null {
    const parts = this.#parts.get(key);
    this.#parts.delete(key);
    if (parts === undefined || parts.length === 0) return null;
    return parts.length === 1 ? parts[0] : this.#b.op('Sum', parts, `${base}/dsum`);
  }
}
