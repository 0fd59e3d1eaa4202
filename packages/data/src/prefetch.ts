type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface PrefetchOptions {
  /** Loads running at once. sharp decodes on libuv's threadpool, so this is real parallelism. */
  parallelism: number;
  /** Items started but not yet taken by the consumer (running or done): the memory bound. */
  ahead: number;
}

/**
 * Runs `load(0..count-1)` with bounded concurrency and yields the results in
 * index order. Loading goes on while the consumer works on what it was given
 * (completions start the next loads, not the consumer's pull), so decoding the
 * next batches overlaps with training on this one. At most `ahead` results are
 * held. A failed load is thrown when its turn comes; stopping early (break)
 * starts nothing new.
 */
export async function* orderedPrefetch<T>(
  count: number,
  load: (index: number) => Promise<T>,
  options: PrefetchOptions,
): AsyncGenerator<T, void, undefined> {
  const parallelism = Math.max(1, Math.floor(options.parallelism));
  const ahead = Math.max(parallelism, Math.floor(options.ahead));
  const done = new Map<number, Settled<T>>();
  let started = 0;
  let consumed = 0;
  let running = 0;
  let stopped = false;
  let wake: (() => void) | null = null;

  const pump = (): void => {
    while (!stopped && started < count && running < parallelism && started - consumed < ahead) {
      const index = started++;
      running++;
      let settled: Settled<T>;
      Promise.resolve()
        .then(() => load(index))
        .then(
          (value) => (settled = { ok: true, value }),
          (error: unknown) => (settled = { ok: false, error }),
        )
        .then(() => {
          running--;
          if (!stopped) done.set(index, settled);
          const w = wake;
          wake = null;
          w?.();
          pump();
        });
    }
  };

  try {
    pump();
    while (consumed < count) {
      while (!done.has(consumed)) {
        await new Promise<void>((resolve) => (wake = resolve));
      }
      const result = done.get(consumed)!;
      done.delete(consumed);
      consumed++;
      pump();
      if (!result.ok) throw result.error;
      yield result.value;
    }
  } finally {
    stopped = true;
    done.clear();
  }
}
