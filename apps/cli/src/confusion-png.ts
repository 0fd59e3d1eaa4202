import sharp from 'sharp';
import type { EvaluateReport } from './commands/evaluate.js';
import { writeFileAtomic } from './atomic.js';

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/**
 * The confusion matrix as an SVG: rows are the true classes, columns the
 * predicted ones, each cell shaded by its share of the row (so a class with few
 * images reads as clearly as a big one) and labelled with its count.
 */
export function confusionSvg(r: EvaluateReport): string {
  const k = r.classNames.length;
  const cell = Math.max(48, Math.min(90, Math.floor(480 / k)));
  const label = Math.min(160, 12 + 8 * Math.max(...r.classNames.map((c) => c.length)));
  const left = label + 30;
  const top = 70;
  const title = `Confusion matrix: accuracy ${(100 * r.accuracy).toFixed(1)}% of ${r.count}`;
  // Wide enough for the title too (about 9 px per bold 15 px character).
  const width = Math.max(left + k * cell + 20, title.length * 9 + 20);
  const height = top + k * cell + 50;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escape(title)}</text>`,
    `<text x="${left + (k * cell) / 2}" y="${top - 28}" text-anchor="middle" font-size="12">predicted</text>`,
    `<text transform="translate(14 ${top + (k * cell) / 2}) rotate(-90)" text-anchor="middle" font-size="12">true</text>`,
  ];
  r.classNames.forEach((name, i) => {
    parts.push(`<text x="${left + i * cell + cell / 2}" y="${top - 8}" text-anchor="middle" font-size="12">${escape(name)}</text>`);
    parts.push(`<text x="${left - 8}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end" font-size="12">${escape(name)}</text>`);
  });
  r.confusion.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((v, j) => {
      const share = total === 0 ? 0 : v / total;
      const shade = Math.round(255 - share * 200);
      const fill = `rgb(${shade},${Math.round(255 - share * 120)},255)`;
      const x = left + j * cell;
      const y = top + i * cell;
      parts.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#666"/>`);
      parts.push(`<text x="${x + cell / 2}" y="${y + cell / 2 + 5}" text-anchor="middle" font-size="15" fill="${share > 0.6 ? 'white' : 'black'}">${v}</text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Writes the confusion matrix PNG (atomically). */
export async function writeConfusionPng(file: string, r: EvaluateReport): Promise<void> {
  await writeFileAtomic(file, await sharp(Buffer.from(confusionSvg(r))).png().toBuffer());
}
