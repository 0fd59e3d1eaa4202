import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU seconds used so far by each thread of this process (Linux: /proc/self/task),
 * or null elsewhere. On a shared machine this tells whether the worker threads got a
 * core each, which wall-clock rates alone cannot.
 */
export function threadCpuSeconds(): Map<string, number> | null {
  try {
    const tick = 100; // USER_HZ: 100 on every Linux Node supports
    return new Map(
      readdirSync('/proc/self/task').map((tid) => {
        const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
        return [tid, (Number(fields[11]) + Number(fields[12])) / tick] as const;
      }),
    );
  } catch {
    return null;
  }
}

/** The `count` largest shares of a core the threads used between two snapshots over `seconds`. */
export function busiestShares(before: Map<string, number>, after: Map<string, number>, seconds: number, count: number): number[] {
  return [...after]
    .map(([tid, cpu]) => (cpu - (before.get(tid) ?? 0)) / seconds)
    .sort((a, b) => b - a)
    .slice(0, count);
}
