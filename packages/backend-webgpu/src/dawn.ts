/**
 * Node only: WebGPU through Dawn's binding (npm `webgpu`, an optional dependency).
 * Loaded on demand, so a browser bundle and a program that never asks for webgpu
 * never touch it; Node's modules are imported inside the functions for the same
 * reason (a bundler cannot resolve named imports of node:fs for a page).
 */
import { DAWN_PACKAGE } from './dawn-package.js';

/** What the `webgpu` package exports. */
interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

/** The part of `navigator.gpu` cnnkit uses. */
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<AdapterLike | null>;
}
export interface AdapterLike {
  readonly info?: Record<string, unknown>;
  readonly isFallbackAdapter?: boolean;
  readonly limits?: Record<string, unknown>;
}

/** Where the `webgpu` package would load from, or null when it is not installed. */
export function resolveDawn(): string | null {
  try {
    return import.meta.resolve(DAWN_PACKAGE);
  } catch {
    return null;
  }
}

/**
 * Dawn's Vulkan backend prints "XDG_RUNTIME_DIR is invalid" on every start when the
 * variable names no writable folder (containers, CI). It only needs a private folder.
 */
export async function ensureRuntimeDir(): Promise<void> {
  const { mkdir, stat } = await import('node:fs/promises');
  const current = process.env.XDG_RUNTIME_DIR;
  if (current !== undefined && current !== '' && (await stat(current).then((s) => s.isDirectory(), () => false))) return;
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = join(tmpdir(), `cnnkit-xdg-${process.getuid?.() ?? 'user'}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  process.env.XDG_RUNTIME_DIR = dir;
}

let installed: GpuLike | undefined;

/**
 * Creates Dawn's `GPU` object and installs it (and WebGPU's constants such as
 * `GPUBufferUsage`) on `globalThis`, as a browser would, because tfjs-backend-webgpu
 * looks for `navigator.gpu`. Idempotent.
 */
export async function installDawn(flags: readonly string[] = []): Promise<GpuLike> {
  if (installed !== undefined) return installed;
  await ensureRuntimeDir();
  // A variable specifier keeps bundlers from pulling the native module into a page.
  const specifier = DAWN_PACKAGE;
  const dawn = (await import(/* @vite-ignore */ specifier)) as DawnModule;
  for (const [key, value] of Object.entries(dawn.globals)) {
    if (!(key in globalThis)) Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
  }
  const gpu = dawn.create([...flags]);
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else {
    // Node 21+ has a navigator of its own (hardwareConcurrency, userAgent): add gpu to it.
    Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, writable: true });
  }
  installed = gpu;
  return gpu;
}
