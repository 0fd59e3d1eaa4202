import { writeSampleData, type SampleDataResult } from '@cnnkit/data';
import { writableDir } from '../writable.js';
import { guardWrite } from '../write-failure.js';

export interface SampleDataCommandOptions {
  seed: number;
  perClass: number;
}

/**
 * `cnnkit sample-data OUT`: the synthetic circles-vs-squares set (with a few
 * broken and ignorable files, so `check` has something to report).
 */
export async function sampleDataCommand(out: string, options: SampleDataCommandOptions): Promise<SampleDataResult> {
  await writableDir('sample-data', 'OUT', out);
  const context = { operation: 'sample-data', what: 'the sample images into', path: out, intact: () => 'the images written before it are complete', next: 'then run the command again with a new or empty OUT' };
  return guardWrite(context, () => writeSampleData(out, { seed: options.seed, perClass: options.perClass }));
}

/** The human-readable lines `sample-data` prints. */
export function formatSampleData(r: SampleDataResult): string {
  const perClass = r.classNames.map((c) => `${r.images.filter((i) => i.className === c).length} ${c}`).join(', ');
  return [
    `wrote ${r.images.length} images (${perClass}) to ${r.dir}`,
    `plus ${r.broken.length} broken files (${r.broken.map((b) => b.file).join(', ')}) and ${r.ignored.length} non-image files, for "cnnkit check" to find`,
  ].join('\n');
}
