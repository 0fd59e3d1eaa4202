import { lstat, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * Extensions treated as images, like Keras's `ALLOWLIST_FORMATS` plus `.webp`.
 * Everything else (Thumbs.db, .DS_Store, notes.txt) is listed as ignored, never decoded.
 */
export const IMAGE_EXTENSIONS: readonly string[] = ['.bmp', '.gif', '.jpeg', '.jpg', '.png', '.webp'];

/** True when the name ends in one of {@link IMAGE_EXTENSIONS} (case-insensitive). */
export function hasImageExtension(name: string): boolean {
  const lower = name.toLowerCase();
  const dot = lower.lastIndexOf('.');
  return dot > 0 && IMAGE_EXTENSIONS.includes(lower.slice(dot));
}

/**
 * Python's `sorted()` order (by UTF-16 code unit here, code point there; equal for
 * the names people use): Keras assigns label i to the i-th sorted folder, and a
 * locale-aware sort would silently give a different class order on another machine.
 */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface WalkResult {
  /** Image files (by extension), absolute paths, sorted. */
  images: string[];
  /** Other files, absolute paths, sorted. */
  ignored: string[];
}

/**
 * Lists the files below `dir` recursively in a stable order (names sorted per
 * folder, depth first, like Keras's sorted `os.walk`). Symbolic links to folders
 * are followed only with `followLinks`; a link cycle is cut by remembering real
 * folder identities.
 */
export async function walkFiles(dir: string, followLinks: boolean): Promise<WalkResult> {
  const images: string[] = [];
  const ignored: string[] = [];
  const seen = new Set<string>();
  async function visit(folder: string): Promise<void> {
    const st = await stat(folder);
    const id = `${st.dev}:${st.ino}`;
    if (seen.has(id)) return;
    seen.add(id);
    const entries = await readdir(folder, { withFileTypes: true });
    entries.sort((a, b) => compareNames(a.name, b.name));
    for (const entry of entries) {
      const full = join(folder, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        if (!followLinks) {
          // Keras's os.walk(followlinks=False) still lists links to files as files.
          const target = await stat(full).catch(() => null);
          isDir = false;
          isFile = target?.isFile() ?? true;
        } else {
          const target = await stat(full).catch(() => null);
          isDir = target?.isDirectory() ?? false;
          // A dangling link is listed as a file so the check reports it as unreadable.
          isFile = target === null || target.isFile();
        }
      }
      if (isDir) await visit(full);
      else if (isFile) (hasImageExtension(entry.name) ? images : ignored).push(full);
    }
  }
  await visit(dir);
  return { images, ignored };
}

/** `dir`-relative path with forward slashes, the form reports use on every OS. */
export function relativePath(dir: string, file: string): string {
  return relative(dir, file).split(sep).join('/');
}

/** Whether `path` exists and is a folder (following links); `null` when it does not exist. */
export async function folderKind(path: string): Promise<'folder' | 'file' | null> {
  const st = await stat(path).catch(() => null);
  if (st === null) return (await lstat(path).catch(() => null)) === null ? null : 'file';
  return st.isDirectory() ? 'folder' : 'file';
}
