import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI, run as a user would run it. */
export const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `cnnkit ...args` to completion (CNNKIT_BACKEND cleared so `auto` decides unless a test says otherwise). */
export function cnnkit(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: options.cwd, env: { ...process.env, CNNKIT_BACKEND: '', ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Starts `cnnkit ...args` without waiting (to kill it mid-run). */
export function spawnCnnkit(args: string[]): ChildProcess {
  return spawn(process.execPath, [bin, ...args], { env: { ...process.env, CNNKIT_BACKEND: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
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
