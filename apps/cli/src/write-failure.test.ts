import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from './user-error.js';
import { formatBytes, freeBytes, guardWrite, isWriteFailure, writeFailure } from './write-failure.js';

const errno = (code: string) => Object.assign(new Error(`${code}: injected`), { code });
const context = { operation: 'train', what: 'checkpoint', path: '/nowhere/run/checkpoints/epoch-002', bytes: 3 * 1024 * 1024, intact: () => 'the last complete checkpoint, "x", is intact', next: 'then run: cnnkit train d --out r --resume' };

describe('write failures', () => {
  it.each([
    [0, '0 bytes'],
    [1023, '1023 bytes'],
    [1536, '1.5 KB'],
    [10 * 1024 * 1024, '10 MB'],
    [3.25 * 1024 ** 3, '3.3 GB'],
  ])('formatBytes(%d) = %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });

  it('tells the user-fixable write errnos from the rest', () => {
    for (const code of ['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO']) expect(isWriteFailure(errno(code)), code).toBe(true);
    for (const e of [errno('ENOENT'), errno('EBADF'), new Error('x'), null, 'ENOSPC']) expect(isWriteFailure(e)).toBe(false);
  });

  it('a full disk: what, where, the errno and its meaning, needed and free space, what is intact, what to do', async () => {
    const e = await writeFailure(errno('ENOSPC') as NodeJS.ErrnoException & { code: 'ENOSPC' }, context);
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toMatch(
      /^train: cannot write checkpoint "\/nowhere\/run\/checkpoints\/epoch-002": ENOSPC \(no space left on the device\); it needs about 3\.0 MB, \d+(\.\d)? (bytes|KB|MB|GB|TB) are free; the last complete checkpoint, "x", is intact; free some space there \(or choose a folder on another disk\), then run: cnnkit train d --out r --resume$/,
    );
  });

  it.each([
    ['EROFS', 'the file system is read-only', 'choose a folder on a writable file system'],
    ['EACCES', 'permission denied', 'make the folder writable for this user (or choose another)'],
    ['EIO', 'input/output error: the device failed', 'check the disk (its kernel log), or choose a folder on another disk'],
  ])('%s: its meaning and remedy, no space figures', async (code, meaning, remedy) => {
    const e = await writeFailure(errno(code) as NodeJS.ErrnoException & { code: 'EIO' }, context);
    expect(e.message).toBe(`train: cannot write checkpoint "/nowhere/run/checkpoints/epoch-002": ${code} (${meaning}); the last complete checkpoint, "x", is intact; ${remedy}, then run: cnnkit train d --out r --resume`);
  });

  it('guardWrite turns only user-fixable write errors into one line; others pass through unchanged', async () => {
    await expect(guardWrite(context, () => Promise.reject(errno('EIO')))).rejects.toBeInstanceOf(UserError);
    const bug = new TypeError('a bug');
    await expect(guardWrite(context, () => Promise.reject(bug))).rejects.toBe(bug);
    expect(await guardWrite(context, () => Promise.resolve(7))).toBe(7);
  });

  it('freeBytes asks the nearest folder that exists (the output may not be made yet)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cnnkit-free-'));
    const free = await freeBytes(join(dir, 'not', 'made', 'yet'));
    expect(free).toBeGreaterThan(0);
    expect(Math.abs(free! - (await freeBytes(dir))!)).toBeLessThan(64 * 1024 * 1024);
  });
});
