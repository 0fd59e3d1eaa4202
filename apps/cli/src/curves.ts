import sharp from 'sharp';
import { writeFileAtomic } from './atomic.js';

/** A series of per-epoch values (NaN or missing epochs are gaps). */
interface Series {
  label: string;
  values: number[];
  colour: string;
  dashed: boolean;
}

const W = 420;
const H = 300;
const M = { left: 56, right: 16, top: 52, bottom: 44 };

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** "Nice" tick values covering [lo, hi]: steps of 1, 2 or 5 times a power of ten. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v * 100) / 100) : v.toPrecision(2);
}

/** One panel: axes with ticks, grid, the series as polylines with markers, a legend. */
function panel(x0: number, title: string, yLabel: string, series: Series[], fixed?: [number, number]): string {
  const epochs = Math.max(1, ...series.map((s) => s.values.length));
  const finite = series.flatMap((s) => s.values.filter(Number.isFinite));
  let [lo, hi] = fixed ?? [Math.min(0, ...finite), Math.max(...finite, 1e-6)];
  if (fixed === undefined) hi *= 1.05;
  if (hi <= lo) hi = lo + 1;
  const yTicks = niceTicks(lo, hi);
  [lo, hi] = [Math.min(lo, yTicks[0]), Math.max(hi, yTicks[yTicks.length - 1])];
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const px = (e: number) => x0 + M.left + (epochs === 1 ? pw / 2 : ((e - 1) / (epochs - 1)) * pw);
  const py = (v: number) => M.top + ph - ((v - lo) / (hi - lo)) * ph;
  const xTicks = niceTicks(1, epochs, Math.min(epochs - 1, 6) || 1).filter((t) => Number.isInteger(t) && t >= 1);
  const parts: string[] = [];
  parts.push(`<text x="${x0 + W / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${escape(title)}</text>`);
  for (const t of yTicks) {
    parts.push(`<line x1="${x0 + M.left}" x2="${x0 + M.left + pw}" y1="${py(t)}" y2="${py(t)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${x0 + M.left - 6}" y="${py(t) + 4}" text-anchor="end" font-size="11">${fmt(t)}</text>`);
  }
  for (const t of xTicks) parts.push(`<text x="${px(t)}" y="${M.top + ph + 16}" text-anchor="middle" font-size="11">${t}</text>`);
  parts.push(`<line x1="${x0 + M.left}" x2="${x0 + M.left}" y1="${M.top}" y2="${M.top + ph}" stroke="#333"/>`);
  parts.push(`<line x1="${x0 + M.left}" x2="${x0 + M.left + pw}" y1="${M.top + ph}" y2="${M.top + ph}" stroke="#333"/>`);
  parts.push(`<text x="${x0 + M.left + pw / 2}" y="${H - 8}" text-anchor="middle" font-size="12">epoch</text>`);
  parts.push(`<text transform="translate(${x0 + 14} ${M.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escape(yLabel)}</text>`);
  series.forEach((s, k) => {
    const pts = s.values.map((v, i) => (Number.isFinite(v) ? `${px(i + 1).toFixed(1)},${py(v).toFixed(1)}` : null)).filter((p) => p !== null);
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    if (pts.length > 1) parts.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${s.colour}" stroke-width="2"${dash}/>`);
    for (const p of pts) {
      const [cx, cy] = p.split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="2.5" fill="${s.colour}"/>`);
    }
    // The legend sits in a row above the plot, where it can never hide a curve.
    const ly = 38;
    const lx = x0 + M.left + k * 120;
    parts.push(`<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${s.colour}" stroke-width="2"${dash}/>`);
    parts.push(`<text x="${lx + 28}" y="${ly + 4}" font-size="11">${escape(s.label)}</text>`);
  });
  return parts.join('\n');
}

/**
 * The training curves as an SVG: loss (left) and accuracy (right), training solid
 * and validation dashed, per epoch.
 */
export function curvesSvg(history: Record<string, number[]>): string {
  const train = '#1f77b4';
  const val = '#ff7f0e';
  const s = (key: string, label: string, colour: string, dashed: boolean): Series[] =>
    history[key] === undefined ? [] : [{ label, values: history[key], colour, dashed }];
  const loss = [...s('loss', 'training', train, false), ...s('val_loss', 'validation', val, true)];
  const acc = [...s('accuracy', 'training', train, false), ...s('val_accuracy', 'validation', val, true)];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    panel(0, 'Loss', 'loss', loss),
    panel(W, 'Accuracy', 'accuracy', acc, [0, 1]),
    '</svg>',
  ].join('\n');
}

/** Writes `curves.png` (atomically: a killed run never leaves half a picture). */
export async function writeCurves(file: string, history: Record<string, number[]>): Promise<void> {
  const png = await sharp(Buffer.from(curvesSvg(history))).png().toBuffer();
  await writeFileAtomic(file, png);
}
