import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The built CLI, run as a user would run it. */
export const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node --import` of the fault-injection module (see fault-injection.mjs): a full disk or failing writes without mounting anything. */
export const faultInjection = ['--import', pathToFileURL(fileURLToPath(new URL('./fault-injection.mjs', import.meta.url))).href];

export interface CnnkitOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Arguments for node itself, before the CLI's (e.g. `faultInjection`). */
  node?: string[];
}

/** Runs `cnnkit ...args` to completion (CNNKIT_BACKEND cleared so `auto` decides unless a test says otherwise). */
export function cnnkit(args: string[], options: CnnkitOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...(options.node ?? []), bin, ...args],
      { cwd: options.cwd, env: { ...process.env, CNNKIT_BACKEND: '', ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Starts `cnnkit ...args` without waiting (to kill it mid-run). */
export function spawnCnnkit(args: string[], options: CnnkitOptions = {}): ChildProcess {
  return spawn(process.execPath, [...(options.node ?? []), bin, ...args], {
    cwd: options.cwd,
    env: { ...process.env, CNNKIT_BACKEND: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The output of a spawned cnnkit so far, and its exit (code, or the signal that ended it). */
export function watch(child: ChildProcess): { stderr: () => string; stdout: () => string; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { stderr: () => err, stdout: () => out, exit };
}

/** Resolves once `test()` holds (polling every 20 ms); rejects when `exited` settles first. */
export async function until(test: () => boolean | Promise<boolean>, exited: Promise<unknown>, what: string): Promise<void> {
  let done = false;
  void exited.then(() => (done = true));
  while (!(await test())) {
    if (done) throw new Error(`cnnkit exited before ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `cnnkit-${prefix}-`));
}

/**
 * A new temporary folder with `cnnkit sample-data` written into its `data/` (`perClass`
 * pictures per class, the other options at their defaults); fails the calling test
 * if the command does not succeed.
 */
export async function sampleDataDir(prefix: string, perClass: number): Promise<{ dir: string; data: string }> {
  const dir = await tempDir(prefix);
  const data = join(dir, 'data');
  const r = await cnnkit(['sample-data', data, '--per-class', String(perClass)]);
  if (r.code !== 0) throw new Error(`sample-data exited ${r.code}: ${r.stderr}`);
  return { dir, data };
}

/** A user error: exit code 1, one line on stderr, no stack frames. */
export function expectOneLine(r: RunResult): string {
  const lines = r.stderr.trim().split('\n');
  if (r.code !== 1 || lines.length !== 1 || /\n\s+at /.test(r.stderr)) {
    throw new Error(`expected exit 1 with one line on stderr, received code ${r.code}:\n${r.stderr}`);
  }
  return lines[0];
}

/**
 * A user error after some progress lines: exit 1, no stack frames, and one error line
 * (`cnnkit: ...`), the last; returns it.
 */
export function expectErrorLine(r: RunResult): string {
  const lines = r.stderr.trim().split('\n');
  const errors = lines.filter((l) => l.startsWith('cnnkit: '));
  if (r.code !== 1 || errors.length !== 1 || lines[lines.length - 1] !== errors[0] || /\n\s+at /.test(r.stderr)) {
    throw new Error(`expected exit 1 with one error line, last on stderr, received code ${r.code}:\n${r.stderr}`);
  }
  return errors[0];
}
