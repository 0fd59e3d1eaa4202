import { InputLayer } from '../layers/input-layer.js';
import type { Layer } from '../layers/layer.js';
import { formatKerasShape } from '../utils/shape.js';

/** What the summary reads of a model (a `Model` is one; typed here so this file need not import the model's). */
export interface SummarizedModel {
  readonly name: string;
  readonly className: string;
  readonly layers: readonly Layer[];
  countParams(): { total: number; trainable: number; nonTrainable: number };
}

/** `97569` → `97,569`. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Keras's `readable_memory_size`: bytes in B/KB/MB/GB (base 1024) with two decimals. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(2)} ${units[unit]}`;
}

/**
 * The Keras 3 summary table of a model. Sequential models list their layers
 * without the input layer; functional models add a "Connected to" column.
 *
 * @example
 * ```ts
 * console.log(formatSummary(seedCnn({ imageSize: [300, 300], numClasses: 2 }))); // ... Total params: 97,569 (381.13 KB)
 * ```
 */
export function formatSummary(model: SummarizedModel): string {
  const functional = model.className === 'Functional';
  const layers = functional ? model.layers : model.layers.filter((l) => !(l instanceof InputLayer));
  const header = ['Layer (type)', 'Output Shape', 'Param #', ...(functional ? ['Connected to'] : [])];
  const rows = layers.map((l) => [
    `${l.name} (${l.className})`,
    formatKerasShape(l.output!.shape),
    formatCount(l.countParams()),
    ...(functional ? [l.inbound!.length === 0 ? '-' : l.inbound!.map((s) => `${s.layer.name}[0][0]`).join(', ')] : []),
  ]);
  const minimum = [31, 22, 13, 20];
  const widths = header.map((h, c) => Math.max(minimum[c], h.length, ...rows.map((r) => r[c].length)) + 2);
  const rightAligned = (c: number) => c === 2;
  const cell = (text: string, c: number) => {
    const inner = widths[c] - 2;
    return ` ${rightAligned(c) ? text.padStart(inner) : text.padEnd(inner)} `;
  };
  const rule = (left: string, fill: string, mid: string, right: string) => left + widths.map((w) => fill.repeat(w)).join(mid) + right;
  const lines = [`Model: "${model.name}"`, rule('┏', '━', '┳', '┓'), `┃${header.map(cell).join('┃')}┃`, rule('┡', '━', '╇', '┩')];
  rows.forEach((r, i) => {
    lines.push(`│${r.map(cell).join('│')}│`);
    if (i < rows.length - 1) lines.push(rule('├', '─', '┼', '┤'));
  });
  lines.push(rule('└', '─', '┴', '┘'));
  const { total, trainable, nonTrainable } = model.countParams();
  // Weights are float32: 4 bytes per parameter.
  lines.push(` Total params: ${formatCount(total)} (${formatBytes(total * 4)})`);
  lines.push(` Trainable params: ${formatCount(trainable)} (${formatBytes(trainable * 4)})`);
  lines.push(` Non-trainable params: ${formatCount(nonTrainable)} (${formatBytes(nonTrainable * 4)})`);
  return lines.join('\n');
}
