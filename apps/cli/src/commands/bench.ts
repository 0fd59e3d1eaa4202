import { createRng, selectBackend, tf, type BackendName } from '@cnnkit/tensor-core';
import { cliRegistry } from '../backend-registry.js';

export interface BenchResult {
  engine: string;
  task: 'train' | 'infer';
  size: number;
  batch: number;
  imagesPerSecond: number;
}

export interface BenchOptions {
  size: number;
  batch: number;
  repeats: number;
  backends?: BackendName[];
  log?: (line: string) => void;
}

/**
 * The tutorial's CNN written directly on tfjs ops (Conv2D 16/32/64/128 3x3 same
 * ReLU + 2x2 max-pool, global average pooling, Dense(1, sigmoid), binary
 * cross-entropy, SGD): what one training step costs on a backend, independent of
 * the layers package.
 */
function makeModel(seed: number) {
  const rng = createRng(seed);
  const glorot = (shape: number[], fanIn: number, fanOut: number) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return tf.variable(rng.uniformTensor(shape, -limit, limit));
  };
  const widths = [3, 16, 32, 64, 128];
  const convs = widths.slice(1).map((out, i) => ({
    kernel: glorot([3, 3, widths[i], out], 9 * widths[i], 9 * out),
    bias: tf.variable(tf.zeros([out])),
  }));
  const dense = { kernel: glorot([128, 1], 128, 1), bias: tf.variable(tf.zeros([1])) };
  const forward = (x: tf.Tensor4D): tf.Tensor => {
    let h: tf.Tensor4D = tf.mul(x, 1 / 255) as tf.Tensor4D;
    for (const c of convs) {
      h = tf.relu(tf.add(tf.conv2d(h, c.kernel as tf.Tensor4D, 1, 'same'), c.bias)) as tf.Tensor4D;
      h = tf.maxPool(h, 2, 2, 'valid');
    }
    const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
    return tf.add(tf.matMul(pooled, dense.kernel as tf.Tensor2D), dense.bias);
  };
  const variables = [...convs.flatMap((c) => [c.kernel, c.bias]), dense.kernel, dense.bias];
  return { forward, variables };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Times one training step and one inference batch per available backend, in one run. */
export async function runBench(options: BenchOptions): Promise<BenchResult[]> {
  const registry = cliRegistry();
  const log = options.log ?? (() => {});
  const results: BenchResult[] = [];
  for (const plugin of registry.list()) {
    if (options.backends && !options.backends.includes(plugin.name)) continue;
    // This bench times tfjs training steps; onnx is not a tfjs backend (its engine
    // is timed by @cnnkit/backend-onnx's benchOrtTraining).
    if (plugin.name === 'onnx') {
      log('bench: skipping onnx: not a tfjs backend (see benchOrtTraining)');
      continue;
    }
    const availability = await plugin.isAvailable();
    if (!availability.available) {
      log(`bench: skipping ${plugin.name}: ${availability.reason}`);
      continue;
    }
    await selectBackend({ name: plugin.name, registry });
    const { forward, variables } = makeModel(42);
    const rng = createRng(7);
    const x = rng.uniformTensor([options.batch, options.size, options.size, 3], 0, 255) as tf.Tensor4D;
    const y = tf.tensor2d(Array.from({ length: options.batch }, (_, i) => i % 2), [options.batch, 1]);
    const optimizer = tf.train.sgd(0.01);
    const step = () => {
      const loss = optimizer.minimize(() => {
        const z = forward(x);
        // Stable BCE from logits: max(z,0) - z*y + log(1 + e^-|z|).
        return tf.mean(tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))))) as tf.Scalar;
      }, true);
      loss?.dataSync();
      loss?.dispose();
    };
    const infer = () => tf.tidy(() => forward(x)).dataSync();
    const time = (fn: () => unknown) => {
      fn(); // warm-up: kernel setup and weight prepacking
      const runs: number[] = [];
      for (let i = 0; i < options.repeats; i++) {
        const t0 = performance.now();
        fn();
        runs.push(performance.now() - t0);
      }
      return (options.batch * 1000) / median(runs);
    };
    for (const [task, fn] of [['train', step], ['infer', infer]] as const) {
      const ips = time(fn);
      results.push({ engine: `cnnkit-${plugin.name}`, task, size: options.size, batch: options.batch, imagesPerSecond: ips });
      log(`bench: cnnkit-${plugin.name} ${task} ${ips.toFixed(1)} images/s`);
    }
    tf.dispose([x, y, ...variables]);
    optimizer.dispose();
  }
  return results;
}

export function formatBench(results: BenchResult[]): string {
  const lines = ['engine         task   size  batch  images/s'];
  for (const r of results) {
    lines.push(`${r.engine.padEnd(14)} ${r.task.padEnd(6)} ${String(r.size).padStart(4)}  ${String(r.batch).padStart(5)}  ${r.imagesPerSecond.toFixed(1).padStart(8)}`);
  }
  for (const task of ['train', 'infer'] as const) {
    const rows = results.filter((r) => r.task === task);
    const base = rows.find((r) => r.engine === 'cnnkit-cpu');
    if (!base) continue;
    for (const r of rows) {
      if (r !== base) lines.push(`ratio ${task}: ${r.engine} / cnnkit-cpu = ${(r.imagesPerSecond / base.imagesPerSecond).toFixed(1)}x`);
    }
  }
  return lines.join('\n');
}
