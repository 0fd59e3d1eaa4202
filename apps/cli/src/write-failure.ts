import { statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UserError } from './user-error.js';

/** The errno codes of a write that the user can fix (space, quota, mount, permissions, device). */
export const WRITE_ERRNOS = ['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO'] as const;
export type WriteErrno = (typeof WRITE_ERRNOS)[number];

function meaning(code: WriteErrno): string {
  switch (code) {
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'the disk quota is used up';
    case 'EROFS':
      return 'the file system is read-only';
    case 'EACCES':
      return 'permission denied';
    case 'EPERM':
      return 'operation not permitted';
    case 'EIO':
      return 'input/output error: the device failed';
    default: {
      const unknown: never = code;
      return String(unknown);
    }
  }
}

function remedy(code: WriteErrno): string {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'free some space there (or choose a folder on another disk)';
    case 'EROFS':
      return 'choose a folder on a writable file system';
    case 'EACCES':
    case 'EPERM':
      return 'make the folder writable for this user (or choose another)';
    case 'EIO':
      return 'check the disk (its kernel log), or choose a folder on another disk';
    default: {
      const unknown: never = code;
      return String(unknown);
    }
  }
}

/** A write failure the user can fix, as opposed to a bug. */
export function isWriteFailure(error: unknown): error is NodeJS.ErrnoException & { code: WriteErrno } {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && (WRITE_ERRNOS as readonly string[]).includes(code);
}

/** Free bytes (for this user) on the file system holding `path`, or null where that cannot be asked. */
export async function freeBytes(path: string): Promise<number | null> {
  let current = resolve(path);
  for (;;) {
    try {
      const s = await statfs(current);
      return s.bavail * s.bsize;
    } catch (error) {
      const parent = dirname(current);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) return null;
      current = parent; // not made yet: ask the folder it would be made in
    }
  }
}

/** 1536 -> "1.5 KB": sizes as people read them (powers of 1024). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** What a command was writing, for the one line it prints when the write fails. */
export interface WriteContext {
  /** The command, as its messages start: `train`, `export`. */
  operation: string;
  /** What was being written: `checkpoint`, `the ONNX model`. */
  what: string;
  path: string;
  /** About how many bytes it needed, where known. */
  bytes?: number;
  /** What is still intact, e.g. `the last complete checkpoint, "RUN/checkpoints/epoch-002", is intact`. */
  intact: () => string | Promise<string>;
  /** What to run once the cause is fixed, e.g. `then run it again with --resume`. */
  next: string;
}

/**
 * The one line for a failed write: what, where, the errno and its meaning, the space
 * it needed and the space free (for a full disk or quota), what is intact, what to do.
 */
export async function writeFailure(error: NodeJS.ErrnoException & { code: WriteErrno }, ctx: WriteContext): Promise<UserError> {
  let space = '';
  if (error.code === 'ENOSPC' || error.code === 'EDQUOT') {
    const free = await freeBytes(dirname(ctx.path));
    const needed = ctx.bytes === undefined ? '' : `it needs about ${formatBytes(ctx.bytes)}, `;
    space = free === null ? '' : `; ${needed}${formatBytes(free)} ${free === 1 ? 'is' : 'are'} free`;
  }
  const intact = await ctx.intact();
  return new UserError(`${ctx.operation}: cannot write ${ctx.what} "${ctx.path}": ${error.code} (${meaning(error.code)})${space}; ${intact}; ${remedy(error.code)}, ${ctx.next}`);
}

/** Runs a write; a failure the user can fix becomes the one line of `writeFailure`. */
export async function guardWrite<T>(ctx: WriteContext, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isWriteFailure(error)) throw await writeFailure(error, ctx);
    throw error;
  }
}
