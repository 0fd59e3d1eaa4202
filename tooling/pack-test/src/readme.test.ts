import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { EXCLUDED_BLOCKS, EXCLUDED_INSTALL_LINES } from './excluded.js';
import { INSTALL_HEADING, installLines, specName, type InstallLine } from './install-lines.js';
import { fencedBlocks } from './markdown-blocks.js';
import { importedPackages, readmeFiles, readmeSnippets, snippetFileName, type Snippet } from './readme-snippets.js';
import { publishablePackages, userEnv, type WorkspacePackage } from './scratch-project.js';
import { SIZES, makeCheck, runNode, type SampleFolder, type SnippetContext } from './snippet-context.js';
import { EXPECTATIONS } from './snippet-expectations.js';

const exec = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;
const IMAGE_EXTENSIONS = /\.(jpe?g|png|gif|bmp|webp)$/i;

const readme = await readFile(join(root, 'README.md'), 'utf8');
const lines = installLines(readme);
const snippets = await readmeSnippets(root);
const packages = await publishablePackages(root);

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
}

/** @cnnkit packages a package needs installed beside it, recursively (npm would fetch them from the registry). */
function closure(name: string, byName: Map<string, WorkspacePackage>, seen = new Set<string>()): Set<string> {
  for (const dep of byName.get(name)?.requires ?? []) {
    if (!dep.startsWith('@cnnkit/') || seen.has(dep)) continue;
    seen.add(dep);
    closure(dep, byName, seen);
  }
  return seen;
}

describe('the README install lines', () => {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const installs = lines.filter((l) => l.packages.length > 0);

  it.each(installs.map((l) => [l.command, l] as const))('%s names every @cnnkit package its packages depend on', (_c, line: InstallLine) => {
    const listed = new Set(line.packages.map(specName));
    for (const name of listed) {
      if (!name.startsWith('@cnnkit/')) continue;
      expect(byName.has(name), `${name} is a publishable package`).toBe(true);
      const missing = [...closure(name, byName)].filter((d) => !listed.has(d));
      expect(missing, `"${line.command}": ${name} depends on these, which the line does not name (npm would look them up on the registry)`).toEqual([]);
    }
  });

  it('every line that installs onnxruntime-node skips its CUDA download', () => {
    const bringsOrt = (l: InstallLine) =>
      l.packages.some((s) => specName(s) === 'onnxruntime-node' || [specName(s), ...closure(specName(s), byName)].some((n) => byName.get(n)?.requires.includes('onnxruntime-node')));
    const withOrt = installs.filter(bringsOrt);
    expect(withOrt.length).toBeGreaterThan(0);
    for (const l of withOrt) expect(l.env, l.command).toMatchObject({ ONNXRUNTIME_NODE_INSTALL: 'skip' });
  });

  it('every publishable package is on some line, and every npm install in a README is one of the Install block', async () => {
    const named = new Set(installs.flatMap((l) => l.packages.map(specName)));
    expect(packages.map((p) => p.name).filter((n) => !named.has(n))).toEqual([]);
    const commands = new Set(lines.map((l) => l.command));
    for (const file of await readmeFiles(root)) {
      for (const b of fencedBlocks(await readFile(join(root, file), 'utf8'))) {
        if (b.lang !== 'sh' || (file === 'README.md' && b.heading === INSTALL_HEADING)) continue;
        for (const raw of b.code.split('\n')) {
          const command = raw.replace(/\s+#.*$/, '').trim();
          if (/(^|\s)npm (install|i) /.test(command)) expect(commands.has(command), `${file} (line ${b.line}): "${command}" is not a line of README.md's Install block`).toBe(true);
        }
      }
    }
    for (const command of EXCLUDED_INSTALL_LINES.keys()) expect(commands.has(command), `excluded line "${command}" is in the Install block`).toBe(true);
  });

  it('the scratch project has one onnxruntime-node, in the range every package shares', async () => {
    const dir = inject('scratch');
    const copies = (await walk(join(dir, 'node_modules'))).filter((f) => /node_modules\/onnxruntime-node\/package\.json$/.test(f));
    expect(copies.map((f) => relative(dir, f))).toEqual(['node_modules/onnxruntime-node/package.json']);
  });
});

describe('every TypeScript and JavaScript block of the READMEs, run from the packed packages', () => {
  const dir = inject('scratch');
  const memo: Record<string, unknown> = {};
  let ctx: SnippetContext;
  let tscOutput = '';
  const files = new Map<string, string>();

  beforeAll(async () => {
    const tsconfig = fencedBlocks(readme).find((b) => b.heading === INSTALL_HEADING && b.lang === 'json');
    if (tsconfig === undefined) throw new Error('README.md: expected a ```json tsconfig.json block under "## Install", found none');
    await writeFile(join(dir, 'tsconfig.json'), tsconfig.code);
    const check = makeCheck(dir);
    // The folders the snippets name: PetImages/<class> (sample pictures, a few broken on purpose) and cat.jpg.
    const made = await check<{ broken: string[] }>('sample-data', `
import { mkdir, rename, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { writeSampleData } from '@cnnkit/data';
const r = await writeSampleData('sample', { seed: 7, perClass: 20, minSize: 40, maxSize: 64 });
const cls = (f) => f.replace(/^circles\\//, 'Cat/').replace(/^squares\\//, 'Dog/');
await mkdir('PetImages');
await rename('sample/circles', 'PetImages/Cat');
await rename('sample/squares', 'PetImages/Dog');
const broken = r.broken.map((b) => cls(b.file));
// One of the test's own: a PNG cut inside its first chunk.
const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).png().toBuffer();
await writeFile('PetImages/Cat/cut-by-test.png', png.subarray(0, 40));
broken.push('Cat/cut-by-test.png');
// cat.jpg at the model's input size: no resize (sharp's or cnnkit's) changes its pixels, so every path sees the same ones.
const first = r.images.find((i) => i.file.startsWith('circles/'));
await sharp('PetImages/' + cls(first.file)).removeAlpha().resize(${SIZES.imageSize}, ${SIZES.imageSize}, { fit: 'fill' }).jpeg({ quality: 95 }).toFile('cat.jpg');
console.log(JSON.stringify({ broken }));
`);
    const imageFiles = (await walk(join(dir, 'PetImages'))).map((f) => relative(join(dir, 'PetImages'), f)).filter((f) => IMAGE_EXTENSIONS.test(f));
    const classNames = (await readdir(join(dir, 'PetImages'), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    const data: SampleFolder = { classNames, imageFiles, broken: made.broken };
    ctx = { dir, sizes: SIZES, data, installLines: lines, memo, check };

    await mkdir(join(dir, 'src'), { recursive: true });
    for (const [i, s] of snippets.entries()) {
      if (EXCLUDED_BLOCKS.has(s.key)) continue;
      const name = snippetFileName(i, s);
      files.set(s.key, name);
      await writeFile(join(dir, 'src', name), s.code + (EXPECTATIONS[s.key]?.append ?? ''));
    }
    try {
      await exec('npx', ['tsc', '-p', '.'], { cwd: dir, env: userEnv(), maxBuffer: 16 << 20 });
    } catch (e) {
      tscOutput = ((e as { stdout?: string }).stdout ?? '') + ((e as { stderr?: string }).stderr ?? '') || (e as Error).message;
    }
  }, 120_000);

  it('every block has an expectation, or is excluded with a reason; every expectation has its block', () => {
    const keys = snippets.map((s) => s.key);
    expect(keys.filter((k) => EXPECTATIONS[k] === undefined && !EXCLUDED_BLOCKS.has(k)), 'blocks without an expectation').toEqual([]);
    expect([...Object.keys(EXPECTATIONS), ...EXCLUDED_BLOCKS.keys()].filter((k) => !keys.includes(k)), 'expectations whose block is gone').toEqual([]);
    for (const [k, reason] of EXCLUDED_BLOCKS) expect(reason.length, k).toBeGreaterThan(20);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('every block imports only packages on the Install lines of its uses', () => {
    for (const s of snippets) {
      const e = EXPECTATIONS[s.key];
      if (e === undefined) continue;
      for (const use of e.uses) expect(lines.some((l) => l.use === use), `${s.key}: use "${use}" is an Install line`).toBe(true);
      const available = new Set(lines.filter((l) => e.uses.includes(l.use) && !EXCLUDED_INSTALL_LINES.has(l.command)).flatMap((l) => l.packages.map(specName)));
      const missing = importedPackages(s.code + (e.append ?? '')).filter((p) => !available.has(p));
      expect(missing, `${s.file} line ${s.line} (${s.key}) imports packages that the lines "${e.uses.join('", "')}" do not install`).toEqual([]);
    }
  });

  it('the TypeScript blocks type-check (strict, NodeNext) with the README\'s tsconfig', () => {
    expect(tscOutput, `tsc in ${dir}:\n${tscOutput}`).toBe('');
  });

  // In README order, in one folder: later blocks read what earlier ones wrote (run/model, run/model.onnx).
  it.each(snippets.filter((s) => !EXCLUDED_BLOCKS.has(s.key)).map((s) => [s.key, s] as const))('%s', async (key, s: Snippet) => {
    const expectation = EXPECTATIONS[key];
    expect(expectation, `${key}: no expectation`).toBeDefined();
    const name = files.get(key)!;
    if (s.kind === 'ts') {
      const own = tscOutput.split('\n').filter((l) => l.includes(name));
      expect(own, `${s.file} line ${s.line}: tsc`).toEqual([]);
    }
    const run = await runNode(dir, s.kind === 'ts' ? join('dist', name.replace(/\.ts$/, '.js')) : join('src', name), 240_000);
    await expectation.check(run, ctx);
  });
});
