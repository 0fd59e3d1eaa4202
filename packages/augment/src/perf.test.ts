import { tf } from '@cnnkit/tensor-core';
import { it } from 'vitest';
import { RandomFlip } from './random-flip.js';
import { RandomRotation } from './random-rotation.js';
import { describeOnBackends } from './test-utils/backends.js';
describeOnBackends('perf', (b) => {
  it('batch 16x96x96x3', async () => {
    const x = tf.randomUniform([16, 96, 96, 3], 0, 255) as tf.Tensor4D;
    for (const [name, layer] of [['flip', new RandomFlip({ seed: 1 })], ['rot', new RandomRotation({ factor: 0.1, seed: 1 })], ['rotn', new RandomRotation({ factor: 0.1, seed: 1, interpolation: 'nearest' })]] as const) {
      for (let i = 0; i < 2; i++) {
      const t = performance.now();
      const prof = await tf.profile(() => { const y = layer.call(x, { training: true }); y.dataSync(); y.dispose(); });
      const byKernel = new Map<string, number>();
      for (const k of prof.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
      const top = [...byKernel].sort((a, c) => c[1] - a[1]).slice(0, 8).map(([k, v]) => `${k}:${Math.round(v)}`);
      if (i === 1) console.log(b, name, 'ms', Math.round(performance.now() - t), top.join(' '));
      }
    }
    x.dispose();
  });
});
