import { describe, expect, it } from 'vitest';
import { cpuBackend } from './cpu-backend.js';

describe('cpuBackend().worker', () => {
  it('names the module and factory a worker thread recreates the plugin from', async () => {
    const source = cpuBackend().worker!;
    expect(structuredClone(source)).toEqual(source);
    const mod = (await import(source.module)) as Record<string, () => ReturnType<typeof cpuBackend>>;
    expect(mod[source.factory]().name).toBe('cpu');
  });
});
