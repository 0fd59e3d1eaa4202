import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { IMAGE_EXTENSIONS } from '@cnnkit/data';
import { UserError } from './user-error.js';

const LAYOUT = 'expected DATA/<class>/<image files>, e.g. PetImages/Cat/1.jpg and PetImages/Dog/1.jpg';

async function countImages(dir: string): Promise<number> {
  let n = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) n += await countImages(join(dir, entry.name));
    else if ((IMAGE_EXTENSIONS as readonly string[]).includes(extname(entry.name).toLowerCase())) n += 1;
  }
  return n;
}

/**
 * Checks the layout of an image folder before any decoding, so the common
 * mistakes get a message that says what to do: a missing folder, a file, an
 * empty folder, images but no class folders, or one class only (`minClasses`).
 * Returns the image count of each class folder, sorted by name.
 */
export async function checkDataFolder(operation: string, dir: string, minClasses: number): Promise<{ className: string; images: number }[]> {
  const s = await stat(dir).catch(() => null);
  if (s === null) throw new UserError(`${operation}: data folder "${dir}" does not exist; ${LAYOUT} (try "cnnkit sample-data ${dir}")`);
  if (!s.isDirectory()) throw new UserError(`${operation}: "${dir}" is a file, not a folder; ${LAYOUT}`);
  const entries = await readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    throw new UserError(`${operation}: cannot read data folder "${dir}" (${e.code ?? e.message}); check its permissions`);
  });
  const classes: { className: string; images: number }[] = [];
  for (const e of entries.filter((x) => x.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const images = await countImages(join(dir, e.name)).catch(() => 0);
    if (images > 0) classes.push({ className: e.name, images });
  }
  if (classes.length === 0) {
    const loose = entries.filter((e) => e.isFile() && (IMAGE_EXTENSIONS as readonly string[]).includes(extname(e.name).toLowerCase())).length;
    throw new UserError(
      loose > 0
        ? `${operation}: data folder "${dir}" has ${loose} images but no class sub-folders; ${LAYOUT}`
        : `${operation}: data folder "${dir}" is empty (no class folder holds an image); ${LAYOUT}`,
    );
  }
  if (classes.length < minClasses) {
    throw new UserError(
      `${operation}: data folder "${dir}" has only one class (${classes.map((c) => `"${c.className}"`).join(', ')}); a classifier needs at least ${minClasses}: add a folder of images per class, ${LAYOUT}`,
    );
  }
  return classes;
}
