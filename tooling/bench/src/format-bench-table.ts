import type { BenchResult, SkippedBench } from './bench-result.js';
import { checkTargets, type TargetCheck } from './targets.js';

function pad(cells: string[][]): string {
  const widths = cells[0].map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return cells.map((row) => row.map((c, i) => (i >= 3 && i <= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

function rate(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toPrecision(2);
}

/**
 * The results as a text table (skipped engines with their reason), the ratio of each
 * cnnkit engine to each peer on the same task and size, and the target ratios.
 *
 * @example
 * ```ts
 * console.log(formatBenchTable(report.results, report.skipped));
 * ```
 */
export function formatBenchTable(results: readonly BenchResult[], skipped: readonly SkippedBench[] = [], targets: readonly TargetCheck[] = checkTargets(results)): string {
  const rows = [['engine', 'task', 'size', 'batch', 'images/s', 'note']];
  const order = (r: { size: number; task: string }) => r.size * 10 + ['train', 'infer', 'decode'].indexOf(r.task);
  const all: (BenchResult | SkippedBench)[] = [...results, ...skipped].sort((a, b) => order(a) - order(b));
  for (const r of all) {
    if ('imagesPerSecond' in r) rows.push([r.engine, r.task, `${r.size}`, `${r.batch}`, rate(r.imagesPerSecond), `${r.repeats === 1 ? '1 repeat' : `median of ${r.repeats}`}${r.note ? `; ${r.note}` : ''}`]);
    else rows.push([r.engine, r.task, `${r.size}`, '', '-', r.reason]);
  }
  const lines = [pad(rows), '', 'cnnkit / peer (same task and size; > 1 = cnnkit faster):'];
  for (const r of results.filter((x) => x.engine.startsWith('cnnkit-'))) {
    const peers = results.filter((p) => !p.engine.startsWith('cnnkit-') && p.engine !== 'sharp-decode' && p.task === r.task && p.size === r.size);
    for (const p of peers) lines.push(`  ${r.task} ${r.size}px  ${r.engine} / ${p.engine} = ${(r.imagesPerSecond / p.imagesPerSecond).toFixed(2)}x`);
  }
  lines.push('', 'targets:');
  if (targets.length === 0) lines.push('  (no target has both sides measured in this run)');
  for (const t of targets) {
    const verdict = t.met ? 'met' : 'MISSED';
    const fastest = t.name.includes('fastest') ? ` [fastest: ${t.against}]` : '';
    lines.push(`  ${t.name} @ ${t.size}px: ${t.ratio.toFixed(2)}x (target >= ${t.target}x) ${verdict}${fastest}${t.offSize ? ' [not at the target size]' : ''}`);
  }
  return lines.join('\n');
}
