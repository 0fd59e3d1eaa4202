import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { webgpuTestEnv } from '@cnnkit/vitest-config';
import type { InstallLine } from './install-lines.js';
import { userEnv } from './scratch-project.js';

const exec = promisify(execFile);

/** The sizes the test gives the snippets through the environment (README: IMAGE_SIZE, EPOCHS, BATCH_SIZE). */
export const SIZES = { imageSize: 32, epochs: 2, batchSize: 16 };

export interface SampleFolder {
  /** Class folder names, sorted by code point (the dataset's label order). */
  classNames: string[];
  /** Image-extension files under PetImages, relative ('Cat/x.png'). */
  imageFiles: string[];
  /** The ones written broken on purpose, relative. */
  broken: string[];
}

export interface SnippetRun {
  stdout: string;
  stderr: string;
}

export interface SnippetContext {
  dir: string;
  sizes: typeof SIZES;
  data: SampleFolder;
  installLines: InstallLine[];
  /** Values one block's check leaves for a later one (the saved model's probability for cat.jpg). */
  memo: Record<string, unknown>;
  /** Runs an ES module in the scratch project (its packages) and parses its last stdout line as JSON. */
  check<T>(name: string, code: string): Promise<T>;
}

export function snippetEnv(): Record<string, string> {
  return {
    ...userEnv(),
    ...webgpuTestEnv(),
    IMAGE_SIZE: String(SIZES.imageSize),
    EPOCHS: String(SIZES.epochs),
    BATCH_SIZE: String(SIZES.batchSize),
  };
}

export async function runNode(dir: string, file: string, timeoutMs: number): Promise<SnippetRun> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [file], { cwd: dir, env: snippetEnv(), timeout: timeoutMs, maxBuffer: 64 << 20 });
    return { stdout, stderr };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string; killed?: boolean };
    throw new Error(`node ${file} in ${dir} ${err.killed ? `did not exit within ${timeoutMs} ms` : 'failed'}: ${err.message}\n--- stdout\n${err.stdout ?? ''}\n--- stderr\n${err.stderr ?? ''}`);
  }
}

export function makeCheck(dir: string): SnippetContext['check'] {
  return async <T>(name: string, code: string): Promise<T> => {
    await mkdir(join(dir, 'checks'), { recursive: true });
    const file = join('checks', `${name}.mjs`);
    await writeFile(join(dir, file), code);
    const { stdout } = await runNode(dir, file, 120_000);
    return JSON.parse(stdout.trim().split('\n').pop()!) as T;
  };
}

/** Every number in a printed line (`[ 16, 32, 32, 3 ]`, `Float32Array(1) [ 0.25 ]`), in order. */
export function numbersIn(text: string): number[] {
  return [...text.matchAll(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi)].map((m) => Number(m[0]));
}

/** Width and height of a PNG from its IHDR chunk, or null when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
