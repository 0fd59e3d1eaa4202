#!/usr/bin/env node
// `pnpm demo [--model DIR] [--port N] [--host H]`: serves the demo page with a model.
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serveDemo } from './serve-demo.js';
import { MIN_HELD_OUT_ACCURACY, trainTinyModel } from './train-tiny-model.js';
import { validationAccuracy } from './validation-accuracy.js';

const USAGE = `usage: pnpm demo [--model DIR] [--port N] [--host HOST]

Serves the cnnkit demo page: pick or drop an image, see the class probabilities
and the Grad-CAM overlay, computed in the browser on wasm or cpu.

  --model DIR   a saved model folder (RUN/model) or a run folder.
                Default: cnnkit-demo/run/model (what "cnnkit demo" trains) if it exists,
                else a tiny model trained now on sample data until it is right on
                at least 90% of held-out pictures (kept in apps/demo/.demo-model).
  --port N      default 4173 (0: any free port)
  --host HOST   default 127.0.0.1 (this machine only)
`;

const PACKAGE_DIR = dirname(dirname(fileURLToPath(import.meta.url)));

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** The --model folder, else the demo run's model, else a tiny one (trained once, then reused). */
async function defaultModel(base: string): Promise<string> {
  const demoRun = join(base, 'cnnkit-demo', 'run', 'model');
  if (await exists(join(demoRun, 'model.json'))) return demoRun;
  const tiny = join(PACKAGE_DIR, '.demo-model');
  // A tiny model kept from an older version (trained a fixed 3 epochs, a coin flip) records no
  // held-out accuracy, or a low one: it is trained again rather than shown.
  const kept = await validationAccuracy(tiny);
  if (kept.accuracy !== null && kept.accuracy >= MIN_HELD_OUT_ACCURACY) {
    console.error(`demo: no ${demoRun} (run "pnpm cnnkit demo" for the real one); using the tiny model in ${tiny}`);
    return tiny;
  }
  console.error(`demo: no ${demoRun} (run "pnpm cnnkit demo" for the real one); training a tiny model on sample data first`);
  await trainTinyModel(tiny, { log: (line) => console.error(`demo: ${line}`) });
  return tiny;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { model: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const port = values.port === undefined ? 4173 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: expected an integer 0..65535, received "${values.port}"`);
  // pnpm runs scripts at the repository root; INIT_CWD is where the user typed the command.
  const base = process.env.INIT_CWD ?? process.cwd();
  const modelDir = values.model === undefined ? await defaultModel(base) : resolve(base, values.model);
  const server = await serveDemo({ modelDir, port, host: values.host });
  const { accuracy } = await validationAccuracy(server.modelDir);
  console.log(`cnnkit demo: serving ${server.modelDir} (validation accuracy ${accuracy === null ? 'unknown' : `${(100 * accuracy).toFixed(1)}%`})`);
  console.log(`open ${server.url}  (Ctrl+C stops)`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`demo: ${(error as Error).message}`);
  process.exit(1);
});
