import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { JS_LANGS, TS_LANGS, fencedBlocks } from './markdown-blocks.js';

export interface Snippet {
  /** `README.md#The TypeScript API, next to the tutorial's Keras code`, plus `#2` for a second block under one heading. */
  key: string;
  file: string;
  line: number;
  kind: 'ts' | 'js';
  code: string;
}

/** The READMEs whose blocks users copy, in the order the test runs them: the main one, then packages, then apps. */
export async function readmeFiles(root: string): Promise<string[]> {
  const files = ['README.md'];
  for (const group of ['packages', 'apps']) {
    for (const folder of (await readdir(join(root, group))).sort()) {
      if (existsSync(join(root, group, folder, 'README.md'))) files.push(`${group}/${folder}/README.md`);
    }
  }
  return files;
}

/** Every TypeScript and JavaScript block of those READMEs, in that order. */
export async function readmeSnippets(root: string): Promise<Snippet[]> {
  const out: Snippet[] = [];
  for (const file of await readmeFiles(root)) {
    for (const b of fencedBlocks(await readFile(join(root, file), 'utf8'))) {
      const kind = TS_LANGS.has(b.lang) ? 'ts' : JS_LANGS.has(b.lang) ? 'js' : null;
      if (kind === null) continue;
      out.push({ key: `${file}#${b.heading}${b.ordinal > 1 ? `#${b.ordinal}` : ''}`, file, line: b.line, kind, code: b.code });
    }
  }
  return out;
}

/** The packages a block imports (`@cnnkit/cam/node` -> `@cnnkit/cam`); node: built-ins left out. */
export function importedPackages(code: string): string[] {
  const names = new Set<string>();
  for (const m of code.matchAll(/(?:^|\n)\s*import\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/g)) {
    const spec = m[1];
    if (spec.startsWith('node:') || spec.startsWith('.')) continue;
    const parts = spec.split('/');
    names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
  }
  for (const m of code.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) if (!m[1].startsWith('node:')) names.add(m[1]);
  return [...names].sort();
}

/** A file name for the block: its position and a slug of its key. */
export function snippetFileName(index: number, s: Snippet): string {
  const slug = s.key.replace(/README\.md/g, '').replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 60);
  return `${String(index + 1).padStart(2, '0')}-${slug}.${s.kind}`;
}
