import { median } from './median.js';

export interface MeasureOptions {
  /** Untimed runs first: wasm compilation, onnxruntime session planning, allocator growth. */
  warmup: number;
  /** Timed runs; the median is reported so one descheduled run on a shared machine does not move it. */
  repeats: number;
  /** Images one run processes. */
  images: number;
  /** One step; awaited, so asynchronous engines are timed to completion. */
  run: () => unknown;
}

/**
 * Images per second of `run`: the median over `repeats` timed runs after `warmup` untimed ones.
 *
 * @example
 * ```ts
 * const ips = await measureThroughput({ warmup: 1, repeats: 5, images: 32, run: () => trainStep(model, [x], [y]) });
 * ```
 */
export async function measureThroughput(options: MeasureOptions): Promise<number> {
  const { warmup, repeats, images, run } = options;
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`measureThroughput: expected repeats a positive integer, received ${repeats}`);
  for (let i = 0; i < warmup; i++) await run();
  const rates: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await run();
    rates.push((images * 1000) / (performance.now() - t0));
  }
  return median(rates);
}
