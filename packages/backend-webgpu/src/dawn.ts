/**
 * Node only: WebGPU through Dawn's binding (npm `webgpu`, an optional dependency).
 * Loaded on demand, so a browser bundle and a program that never asks for webgpu
 * never touch it.
 */
import { mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
export function ensureRuntimeDir(): void {
  const current = process.env.XDG_RUNTIME_DIR;
  if (current !== undefined && current !== '') {
    try {
      if (statSync(current).isDirectory()) return;
    } catch {
      // missing: fall through and use our own
    }
  }
  const dir = join(tmpdir(), `cnnkit-xdg-${process.getuid?.() ?? 'user'}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
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
  ensureRuntimeDir();
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
