// The Node modules are imported when a file is written, not when this module is
// loaded, so a browser bundle of @cnnkit/layers (which never saves) needs no
// stand-ins for them: bundlers refuse static named imports of Node built-ins.

/**
 * Writes a file so that readers see the old content or the complete new content,
 * never a half-written file: the bytes go to a temporary file in the same
 * directory (same filesystem, so `rename` is atomic), are flushed with fsync, and
 * the temporary file is renamed over the target. On failure the temporary file is
 * removed and the target is untouched.
 *
 * @example
 * ```ts
 * await writeFileAtomic('run/model/model.json', JSON.stringify(config));
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const [{ randomBytes }, { mkdir, open, rename, unlink }, { basename, dirname, join }] = await Promise.all([
    import('node:crypto'),
    import('node:fs/promises'),
    import('node:path'),
  ]);
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    await rename(temp, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  // Persist the rename itself; not every platform lets a directory be fsynced.
  try {
    const d = await open(dir, 'r');
    await d.sync().catch(() => undefined);
    await d.close();
  } catch {
    /* directory fsync unsupported (e.g. Windows): the rename is still atomic */
  }
}
