import { cpuBackend } from '@cnnkit/backend-cpu';
import { wasmBackend } from '@cnnkit/backend-wasm';
import { BackendRegistry, activeTfjsBackend, selectBackend, tf, type AdapterInfo, type BackendPlugin } from '@cnnkit/tensor-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { Dense } from '../layers/dense.js';
import { Flatten } from '../layers/flatten.js';
import { Layer, type LayerArgs } from '../layers/layer.js';
import { registerLayerClass } from '../layers/layer-registry.js';
import type { Shape } from '../utils/shape.js';
import { Sequential } from '../models/sequential.js';
import { chooseTrainingEngine } from './choose-training-engine.js';
import { DataParallelTrainer } from './data-parallel-trainer.js';
import type { TrainingEngine } from './training-engine.js';

function compiled(): Sequential {
  const model = new Sequential({ inputShape: [2, 2, 1], layers: [new Flatten(), new Dense({ units: 1, activation: 'sigmoid' })] });
  model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy' });
  return model;
}

/** A stand-in engine: what fit needs of one. */
const fakeEngine = (): TrainingEngine & { disposed: number; dispose(): void } => ({
  name: 'fake ort',
  disposed: 0,
  begin: () => {},
  step: async () => ({ loss: 0, predictions: [] }),
  end: () => {},
  dispose() {
    this.disposed++;
  },
});

/** An onnx plugin whose engine covers a model or names what it lacks; nothing native. */
function fakeOnnx(unsupported: string | null, available = true): BackendPlugin & { created: unknown[] } {
  const created: unknown[] = [];
  return {
    name: 'onnx',
    packageName: '@cnnkit/backend-onnx',
    priority: 10,
    isAvailable: async () => (available ? { available: true } : { available: false, reason: 'onnxruntime-node failed to load (test)', fix: 'reinstall' }),
    capabilities: () => ({ device: 'cpu', training: true, inference: true, threads: 1 }),
    version: () => '1.30.0',
    activate: async () => {},
    trainingEngine: {
      unsupported: async () => unsupported,
      create: async (model) => {
        created.push(model);
        return fakeEngine();
      },
    },
    created,
  };
}

/** A GPU plugin on a given adapter; it runs on tfjs's cpu so the selection can activate it here. */
function fakeGpu(name: 'webgpu' | 'cuda', adapter: AdapterInfo | null): BackendPlugin {
  const cpu = cpuBackend();
  return {
    name,
    packageName: `@cnnkit/backend-${name}`,
    priority: name === 'cuda' ? 300 : 250,
    isAvailable: async () => (adapter === null ? { available: false, reason: 'no GPU here (test)', fix: 'install a driver' } : { available: true, adapter }),
    capabilities: () => ({ device: 'gpu', training: true, inference: true, threads: 1 }),
    version: () => 'test',
    activate: () => cpu.activate(),
  };
}

const hardware: AdapterInfo = { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200', software: false };
const software: AdapterInfo = { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader', software: true };

const registry = (...plugins: BackendPlugin[]) => plugins.reduce((r, p) => r.add(p), new BackendRegistry());

// Models build their weights at once: start every case on cpu, so the choice is what changes the backend.
beforeEach(() => selectBackend({ name: 'cpu', registry: registry(cpuBackend()) }));

describe('chooseTrainingEngine: auto takes the fastest engine that trains every layer', () => {
  it('ORT when the onnx backend covers the model; wasm runs the data beside it', async () => {
    const onnx = fakeOnnx(null);
    const model = compiled();
    const chosen = await chooseTrainingEngine(model, { registry: registry(cpuBackend(), wasmBackend(), onnx) });
    expect(chosen).toMatchObject({ kind: 'ort', backend: 'onnx', tfjsBackend: 'wasm', workers: 1 });
    expect(onnx.created).toEqual([model]);
    expect(activeTfjsBackend()).toBe('wasm');
    expect(chosen.reason).toBe('ORT (onnxruntime-node 1.30.0, wasm for the data): covers every layer of the model, the fastest CPU engine');
    await chosen.dispose();
    await chosen.dispose();
    expect((chosen.engine as ReturnType<typeof fakeEngine>).disposed).toBe(1);
  });

  it('the next engine, data-parallel wasm, when ORT cannot train the model; the reason says why', async () => {
    const onnx = fakeOnnx('compileTrainingGraph: layer MyLayer "odd" is not supported');
    const chosen = await chooseTrainingEngine(compiled(), { registry: registry(cpuBackend(), wasmBackend(), onnx), workers: undefined });
    expect(onnx.created).toEqual([]);
    expect(chosen.backend).toBe('wasm');
    expect(chosen.kind).toBe(chosen.workers > 1 ? 'data-parallel' : 'tfjs');
    expect(chosen.reason).toMatch(/: ORT cannot train this model: compileTrainingGraph: layer MyLayer "odd" is not supported$/);
    await chosen.dispose();
  });

  it.each([
    ['not registered', () => registry(cpuBackend(), wasmBackend()), /ORT: the onnx backend \(@cnnkit\/backend-onnx\) is not registered/],
    ['unavailable', () => registry(cpuBackend(), wasmBackend(), fakeOnnx(null, false)), /ORT: onnxruntime-node failed to load \(test\)/],
  ])('wasm (on the cores) when the onnx backend is %s, saying so', async (_what, make, reason) => {
    const chosen = await chooseTrainingEngine(compiled(), { registry: make() });
    try {
      expect(chosen.backend).toBe('wasm');
      expect(chosen.kind).toBe(chosen.workers > 1 ? 'data-parallel' : 'tfjs');
      expect(chosen.reason).toMatch(reason);
      expect(chosen.reason).toMatch(chosen.workers > 1 ? /^data-parallel wasm x\d \(worker threads\): / : /^wasm, one instance on this thread: /);
    } finally {
      await chosen.dispose();
    }
  });

  it('a worker count asks for worker threads: data-parallel wasm even where ORT covers the model', async () => {
    const onnx = fakeOnnx(null);
    const chosen = await chooseTrainingEngine(compiled(), { registry: registry(cpuBackend(), wasmBackend(), onnx), workers: 2 });
    try {
      expect(chosen).toMatchObject({ kind: 'data-parallel', backend: 'wasm', workers: 2 });
      expect(chosen.engine).toBeInstanceOf(DataParallelTrainer);
      expect(chosen.reason).toBe('data-parallel wasm x2 (worker threads): ORT: a worker count was given, which asks for worker threads');
      expect(onnx.created).toEqual([]);
    } finally {
      await chosen.dispose();
    }
  });

  it('a GPU on a hardware adapter first; a software adapter is passed over (named in the reason)', async () => {
    const onGpu = await chooseTrainingEngine(compiled(), { registry: registry(cpuBackend(), wasmBackend(), fakeOnnx(null), fakeGpu('webgpu', hardware)) });
    expect(onGpu).toMatchObject({ kind: 'tfjs', backend: 'webgpu', adapter: hardware, engine: undefined });
    expect(onGpu.reason).toBe('webgpu on NVIDIA H200: a GPU, the fastest');
    const emulated = await chooseTrainingEngine(compiled(), { registry: registry(cpuBackend(), wasmBackend(), fakeOnnx(null), fakeGpu('webgpu', software), fakeGpu('cuda', null)) });
    expect(emulated.kind).toBe('ort');
    expect(emulated.reason).toBe('ORT (onnxruntime-node 1.30.0, wasm for the data): covers every layer of the model, the fastest CPU engine (cuda: not available; webgpu: only a software adapter)');
  });

  it('cpu when it is the only backend; one clear error when nothing can train', async () => {
    const chosen = await chooseTrainingEngine(compiled(), { registry: registry(cpuBackend()), workers: 1 });
    expect(chosen).toMatchObject({ kind: 'tfjs', backend: 'cpu' });
    await expect(chooseTrainingEngine(compiled(), { registry: new BackendRegistry() })).rejects.toThrow(
      'chooseTrainingEngine: no registered backend can train here (ORT: the onnx backend (@cnnkit/backend-onnx) is not registered)',
    );
  });
});

describe('chooseTrainingEngine: a named backend is obeyed', () => {
  it('onnx trains through ORT, or fails in one line naming what ORT lacks and the way out', async () => {
    const chosen = await chooseTrainingEngine(compiled(), { backend: 'onnx', registry: registry(cpuBackend(), wasmBackend(), fakeOnnx(null)) });
    expect(chosen).toMatchObject({ kind: 'ort', reason: 'ORT (onnxruntime-node 1.30.0, wasm for the data): asked for' });
    const model = compiled();
    await expect(chooseTrainingEngine(model, { backend: 'onnx', registry: registry(wasmBackend(), fakeOnnx('layer X is not supported')) })).rejects.toThrow(
      `chooseTrainingEngine: backend onnx cannot train model "${model.name}": layer X is not supported; use backend wasm, or auto, which picks the next engine`,
    );
    await expect(chooseTrainingEngine(model, { backend: 'onnx', registry: registry(wasmBackend()) })).rejects.toThrow(/unknown backend "onnx"/);
  });

  it('wasm and cpu: data-parallel on the given workers, one instance for 1; a GPU refuses workers', async () => {
    const one = await chooseTrainingEngine(compiled(), { backend: 'cpu', registry: registry(cpuBackend(), wasmBackend(), fakeOnnx(null)), workers: 1 });
    expect(one).toMatchObject({ kind: 'tfjs', backend: 'cpu', reason: 'cpu, one instance on this thread: asked for' });
    expect(activeTfjsBackend()).toBe('cpu');
    await expect(chooseTrainingEngine(compiled(), { backend: 'webgpu', registry: registry(cpuBackend(), fakeGpu('webgpu', hardware)), workers: 2 })).rejects.toThrow(
      'chooseTrainingEngine: 2 workers need a backend that runs in worker threads (wasm or cpu); webgpu runs one instance; drop the worker count or use wasm',
    );
    await expect(chooseTrainingEngine(compiled(), { backend: 'wasm', registry: registry(wasmBackend()), workers: 0 })).rejects.toThrow('chooseTrainingEngine: expected workers a positive integer, received 0');
  });

  it('an uncompiled model is refused before anything is chosen', async () => {
    const model = new Sequential({ inputShape: [2], layers: [new Dense({ units: 1 })] });
    await expect(chooseTrainingEngine(model, { registry: registry(wasmBackend()) })).rejects.toThrow(/must be compiled first/);
    tf.disposeVariables();
  });
});

/** A class registered on this thread only: worker threads cannot rebuild it. */
class Doubler extends Layer {
  readonly className = 'Doubler';
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  computeOutputShape([shape]: readonly Shape[]): Shape {
    return shape;
  }
  call([x]: readonly tf.Tensor[]): tf.Tensor {
    return tf.mul(x, 2);
  }
  getConfig(): Record<string, unknown> {
    return this.baseConfig();
  }
}

describe('chooseTrainingEngine: layer classes the worker threads cannot rebuild', () => {
  const factory = (c: Record<string, unknown>) => new Doubler(c as LayerArgs);
  const withDoubler = () => {
    registerLayerClass('Doubler', factory);
    const model = new Sequential({ inputShape: [2, 2, 1], layers: [new Doubler(), new Flatten(), new Dense({ units: 1, activation: 'sigmoid' })] });
    model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy' });
    return model;
  };

  it('auto trains such a model on one instance and says why; asking for workers fails in one line naming the layer', async () => {
    const chosen = await chooseTrainingEngine(withDoubler(), { registry: registry(cpuBackend(), wasmBackend()) });
    expect(chosen).toMatchObject({ kind: 'tfjs', backend: 'wasm', workers: 1 });
    expect(chosen.reason).toMatch(/worker threads cannot rebuild layer Doubler "doubler" \(registered on this thread only\)$/);
    await expect(chooseTrainingEngine(withDoubler(), { backend: 'wasm', registry: registry(wasmBackend()), workers: 2 })).rejects.toThrow(
      /^DataParallelTrainer: the worker threads cannot rebuild layer Doubler "doubler(_\d+)?": its class is registered on this thread only; pass setup: \[\{ module, call \}\] that registers it in a worker, give the layer a workerSetup, or train on one instance \(workers: 1\)$/,
    );
  });
});

