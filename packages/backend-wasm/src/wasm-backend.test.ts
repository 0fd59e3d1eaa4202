import { describe, expect, it } from 'vitest';
import { wasmBackend } from './wasm-backend.js';

describe('wasmBackend().worker', () => {
  it('names the module and factory a worker thread recreates the plugin from, with options that survive cloning', async () => {
    const plugin = wasmBackend({ wasmPaths: 'https://example.org/wasm/' });
    const source = plugin.worker!;
    expect(structuredClone(source)).toEqual(source);
    const mod = (await import(source.module)) as Record<string, (options?: unknown) => typeof plugin>;
    const again = mod[source.factory](source.options);
    expect(again.name).toBe('wasm');
    expect(again.worker).toEqual(source);
  });
});
