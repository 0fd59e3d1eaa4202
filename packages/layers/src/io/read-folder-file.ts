import { CnnkitError } from '@cnnkit/tensor-core';
import { formatBytes } from './load-limits.js';

/**
 * Reads the file `name` of a model or checkpoint folder, refusing what could make a
 * shared folder read something else or without end: a name that is a path, a link
 * leading outside the folder, anything but a regular file (a FIFO blocks, /dev/zero
 * never ends), and a file over `maxBytes` (checked before reading). Errors name the
 * file; `code` is the error code for a missing or unreadable file.
 *
 * @example
 * ```ts
 * const bytes = await readFolderFile('run/model', 'weights.safetensors', 1024 ** 3, 'maxWeightBytes');
 * ```
 */
export async function readFolderFile(dir: string, name: string, maxBytes: number, limitName: string, code = 'MODEL_FILE_UNREADABLE'): Promise<Buffer> {
  const { open, realpath, stat } = await import('node:fs/promises');
  const { isAbsolute, join, relative } = await import('node:path');
  const path = join(dir, name);
  if (name === '' || name.includes('/') || name.includes('\\') || name.includes('\0') || name === '.' || name === '..') {
    throw new CnnkitError('PATH_OUTSIDE_FOLDER', `${path}: refused: "${name}" is not a plain file name inside "${dir}"`);
  }
  const unreadable = (error: unknown) =>
    new CnnkitError(code, `${path}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  let info: Awaited<ReturnType<typeof stat>>;
  let real: string;
  let realDir: string;
  try {
    [real, realDir] = await Promise.all([realpath(path), realpath(dir)]);
    info = await stat(real);
  } catch (error) {
    throw unreadable(error);
  }
  const rel = relative(realDir, real);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new CnnkitError('PATH_OUTSIDE_FOLDER', `${path}: refused: it is a link to "${real}", outside the folder "${dir}"; expected the file itself`);
  }
  if (!info.isFile()) {
    const kind = info.isDirectory() ? 'a folder' : info.isFIFO() ? 'a FIFO' : info.isCharacterDevice() || info.isBlockDevice() ? 'a device' : info.isSocket() ? 'a socket' : 'not a regular file';
    throw new CnnkitError(code, `${path}: expected a regular file, this is ${kind}`);
  }
  if (info.size > maxBytes) {
    throw new CnnkitError('MODEL_TOO_LARGE', `${path}: the file has ${formatBytes(info.size)}, over the limit of ${formatBytes(maxBytes)} (${limitName})`);
  }
  try {
    const handle = await open(real, 'r');
    try {
      // Exactly the size stat saw: a file that grows meanwhile is read no further.
      const buffer = Buffer.alloc(info.size);
      let done = 0;
      while (done < buffer.length) {
        const { bytesRead } = await handle.read(buffer, done, buffer.length - done, done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === buffer.length ? buffer : buffer.subarray(0, done);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw unreadable(error);
  }
}
