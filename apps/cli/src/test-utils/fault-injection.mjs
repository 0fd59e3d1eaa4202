// Loaded with `node --import` into a cnnkit process under test: a full disk or a
// failing device where the machine cannot mount a small file system. It patches
// node:fs/promises (the seam every cnnkit write goes through) and re-syncs the ESM
// named exports, so `import { writeFile } from 'node:fs/promises'` sees it too.
//
// CNNKIT_FAKE_DISK=DIR:BYTES   DIR is a disk of BYTES: writes under it that do not fit
//                              write what fits, then fail with ENOSPC (as a real disk);
//                              statfs reports what is left; a hard link into it from
//                              outside fails with EXDEV (another device).
// CNNKIT_FAIL_WRITES=CODE:REGEX  writes to paths matching REGEX fail with CODE (EIO, EROFS...).
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join, resolve, sep } from 'node:path';

const fsp = fs.promises;
const original = {
  open: fsp.open,
  writeFile: fsp.writeFile,
  copyFile: fsp.copyFile,
  link: fsp.link,
  statfs: fsp.statfs,
};

const diskSpec = process.env.CNNKIT_FAKE_DISK;
const disk = diskSpec ? { dir: resolve(diskSpec.slice(0, diskSpec.lastIndexOf(':'))), bytes: Number(diskSpec.slice(diskSpec.lastIndexOf(':') + 1)) } : null;
const failSpec = process.env.CNNKIT_FAIL_WRITES;
const fail = failSpec ? { code: failSpec.slice(0, failSpec.indexOf(':')), pattern: new RegExp(failSpec.slice(failSpec.indexOf(':') + 1)) } : null;

const MESSAGES = { ENOSPC: 'no space left on device', EIO: 'i/o error', EROFS: 'read-only file system', EACCES: 'permission denied', EDQUOT: 'disk quota exceeded', EXDEV: 'cross-device link not permitted' };
const ERRNOS = { ENOSPC: -28, EIO: -5, EROFS: -30, EACCES: -13, EDQUOT: -122, EXDEV: -18 };

function errnoError(code, syscall, path) {
  return Object.assign(new Error(`${code}: ${MESSAGES[code] ?? code}, ${syscall} '${path}'`), { code, errno: ERRNOS[code], syscall, path });
}

const onDisk = (path) => disk !== null && (resolve(String(path)) === disk.dir || resolve(String(path)).startsWith(disk.dir + sep));

function used(dir) {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += used(p);
    else total += fs.statSync(p, { throwIfNoEntry: false })?.size ?? 0;
  }
  return total;
}

const free = () => Math.max(0, disk.bytes - used(disk.dir));
const size = (data) => (typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength);
const cut = (data, n) => (typeof data === 'string' ? Buffer.from(data).subarray(0, n) : Buffer.from(data.buffer, data.byteOffset, data.byteLength).subarray(0, n));

/** Throws as the device would, before (injected failure) or part-way (full disk). */
async function guard(path, data, writePart) {
  if (fail !== null && fail.pattern.test(String(path))) throw errnoError(fail.code, 'write', String(path));
  if (!onDisk(path)) return false;
  const room = free();
  if (size(data) <= room) return false;
  await writePart(cut(data, room));
  throw errnoError('ENOSPC', 'write', String(path));
}

const handlePaths = new WeakMap();
fsp.open = async function open(path, ...rest) {
  const handle = await original.open.call(this, path, ...rest);
  handlePaths.set(handle, String(path));
  return handle;
};
const probe = await original.open(process.execPath, 'r');
const FileHandle = Object.getPrototypeOf(probe);
await probe.close();
const handleWriteFile = FileHandle.writeFile;
FileHandle.writeFile = async function writeFile(data, ...rest) {
  const path = handlePaths.get(this) ?? '';
  if (!(await guard(path, data, (part) => handleWriteFile.call(this, part)))) return handleWriteFile.call(this, data, ...rest);
};
fsp.writeFile = async function writeFile(path, data, ...rest) {
  if (!(await guard(path, data, (part) => original.writeFile(path, part)))) return original.writeFile.call(this, path, data, ...rest);
};
fsp.copyFile = async function copyFile(from, to, mode) {
  const data = fs.readFileSync(from);
  // The real copyFile creates `to` before it runs out of room: so does this one.
  if (!(await guard(to, data, (part) => original.writeFile(to, part, { flag: mode & fs.constants.COPYFILE_EXCL ? 'wx' : 'w' })))) return original.copyFile(from, to, mode);
};
fsp.link = async function link(from, to) {
  if (onDisk(to) && !onDisk(from)) throw errnoError('EXDEV', 'link', String(to));
  return original.link(from, to);
};
fsp.statfs = async function statfs(path, ...rest) {
  const s = await original.statfs(path, ...rest);
  if (!onDisk(path)) return s;
  return Object.assign(Object.create(Object.getPrototypeOf(s)), s, { bsize: 1, bavail: free(), bfree: free(), blocks: disk.bytes });
};
syncBuiltinESMExports();
