/**
 * The worker thread of the data-parallel trainer (see data-parallel-trainer.ts):
 * one replica of the model on its own backend instance. It computes the loss and
 * gradients of its shard of each batch, and applies the averaged gradients with
 * its own optimizer, so every replica stays identical.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { tf, type BackendPlugin, type Rng, type RngState } from '@cnnkit/tensor-core';
import type { FromWorker, PackedTensor, ToWorker, WorkerInit } from './data-parallel-protocol.js';
import { assignValues, concatValues, firstLine } from './data-parallel-protocol.js';
import type { Model } from '../models/model.js';
import { modelFromJson } from '../models/model-from-json.js';
import { lossAndGradients } from './trainer.js';

const init = workerData as WorkerInit;
const port = parentPort!;

// Whatever a worker prints (tfjs warnings) goes to stderr: the process's stdout is for
// results (`--json`). Redirected here: a piped worker.stdout would keep the process alive.
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

async function importExport(module: string, name: string, what: string): Promise<unknown> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(module)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot import ${what} module "${module}": ${firstLine(error)}`);
  }
  if (typeof mod[name] !== 'function') throw new Error(`${what} module "${module}" has no exported function "${name}"`);
  return mod[name];
}

/**
 * This worker's own streams, forked from the main model's for this worker and step (so
 * each worker draws different dropout masks, and step k's masks depend on nothing drawn
 * before it: a run resumed at step k draws what the uninterrupted run drew).
 */
const streams = new Map<string, Rng>();
let stepIndex = 0;
/** Streams drawn from since the last load (the main thread advances those at the epoch's end). */
const drawn = new Set<string>();
let model: Model;
let baseRngFor: (name: string) => Rng;

async function setup(): Promise<void> {
  for (const s of init.setup) await (await importExport(s.module, s.call, 'setup') as () => unknown)();
  const factory = (await importExport(init.plugin.module, init.plugin.factory, 'backend plugin')) as (options?: unknown) => BackendPlugin;
  await factory(init.plugin.options).activate();
  model = modelFromJson(init.architecture, 'data-parallel worker');
  model.compile({ optimizer: init.optimizer, loss: init.loss });
  baseRngFor = model.rngFor.bind(model);
  model.rngFor = (name: string): Rng => {
    let rng = streams.get(name);
    if (rng === undefined) {
      rng = baseRngFor(name).fork(`data-parallel/${init.index}/${init.workers}/${stepIndex}`);
      streams.set(name, rng);
      drawn.add(name);
    }
    return rng;
  };
  post({
    type: 'ready',
    backend: tf.getBackend(),
    layout: model.namedWeights().map((w) => ({ path: w.path, size: w.variable.size, trainable: w.trainable })),
  });
}

function unpack(p: PackedTensor): tf.Tensor {
  return tf.tensor(p.data, p.shape, p.dtype);
}

function nonTrainable(): tf.Variable[] {
  return model.namedWeights().filter((w) => !w.trainable).map((w) => w.variable);
}

function load(m: Extract<ToWorker, { type: 'load' }>): void {
  assignValues(model.namedWeights().map((w) => w.variable), m.weights);
  const slots = new Map(m.slots.map((s) => [s.key, tf.tensor(s.data, s.shape, 'float32')] as const));
  try {
    model.compiled!.optimizer.setState({ iterations: m.iterations, learningRate: m.learningRate, slots });
  } finally {
    for (const t of slots.values()) t.dispose();
  }
  streams.clear();
  drawn.clear();
  for (const [name, state] of Object.entries(m.streams)) baseRngFor(name).setState(state as RngState);
  post({ type: 'loaded' });
}

/** Time of the latest `apply`, reported with the next step. */
let applyMs = 0;

async function step(m: Extract<ToWorker, { type: 'step' }>): Promise<void> {
  const started = performance.now();
  stepIndex = m.step;
  streams.clear();
  const xs = m.xs.map(unpack);
  const ys = m.ys.map(unpack);
  try {
    const r = await lossAndGradients(model, xs, ys, m.classWeight);
    try {
      const loss = r.loss.dataSync()[0];
      const present = r.grads.map((g) => g !== undefined);
      const grads = concatValues(r.grads.filter((g): g is tf.Tensor => g !== undefined));
      const predictions = r.probs.map((p) => Float32Array.from(p.dataSync() as Float32Array));
      const stats = nonTrainable();
      const statValues = stats.length === 0 ? null : concatValues(stats);
      const computeMs = performance.now() - started;
      post({ type: 'gradients', loss, grads, present, predictions, stats: statValues, computeMs, applyMs }, [
        grads.buffer as ArrayBuffer,
        ...predictions.map((p) => p.buffer as ArrayBuffer),
        ...(statValues === null ? [] : [statValues.buffer as ArrayBuffer]),
      ]);
    } finally {
      tf.dispose([r.loss, ...r.grads.filter((g): g is tf.Tensor => g !== undefined), ...r.probs]);
      r.sampleWeight?.dispose();
    }
  } finally {
    tf.dispose([...xs, ...ys]);
  }
}

function apply(m: Extract<ToWorker, { type: 'apply' }>): void {
  const started = performance.now();
  const weights = model.trainableWeights;
  const optimizer = model.compiled!.optimizer;
  optimizer.learningRate = m.learningRate;
  const updates: { path: string; variable: tf.Variable; gradient: tf.Tensor }[] = [];
  let offset = 0;
  weights.forEach((w, i) => {
    if (!m.present[i]) return;
    updates.push({ path: w.path, variable: w.variable, gradient: tf.tensor(m.grads.subarray(offset, offset + w.variable.size), w.variable.shape, 'float32') });
    offset += w.variable.size;
  });
  try {
    // As trainStep: an update (and a counted iteration) whenever the model has trainable weights.
    if (weights.length > 0) optimizer.applyGradients(updates);
  } finally {
    tf.dispose(updates.map((u) => u.gradient));
  }
  if (m.stats !== null) assignValues(nonTrainable(), m.stats);
  applyMs = performance.now() - started;
}

function state(m: Extract<ToWorker, { type: 'state' }>): void {
  const s = model.compiled!.optimizer.getState();
  const slots = [...s.slots].map(([key, t]) => ({ key, shape: [...t.shape], data: Float32Array.from(t.dataSync() as Float32Array) }));
  tf.dispose([...s.slots.values()]);
  const weights = m.weights ? concatValues(model.namedWeights().map((w) => w.variable)) : null;
  post({ type: 'state', weights, iterations: s.iterations, slots, streams: [...drawn] }, [
    ...(weights === null ? [] : [weights.buffer as ArrayBuffer]),
    ...slots.map((x) => x.data.buffer as ArrayBuffer),
  ]);
}

function handle(m: ToWorker): void | Promise<void> {
  switch (m.type) {
    case 'load':
      return load(m);
    case 'step':
      return step(m);
    case 'apply':
      return apply(m);
    case 'weights':
      assignValues(model.trainableWeights.map((w) => w.variable), m.trainable);
      if (m.stats !== null) assignValues(nonTrainable(), m.stats);
      return;
    case 'state':
      return state(m);
    default: {
      const unknown: never = m;
      throw new Error(`unknown message ${JSON.stringify(unknown)}`);
    }
  }
}

// Messages are handled one at a time, in order, after the set-up; the first error is
// reported and the worker stops handling (the trainer terminates every worker).
let chain = setup();
let failed = false;
const fail = (error: unknown) => {
  if (failed) return;
  failed = true;
  post({ type: 'error', message: firstLine(error) });
};
chain.catch(fail);
port.on('message', (m: ToWorker) => {
  chain = chain.then(() => {
    if (!failed) return handle(m);
  });
  chain.catch(fail);
});
