import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CnnkitError, tf } from '@cnnkit/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dense } from '../layers/dense.js';
import { Flatten } from '../layers/flatten.js';
import { Layer, type LayerArgs } from '../layers/layer.js';
import type { Shape } from '../utils/shape.js';
import { LAYER_PROVIDERS, providerOf } from '../layers/layer-providers.js';
import { layerClassNames, layerFromConfig, registerLayerClass } from '../layers/layer-registry.js';
import { Sequential } from '../models/sequential.js';
import { useTestBackend } from '../test-utils/setup.js';
import { architectureClassNames, registerProvidedLayers } from './register-provided-layers.js';
import { loadModel, saveModel } from './saved-model.js';

/** Stands in for @cnnkit/augment's RandomFlip: an identity layer under that class name. */
class FakeFlip extends Layer {
  readonly className = 'RandomFlip';
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  computeOutputShape([shape]: readonly Shape[]): Shape {
    return shape;
  }
  call([x]: readonly tf.Tensor[]): tf.Tensor {
    return tf.clone(x);
  }
  getConfig(): Record<string, unknown> {
    return this.baseConfig();
  }
}

let dir: string;
beforeAll(async () => {
  await useTestBackend();
  dir = await mkdtemp(join(tmpdir(), 'cnnkit-providers-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function flipModel(): Sequential {
  return new Sequential({ inputShape: [2, 2, 1], layers: [new FakeFlip(), new Flatten(), new Dense({ units: 1 })] });
}

describe('layer classes from other cnnkit packages', () => {
  it("reads the class names of a model.json's architecture, Sequential or functional, and nothing from a malformed one", () => {
    expect(architectureClassNames({ config: { layers: [{ className: 'InputLayer' }, { className: 'RandomFlip' }, { className: 'RandomFlip' }] } })).toEqual(['InputLayer', 'RandomFlip']);
    expect(architectureClassNames(null)).toEqual([]);
    expect(architectureClassNames({ config: { layers: 7 } })).toEqual([]);
  });

  it('a model whose provider is not installed fails in one line naming the classes, the package and both fixes', async () => {
    const model = flipModel();
    await saveModel(model, join(dir, 'flip'));
    // In this workspace @cnnkit/layers cannot resolve @cnnkit/augment (it is a dependent, not a dependency): the user's case without it.
    const error = await loadModel(join(dir, 'flip')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CnnkitError);
    expect((error as CnnkitError).code).toBe('LAYER_PACKAGE_MISSING');
    expect((error as Error).message).toMatch(
      /^.*flip\/model\.json: the model uses layer class "RandomFlip" from @cnnkit\/augment, which cannot be imported here \(.+\); install it next to @cnnkit\/layers \(npm install @cnnkit\/augment\), or call registerAugmentLayers\(\) from it before loading$/,
    );
    expect((error as Error).message).not.toContain('\n');
    model.dispose();
  });

  it('imports the provider once for all its classes, calls its registration, and then the model loads', async () => {
    const imported: string[] = [];
    const importer = async (specifier: string) => {
      imported.push(specifier);
      return { registerAugmentLayers: () => registerLayerClass('RandomFlip', (c) => new FakeFlip(c as LayerArgs)) };
    };
    await registerProvidedLayers(['InputLayer', 'Dense'], 'm.json', importer);
    expect(imported).toEqual([]);
    await registerProvidedLayers(['RandomFlip', 'RandomRotation', 'Dense'], 'm.json', importer);
    expect(imported).toEqual(['@cnnkit/augment']);
    expect(layerClassNames()).toContain('RandomFlip');
    // Registered now: no second import, and loadModel needs no call of its own.
    await registerProvidedLayers(['RandomFlip'], 'm.json', importer);
    expect(imported).toEqual(['@cnnkit/augment']);
    const model = flipModel();
    await saveModel(model, join(dir, 'flip2'));
    const { model: loaded } = await loadModel(join(dir, 'flip2'));
    const x = tf.tensor4d([1, -2, 3, -4], [1, 2, 2, 1]);
    expect(Array.from(await (loaded.predict(x) as tf.Tensor).data())).toEqual(Array.from(await (model.predict(x) as tf.Tensor).data()));
    expect(loaded.layers[1].className).toBe('RandomFlip');
    tf.dispose(x);
    model.dispose();
    loaded.dispose();
  });

  it('a provider package without its registration function is named as a version mismatch', async () => {
    await expect(registerProvidedLayers(['CenterCrop'], 'm.json', async () => ({}))).rejects.toThrow(
      'm.json: the model uses layer class "CenterCrop" from @cnnkit/augment, but that package has no registerAugmentLayers(); install a @cnnkit/augment of the same version as @cnnkit/layers',
    );
  });

  it('an unknown class says where cnnkit classes come from and how a custom one loads; a provided one names its package', () => {
    expect(() => layerFromConfig({ className: 'MyLayer', config: {} })).toThrow(
      /^layerFromConfig: unknown layer class "MyLayer": not a layer of cnnkit \(built in: InputLayer, .*; from other packages: RandomFlip, .* in @cnnkit\/augment\); a custom layer loads after registerLayerClass\("MyLayer", factory\)$/,
    );
    expect(() => layerFromConfig({ className: 'Resizing', config: {} })).toThrow(
      'layerFromConfig: layer class "Resizing" comes from @cnnkit/augment and is not registered; loadModel registers it when that package is installed, or call registerAugmentLayers() from it first',
    );
    expect(providerOf('Dense')).toBeUndefined();
    expect(LAYER_PROVIDERS.flatMap((p) => p.classNames).filter((c) => providerOf(c) === undefined)).toEqual([]);
  });
});
