import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { cnnkit, tempDir } from '../test-utils/cnnkit.js';

/**
 * `cnnkit demo` exactly as `pnpm start` runs it (default settings): the tutorial CNN
 * must clearly beat chance on the held-out validation pictures. Several minutes on 2
 * cores, so it runs with `pnpm test:slow`, not `pnpm test` (which runs the same
 * pipeline with fewer images and epochs).
 */
it('the default demo reaches >= 75% validation accuracy on circles vs squares', async () => {
  const out = join(await tempDir('demo-slow'), 'demo');
  const r = await cnnkit(['demo', '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  const history = JSON.parse(await readFile(join(out, 'run', 'history.json'), 'utf8')) as Record<string, number[]>;
  const accuracy = /Validation accuracy ([\d.]+)%/.exec(r.stdout)?.[1];
  expect(Number(accuracy) / 100).toBeCloseTo(history.val_accuracy[history.val_accuracy.length - 1], 3);
  expect(Number(accuracy)).toBeGreaterThanOrEqual(75);
});
