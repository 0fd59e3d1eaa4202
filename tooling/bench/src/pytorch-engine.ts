import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchOutcome } from './bench-result.js';
import { runChild } from './run-child.js';

/**
 * Debian's interpreter, not the `python3` on PATH: `apt-get install python3-torch` installs
 * torch for /usr/bin/python3 only, and another python3 earlier on PATH cannot see it.
 */
export const SYSTEM_PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../python/torch_bench.py', import.meta.url));

export interface TorchBenchOptions {
  size: number;
  batch: number;
  warmup: number;
  repeats: number;
  tasks: readonly ('train' | 'infer')[];
  /** PyTorch intra-op threads; 2 (this machine's cores) by default. */
  threads?: number;
  python?: string;
}

/** Runs `python/torch_bench.py` (the tutorial CNN, channels-last, fixed threads) and returns one outcome per task. */
export async function benchPytorch(options: TorchBenchOptions): Promise<BenchOutcome[]> {
  const { size, batch, warmup, repeats, tasks } = options;
  const python = options.python ?? SYSTEM_PYTHON;
  const threads = options.threads ?? 2;
  const skip = (reason: string): BenchOutcome[] => tasks.map((task) => ({ kind: 'skipped', skipped: { engine: 'pytorch', task, size, reason } }));
  if (!existsSync(python)) return skip(`${python} not found (install Debian's python3 and python3-torch)`);
  const probe = await runChild(python, ['-c', 'import torch, json; print(json.dumps({"torch": torch.__version__}))'], 120_000);
  if (probe.code !== 0) return skip(`PyTorch not importable by ${python} (apt-get install -y python3-torch): ${probe.stderrTail}`);
  const out = await runChild(
    python,
    [SCRIPT, '--size', String(size), '--batch', String(batch), '--warmup', String(warmup), '--repeats', String(repeats), '--threads', String(threads), '--tasks', tasks.join(',')],
    30 * 60_000,
  );
  return tasks.map((task): BenchOutcome => {
    const record = out.records.find((r) => r.task === task);
    if (record === undefined || typeof record.imagesPerSecond !== 'number') {
      return { kind: 'skipped', skipped: { engine: 'pytorch', task, size, reason: `torch_bench.py failed (exit ${out.code}): ${out.stderrTail}` } };
    }
    return {
      kind: 'result',
      result: {
        engine: 'pytorch',
        task,
        size,
        batch,
        imagesPerSecond: record.imagesPerSecond,
        repeats,
        note: `torch ${String(record.torch)}, ${String(record.threads)} threads, channels-last`,
      },
    };
  });
}
