import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, mkdir, readFile, realpath, unlink } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { CnnkitError } from '@cnnkit/tensor-core';
import type { CheckReport } from './check-images.js';

export interface QuarantineResult {
  /** Files moved: `file` relative to the data folder, `to` the path it now has. */
  moved: { file: string; to: string }[];
  /** Files listed as broken that could not be moved (gone since the check, permission...). */
  failed: { file: string; reason: string }[];
}

async function sameBytes(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([readFile(a), readFile(b)]);
  const hash = (buf: Buffer): string => createHash('sha256').update(buf).digest('hex');
  return x.length === y.length && hash(x) === hash(y);
}

/**
 * Moves `from` to `to` without ever replacing an existing `to`: a hard link fails
 * with EEXIST instead of overwriting (rename would silently replace), then the
 * original name is removed. Across devices (EXDEV) the bytes are copied with
 * COPYFILE_EXCL, compared, and only then is the original removed.
 */
async function moveNoClobber(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    try {
      await copyFile(from, to, constants.COPYFILE_EXCL);
    } catch (copyError) {
      // A copy cut short (a full disk) must not stay in the quarantine as if moved; EEXIST means `to` is not ours.
      if ((copyError as NodeJS.ErrnoException).code !== 'EEXIST') await unlink(to).catch(() => undefined);
      throw copyError;
    }
    if (!(await sameBytes(from, to))) {
      await unlink(to);
      throw new Error(`copy to "${to}" did not verify; the original was left in place`);
    }
  }
  await unlink(from);
}

function candidate(path: string, n: number): string {
  if (n === 0) return path;
  const ext = extname(path);
  return `${path.slice(0, path.length - ext.length)}.${n}${ext}`;
}

/**
 * Moves the files a {@link checkImages} report lists as broken from `dir` into
 * `quarantineDir`, keeping their relative paths (`cat/x.jpg` goes to
 * `QUARANTINE/cat/x.jpg`). Never deletes, never overwrites: a name already taken
 * in the quarantine gets a number (`x.1.jpg`). Only the listed files are touched.
 *
 * @example
 * ```ts
 * const report = await checkImages('data');
 * const { moved } = await quarantine(report, 'data', 'data-quarantine');
 * ```
 */
export async function quarantine(report: CheckReport, dir: string, quarantineDir: string): Promise<QuarantineResult> {
  const root = await realpath(dir).catch(() => {
    throw new CnnkitError('NO_DATA_DIR', `quarantine: expected the checked folder "${dir}" to exist`);
  });
  const target = resolve(quarantineDir);
  const inside = relative(root, target);
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
    throw new CnnkitError(
      'BAD_QUARANTINE_DIR',
      `quarantine: the quarantine folder "${quarantineDir}" is inside the data folder "${dir}"; expected a folder outside it, or its files would be read as a class`,
    );
  }
  const result: QuarantineResult = { moved: [], failed: [] };
  for (const { file } of report.broken) {
    const from = resolve(root, file);
    const rel = relative(root, from);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      result.failed.push({ file, reason: 'path is outside the data folder' });
      continue;
    }
    try {
      const dest = join(target, rel);
      await mkdir(dirname(dest), { recursive: true });
      for (let n = 0; ; n++) {
        try {
          await moveNoClobber(from, candidate(dest, n));
          result.moved.push({ file, to: candidate(dest, n) });
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
      }
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      result.failed.push({ file, reason: err.code ?? err.message });
    }
  }
  return result;
}
