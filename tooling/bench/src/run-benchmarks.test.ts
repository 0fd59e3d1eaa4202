import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { formatBenchTable } from './format-bench-table.js';
import { runBenchmarks } from './run-benchmarks.js';
import { writeBenchJson } from './write-bench-json.js';

// A smoke test of the harness, not a timing assertion: the quick mode (64 px, one
// repeat, no warm-up) on the in-process engines, written and read back as JSON.
test('quick mode on wasm and onnx writes DESIGN.md bench JSON with a finite positive rate per row', async () => {
  const report = await runBenchmarks({ sizes: [64], batch: 32, repeats: 1, warmup: 0, engines: ['cnnkit-wasm', 'cnnkit-onnx'], ortTraining: false });
  const dir = await mkdtemp(join(tmpdir(), 'cnnkit-bench-test-'));
  try {
    await writeBenchJson(join(dir, 'bench.json'), report);
    const json = JSON.parse(await readFile(join(dir, 'bench.json'), 'utf8')) as { results: Record<string, unknown>[] };
    expect(json.results.map((r) => `${String(r.engine)} ${String(r.task)}`).sort()).toEqual(['cnnkit-onnx infer', 'cnnkit-wasm infer', 'cnnkit-wasm train']);
    for (const r of json.results) {
      expect(r).toMatchObject({ size: 64, batch: 32 });
      expect(typeof r.imagesPerSecond).toBe('number');
      expect(Number.isFinite(r.imagesPerSecond)).toBe(true);
      expect(r.imagesPerSecond as number).toBeGreaterThan(0);
    }
    expect(formatBenchTable(report.results, report.skipped)).toMatch(/cnnkit-wasm\s+train\s+64\s+32/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the 2-instance data-parallel wasm row runs and names its instances (smoke, 32 px)', async () => {
  const report = await runBenchmarks({ sizes: [32], batch: 5, repeats: 1, warmup: 0, engines: ['cnnkit-wasm-2-instances'] });
  expect(report.skipped).toEqual([]);
  expect(report.results).toHaveLength(1);
  expect(report.results[0]).toMatchObject({ engine: 'cnnkit-wasm-2-instances', task: 'train', size: 32, batch: 5 });
  expect(report.results[0].imagesPerSecond).toBeGreaterThan(0);
  expect(report.results[0].note).toMatch(/^2 wasm instances \(worker threads\), data-parallel/);
});
