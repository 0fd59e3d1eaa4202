/**
 * Child process for the tfjs-layers peer: the tutorial model built with
 * `@tensorflow/tfjs-layers` 4.22 on a STOCK tfjs backend (no cnnkit kernels), timed,
 * printed as one JSON line. A separate process because cnnkit registers its wasm
 * training kernels globally in a tfjs engine; here the peer gets only what it ships with.
 *
 * Gradients: tfjs-core registers none in Node (its gradient modules are extension-less
 * ES modules that Node cannot import, and no tfjs-core/tfjs-layers bundle contains them;
 * only the `@tensorflow/tfjs` union bundle does). We register cnnkit's `registerGradients()`
 * — the same gradient formulas cnnkit's own training uses — so the comparison measures
 * the layers engine and the kernels, not different gradient math.
 *
 * Usage: node tfjs-layers-child.js '{"backend":"wasm","task":"infer","size":128,"batch":32,"warmup":1,"repeats":3}'
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { registerGradients } from '@cnnkit/tensor-core';
import { measureThroughput } from './measure-throughput.js';
import { syntheticBatch } from './synthetic-batch.js';

interface ChildArgs {
  backend: 'cpu' | 'wasm';
  task: 'train' | 'infer';
  size: number;
  batch: number;
  warmup: number;
  repeats: number;
}

/** seedCnn in tfjs-layers: Rescaling(1/255), 4 x (Conv2D 3x3 same relu, MaxPooling2D), GAP, Dense(1, sigmoid). */
function tutorialModel(size: number): tfl.Sequential {
  const model = tfl.sequential();
  model.add(tfl.layers.rescaling({ scale: 1 / 255, inputShape: [size, size, 3] }));
  for (const filters of [16, 32, 64, 128]) {
    model.add(tfl.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu' }));
    model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  }
  model.add(tfl.layers.globalAveragePooling2d({}));
  model.add(tfl.layers.dense({ units: 1, activation: 'sigmoid' }));
  // Keras RMSprop defaults (tfjs's rmsprop takes decay=rho=0.9 and epsilon like Keras 1e-7).
  model.compile({ optimizer: tf.train.rmsprop(0.001, 0.9, 0, 1e-7), loss: 'binaryCrossentropy' });
  return model;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
  if (args.backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  else await import('@tensorflow/tfjs-backend-cpu');
  registerGradients();
  if (!(await tf.setBackend(args.backend))) throw new Error(`tfjs could not initialise the ${args.backend} backend`);
  await tf.ready();
  const data = syntheticBatch(args.size, args.batch);
  const model = tutorialModel(args.size);
  const x = tf.tensor4d(data.images, [args.batch, args.size, args.size, 3]);
  const y = tf.tensor2d(data.labels, [args.batch, 1]);
  const run =
    args.task === 'train'
      ? () => model.trainOnBatch(x, y)
      : () => {
          const p = model.predict(x, { batchSize: args.batch }) as tf.Tensor;
          p.dataSync();
          p.dispose();
        };
  const imagesPerSecond = await measureThroughput({ warmup: args.warmup, repeats: args.repeats, images: args.batch, run });
  process.stdout.write(`${JSON.stringify({ imagesPerSecond, tfjsLayers: tfl.version_layers, backend: tf.getBackend() })}\n`);
}

main().catch((error: unknown) => {
  // One line for the parent's reason column; the stack helps nobody reading a table.
  process.stderr.write(`${(error instanceof Error ? error.message : String(error)).split('\n')[0]}\n`);
  process.exit(1);
});
