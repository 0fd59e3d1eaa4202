import { checkImages, quarantine, type CheckReport, type QuarantineResult } from '@cnnkit/data';
import { checkDataFolder } from '../data-folder.js';
import { writableDir } from '../writable.js';

/**
 * `cnnkit check DATA`: decodes every file and reports the broken ones; with
 * `quarantine`, moves them there (never deletes).
 */
export async function checkCommand(
  data: string,
  options: { quarantine?: string },
): Promise<{ report: CheckReport; moved: QuarantineResult | null }> {
  await checkDataFolder('check', data, 1);
  if (options.quarantine !== undefined) await writableDir('check', '--quarantine', options.quarantine);
  const report = await checkImages(data);
  const moved = options.quarantine === undefined ? null : await quarantine(report, data, options.quarantine);
  return { report, moved };
}

/** The report as lines for a person. */
export function formatCheck(data: string, report: CheckReport): string {
  const lines = [`${data}: ${report.files} files, ${report.valid} valid, ${report.broken.length} broken, ${report.ignored.length} ignored (not images)`];
  for (const b of report.broken) lines.push(`  broken   ${b.file}: ${b.reason}`);
  for (const f of report.ignored) lines.push(`  ignored  ${f}`);
  return lines.join('\n');
}

export function formatQuarantine(q: QuarantineResult): string {
  const lines = q.moved.map((m) => `moved ${m.file} -> ${m.to}`);
  for (const f of q.failed) lines.push(`could not move ${f.file}: ${f.reason}`);
  return lines.join('\n');
}
