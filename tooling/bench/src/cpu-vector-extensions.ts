import { readFileSync } from 'node:fs';

/**
 * The widest x86 vector extension this CPU reports (`AVX-512`, `AVX2`, `AVX`, or `none`),
 * from Linux's /proc/cpuinfo flags; `unknown` where that file is missing (macOS, Windows,
 * containers hiding it). ONNX Runtime's and XNNPACK's kernels, and so the speed targets,
 * depend on it, so the bench prints it next to the figures.
 */
export function cpuVectorExtensions(cpuinfo: string | null = readCpuinfo()): 'AVX-512' | 'AVX2' | 'AVX' | 'none' | 'unknown' {
  if (cpuinfo === null) return 'unknown';
  const flags = new Set((/^flags\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? '').split(/\s+/));
  if (flags.size <= 1) return 'unknown';
  if (flags.has('avx512f')) return 'AVX-512';
  if (flags.has('avx2')) return 'AVX2';
  if (flags.has('avx')) return 'AVX';
  return 'none';
}

function readCpuinfo(): string | null {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return null;
  }
}
