import { rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { makeDirs } from '@cnnkit/tensor-core';
import { UserError } from './user-error.js';

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EROFS':
      return 'the file system is read-only';
    case 'EEXIST':
      return 'a file with that name is in the way';
    case 'ENOENT':
      return 'it cannot be created there';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return e.code ?? e.message;
  }
}

/**
 * Makes `dir` (and its parents) and proves it can be written by creating and
 * removing a probe file, so a command fails before its work, not after hours of
 * training, when its output folder cannot be written.
 */
export async function writableDir(operation: string, flag: string, dir: string): Promise<string> {
  try {
    await makeDirs(dir);
    if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    const probe = join(dir, `.cnnkit-write-test-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
    return dir;
  } catch (error) {
    throw new UserError(`${operation}: cannot write ${flag} "${dir}" (${reason(error)}); choose a folder you can write to`);
  }
}

/** Checks that the folder of the output file `file` can be written (see `writableDir`). */
export async function writableFile(operation: string, flag: string, file: string): Promise<string> {
  try {
    const s = await stat(file).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : Promise.reject(e)));
    if (s?.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const what = e.code === 'EISDIR' ? 'it is a folder; give a file name' : reason(error);
    throw new UserError(`${operation}: cannot write ${flag} "${file}" (${what}); choose a file path you can write to`);
  }
  try {
    await writableDir(operation, flag, dirname(file));
  } catch {
    throw new UserError(`${operation}: cannot write ${flag} "${file}": its folder "${dirname(file)}" cannot be created or written; choose a path you can write to`);
  }
  return file;
}
