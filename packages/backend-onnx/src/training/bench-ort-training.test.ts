import { describe, expect, it } from 'vitest';
import { benchOrtTraining } from './bench-ort-training.js';

describe('benchOrtTraining', () => {
  it('reports images/s of the ORT engine and of the wasm engine from one run (tiny size)', async () => {
    const lines: string[] = [];
    const results = await benchOrtTraining({ size: 16, batch: 4, steps: 2, warmup: 1, log: (l) => lines.push(l) });
    expect(results.map((r) => r.engine)).toEqual(['cnnkit-onnx', 'cnnkit-wasm']);
    for (const r of results) {
      expect(r).toMatchObject({ task: 'train', size: 16, batch: 4, steps: 2 });
      expect(r.imagesPerSecond).toBeGreaterThan(0);
      expect(Number.isFinite(r.imagesPerSecond)).toBe(true);
    }
    expect(lines.join('\n')).toMatch(/cnnkit-onnx {2}train 16px batch 4: [\d.]+ images\/s/);
  });
});
