// The Node modules are imported on call, not when this module loads, so a browser
// bundle of @cnnkit/tensor-core needs no stand-ins for them.

/**
 * `mkdir -p` one level at a time: creates `dir` and any missing parents, and
 * rejects with the first level's error (ENOTDIR when a part of the path is a
 * file). Node 20's `mkdir(dir, { recursive: true })` never settles under some
 * virtual file systems (e.g. `/proc/x/y` spins forever), so writers use this
 * instead.
 *
 * @example
 * ```ts
 * await makeDirs('run/cam');          // creates run/ and run/cam/ if missing
 * await makeDirs('/proc/self/x/y');   // rejects (ENOENT) instead of hanging
 * ```
 */
export async function makeDirs(dir: string): Promise<void> {
  const [{ mkdir, stat }, { dirname, resolve }] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    const s = await stat(current).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : Promise.reject(e)));
    if (s !== null) {
      if (!s.isDirectory()) throw Object.assign(new Error(`makeDirs: ${current} is a file, expected a folder`), { code: 'ENOTDIR' });
      break;
    }
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const d of missing.reverse()) {
    await mkdir(d).catch((e: NodeJS.ErrnoException) => (e.code === 'EEXIST' ? undefined : Promise.reject(e)));
  }
}
