import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchOutcome } from './bench-result.js';
import { runChild } from './run-child.js';
import { SYSTEM_PYTHON } from './pytorch-engine.js';

const SCRIPT = fileURLToPath(new URL('../python/torch_bench.py', import.meta.url));

/**
 * Pythons to try for the CUDA peer: `CNNKIT_BENCH_PYTHON` alone when set, else Debian's
 * and the first `python3` on PATH (a GPU machine's CUDA torch is usually pip-installed
 * there, not Debian's CPU build).
 */
export function cudaPythonCandidates(env: Record<string, string | undefined> = process.env): string[] {
  if (env.CNNKIT_BENCH_PYTHON) return [env.CNNKIT_BENCH_PYTHON];
  return ['python3', SYSTEM_PYTHON, 'python'];
}

/** The first candidate whose torch sees a CUDA device, with its torch version and GPU name; or why none does. */
export async function findCudaPython(candidates = cudaPythonCandidates()): Promise<{ python: string; info: string } | { reason: string }> {
  const tried: string[] = [];
  for (const python of candidates) {
    if (python.includes('/') && !existsSync(python)) {
      tried.push(`${python}: not found`);
      continue;
    }
    const probe = await runChild(
      python,
      ['-c', 'import torch, json; ok = torch.cuda.is_available(); print(json.dumps({"torch": torch.__version__, "cuda": ok, "gpu": torch.cuda.get_device_name(0) if ok else None}))'],
      120_000,
    );
    const record = probe.records[0] as { torch?: string; cuda?: boolean; gpu?: string } | undefined;
    if (probe.code === 0 && record?.cuda === true) return { python, info: `torch ${record.torch}, ${record.gpu}` };
    tried.push(`${python}: ${probe.code !== 0 ? 'no torch' : `torch ${record?.torch ?? '?'} sees no CUDA device`}`);
  }
  return { reason: `no Python whose torch sees CUDA (${tried.join('; ')}; set CNNKIT_BENCH_PYTHON)` };
}

export interface TorchCudaBenchOptions {
  size: number;
  batch: number;
  warmup: number;
  repeats: number;
  tasks: readonly ('train' | 'infer')[];
}

/** PyTorch on CUDA, fp32 channels-last, one outcome per task; skipped rows say why when no CUDA torch is found. */
export async function benchPytorchCuda(options: TorchCudaBenchOptions, found?: Awaited<ReturnType<typeof findCudaPython>>): Promise<BenchOutcome[]> {
  const { size, batch, warmup, repeats, tasks } = options;
  const where = found ?? (await findCudaPython());
  if ('reason' in where) return tasks.map((task) => ({ kind: 'skipped', skipped: { engine: 'pytorch-cuda', task, size, reason: where.reason } }));
  const out = await runChild(
    where.python,
    [SCRIPT, '--device', 'cuda', '--size', String(size), '--batch', String(batch), '--warmup', String(warmup), '--repeats', String(repeats), '--tasks', tasks.join(',')],
    30 * 60_000,
  );
  return tasks.map((task): BenchOutcome => {
    const record = out.records.find((r) => r.task === task);
    if (record === undefined || typeof record.imagesPerSecond !== 'number') {
      return { kind: 'skipped', skipped: { engine: 'pytorch-cuda', task, size, reason: `torch_bench.py --device cuda failed (exit ${out.code}): ${out.stderrTail}` } };
    }
    return {
      kind: 'result',
      result: { engine: 'pytorch-cuda', task, size, batch, imagesPerSecond: record.imagesPerSecond, repeats, note: `${where.info}, fp32 (TF32 off), channels-last` },
    };
  });
}
