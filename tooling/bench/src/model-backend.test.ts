import { tf } from '@cnnkit/tensor-core';
import { expect, test } from 'vitest';
import { runBenchmarks } from './run-benchmarks.js';

// Its own file, so no earlier test has selected a tfjs backend: `--engines cnnkit-onnx`
// alone used to stop the run with tfjs's "No backend found in registry." stack trace.
test('the onnx rows alone (no earlier row selected a tfjs backend) build the model on cpu and measure both tasks', async () => {
  expect(tf.engine().backendName).toBeUndefined();
  const report = await runBenchmarks({ sizes: [32], batch: 4, repeats: 1, warmup: 0, engines: ['cnnkit-onnx'] });
  expect(report.skipped).toEqual([]);
  expect(report.results.map((r) => `${r.engine} ${r.task}`).sort()).toEqual(['cnnkit-onnx infer', 'cnnkit-onnx train']);
  expect(tf.getBackend()).toBe('cpu');
});
