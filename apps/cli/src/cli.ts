import { writeFile } from 'node:fs/promises';
import { DEFAULT_OPSET, MAX_OPSET, MIN_OPSET } from '@cnnkit/export';
import { BACKEND_NAMES, CnnkitError, type BackendName } from '@cnnkit/tensor-core';
import { MAX_DEFAULT_WORKERS } from '@cnnkit/layers';

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { formatBackends, listBackends } from './commands/backends.js';
import { formatBench, runBench } from './commands/bench.js';
import { checkCommand, formatCheck, formatQuarantine } from './commands/check.js';
import { CAM_METHODS, camCommand, formatCam, type CamMethod } from './commands/cam.js';
import { demoCommand, formatDemo } from './commands/demo.js';
import { exportCommand, formatExport } from './commands/export.js';
import { openOnnxPredictor } from './onnx-predictor.js';
import { writeConfusionPng } from './confusion-png.js';
import { writableFile } from './writable.js';
import { evaluateCommand, formatEvaluate } from './commands/evaluate.js';
import { formatPredictions, predictCommand } from './commands/predict.js';
import { previewCommand } from './commands/preview.js';
import { formatSampleData, sampleDataCommand } from './commands/sample-data.js';
import { summaryCommand } from './commands/summary.js';
import { formatTrain, OPTIMIZERS, trainCommand, type OptimizerFlag, type TrainConfig } from './commands/train.js';
import {
  backendList,
  fraction,
  imageSize,
  inferBackend,
  nonNegativeInt,
  positiveInt,
  positiveNumber,
  trainBackend,
  fitBackend,
  type FitBackend,
  type InferBackend,
  type TrainBackend,
} from './options.js';
import { UserError } from './user-error.js';

export { UserError } from './user-error.js';

/** Output channels: `out` is stdout (results, `--json`), `err` is stderr (progress, logs, errors). */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Where progress bars draw (a TTY gets a live bar, anything else one line per epoch). */
  progress: NodeJS.WritableStream;
}

function opset(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < MIN_OPSET || n > MAX_OPSET) throw new InvalidArgumentError(`--opset expects an integer from ${MIN_OPSET} to ${MAX_OPSET}, received "${value}"`);
  return n;
}

function buildProgram(io: CliIo): Command {
  const { out, err } = io;
  const log = (line: string) => err(`${line}\n`);
  const program = new Command('cnnkit')
    .description('Build, train, explain and export convolutional neural networks from TypeScript.')
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: err, outputError: () => {} });

  program
    .command('sample-data')
    .description('write a small synthetic image set (circles drawn as rings vs filled squares, with a few broken files) to OUT')
    .argument('<OUT>', 'new or empty folder')
    .option('--seed <n>', 'random seed (same seed, same files)', nonNegativeInt('--seed'), 1337)
    .option('--per-class <n>', 'images per class', positiveInt('--per-class'), 120)
    .action(async (dir: string, opts: { seed: number; perClass: number }) => {
      out(`${formatSampleData(await sampleDataCommand(dir, opts))}\n`);
    });

  program
    .command('check')
    .description('decode every file under DATA and report the broken ones with reasons')
    .argument('<DATA>', 'image folder laid out as DATA/<class>/<images>')
    .option('--json', 'print one JSON document on stdout')
    .option('--quarantine <DIR>', 'move the broken files there, keeping their relative paths (never deletes)')
    .action(async (data: string, opts: { json?: boolean; quarantine?: string }) => {
      const { report, moved } = await checkCommand(data, opts);
      out(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatCheck(data, report)}\n`);
      if (moved !== null && (moved.moved.length > 0 || moved.failed.length > 0)) err(`${formatQuarantine(moved)}\n`);
      if (moved !== null && moved.failed.length > 0) throw new UserError(`check: ${moved.failed.length} broken file(s) could not be moved to "${opts.quarantine}"; see the lines above`);
    });

  program
    .command('preview')
    .description('a 3x3 grid of random samples titled with their class; with --augment, 9 augmented copies of one image')
    .argument('<DATA>', 'image folder laid out as DATA/<class>/<images>')
    .requiredOption('--out <file>', 'PNG file to write')
    .option('--augment <spec>', 'augmentations, e.g. flip,rotate=0.1')
    .addOption(new Option('--image-size <px>', 'size of each picture: N or HxW').argParser(imageSize).default([180, 180], '180'))
    .option('--seed <n>', 'random seed', nonNegativeInt('--seed'), 1337)
    .action(async (data: string, opts: { out: string; augment?: string; imageSize: [number, number]; seed: number }) => {
      const grid = await previewCommand(data, opts);
      out(`wrote ${grid.out} (${grid.width}x${grid.height}${opts.augment === undefined ? '' : `, 9 augmented copies of ${grid.files[0]}`})\n`);
    });

  program
    .command('train')
    .description("train a CNN on DATA (flags mirror the Keras tutorial, with Keras's defaults); checkpoints every epoch")
    .argument('<DATA>', 'image folder laid out as DATA/<class>/<images>')
    .requiredOption('--out <RUN>', 'run folder: model/, checkpoints/, history.json, curves.png')
    .addOption(new Option('--image-size <px>', 'input size: N or HxW').argParser(imageSize).default([180, 180], '180'))
    .option('--batch-size <n>', 'batch size', positiveInt('--batch-size'), 32)
    .option('--epochs <n>', 'epochs to train (with --resume: the new total)', positiveInt('--epochs'), 25)
    .option('--validation-split <f>', 'fraction held out for validation', fraction('--validation-split'), 0.2)
    .option('--seed <n>', 'seed of the split, shuffling, augmentation and initial weights', nonNegativeInt('--seed'), 1337)
    .option('--augment <spec>', 'augmentations applied to training batches ("none" for none)', 'flip,rotate=0.1')
    .option('--model <name>', 'seed-cnn (the tutorial CNN) or a model.json architecture file', 'seed-cnn')
    .addOption(new Option('--optimizer <name>', 'optimizer').choices(Object.keys(OPTIMIZERS)).default('rmsprop'))
    .option('--lr <rate>', 'learning rate', positiveNumber('--lr'), 1e-3)
    .option('--backend <name>', 'auto, cpu, wasm, webgpu, cuda, or onnx (the ONNX Runtime training engine)', fitBackend, 'auto' as FitBackend)
    .option(
      '--workers <n>',
      `wasm and cpu: worker threads training data-parallel, one backend instance each (default: the cores, at most ${MAX_DEFAULT_WORKERS}; 1 = this thread only)`,
      positiveInt('--workers'),
    )
    .option('--resume', 'continue the run in --out from its newest checkpoint')
    .action(async (data: string, opts: TrainConfig & { out: string; backend: FitBackend; workers?: number; resume?: boolean; optimizer: OptimizerFlag }, cmd: Command) => {
      const keys: (keyof TrainConfig)[] = ['imageSize', 'batchSize', 'epochs', 'validationSplit', 'seed', 'augment', 'model', 'optimizer', 'lr'];
      const explicit = new Set(keys.filter((k) => cmd.getOptionValueSource(k) === 'cli'));
      const result = await trainCommand(data, { ...opts, resume: opts.resume === true, explicit, progress: io.progress, log });
      out(`${formatTrain(result)}\n`);
    });

  program
    .command('evaluate')
    .description('loss, accuracy and confusion matrix of a saved model on a labelled folder')
    .argument('<MODEL>', 'RUN/model (or RUN)')
    .argument('<DATA>', 'image folder laid out as DATA/<class>/<images>')
    .option('--json', 'print one JSON document on stdout')
    .option('--backend <name>', `${['auto', ...BACKEND_NAMES].join(', ')} (onnx: the exported model.onnx)`, inferBackend, 'auto' as InferBackend)
    .option('--validation-split <f>', "evaluate only the validation subset train held out (same split and --seed)", fraction('--validation-split'), 0)
    .option('--seed <n>', 'seed of that split', nonNegativeInt('--seed'), 1337)
    .option('--batch-size <n>', 'batch size', positiveInt('--batch-size'), 32)
    .option('--out <png>', 'also draw the confusion matrix to this PNG')
    .action(async (model: string, data: string, opts: { json?: boolean; backend: InferBackend; validationSplit: number; seed: number; batchSize: number; out?: string }) => {
      if (opts.out !== undefined) await writableFile('evaluate', '--out', opts.out);
      const report = await evaluateCommand(model, data, { ...opts, openOnnx: (path) => openOnnxPredictor('evaluate', path) });
      if (opts.out !== undefined) await writeConfusionPng(opts.out, report);
      out(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatEvaluate(report)}\n`);
    });

  program
    .command('predict')
    .description('class and class probabilities of each image')
    .argument('<MODEL>', 'RUN/model (or RUN)')
    .argument('<IMG...>', 'image files')
    .option('--json', 'print one JSON document on stdout')
    .option('--backend <name>', `${['auto', ...BACKEND_NAMES].join(', ')} (onnx: the exported model.onnx)`, inferBackend, 'auto' as InferBackend)
    .action(async (model: string, files: string[], opts: { json?: boolean; backend: InferBackend }) => {
      const rows = await predictCommand(model, files, { ...opts, openOnnx: (path) => openOnnxPredictor('predict', path) });
      out(opts.json ? `${JSON.stringify(rows, null, 2)}\n` : `${formatPredictions(rows)}\n`);
    });

  program
    .command('cam')
    .description('class activation heatmaps laid over each image, and a contact sheet')
    .argument('<MODEL>', 'RUN/model (or RUN)')
    .argument('<IMG...>', 'image files')
    .requiredOption('--out <DIR>', 'folder for the overlay PNGs')
    .addOption(new Option('--method <name>', 'heatmap method').choices([...CAM_METHODS]).default('gradcam'))
    .option('--backend <name>', 'auto, cpu, wasm, webgpu or cuda', trainBackend, 'auto' as TrainBackend)
    .option('--json', 'print one JSON document on stdout')
    .action(async (model: string, files: string[], opts: { out: string; method: CamMethod; backend: TrainBackend; json?: boolean }) => {
      const result = await camCommand(model, files, opts);
      out(opts.json ? `${JSON.stringify(result.rows)}\n` : `${formatCam(result)}\n`);
    });

  program
    .command('export')
    .description('write the model as ONNX and verify it against onnxruntime-node (max abs difference <= 1e-4)')
    .argument('<MODEL>', 'RUN/model (or RUN)')
    .requiredOption('--out <file>', 'the .onnx file to write')
    .option('--opset <n>', `ONNX opset, ${MIN_OPSET}..${MAX_OPSET}`, opset, DEFAULT_OPSET)
    .option('--backend <name>', 'backend the model runs on for the comparison: auto, cpu, wasm, webgpu or cuda', trainBackend, 'auto' as TrainBackend)
    .action(async (model: string, opts: { out: string; opset: number; backend: TrainBackend }) => {
      out(`${formatExport(await exportCommand(model, opts))}\n`);
    });

  program
    .command('summary')
    .description('Keras-style table of a saved model: layer, output shape, parameters')
    .argument('<MODEL>', 'RUN/model (or RUN)')
    .action(async (model: string) => {
      out(`${await summaryCommand(model)}\n`);
    });

  program
    .command('demo')
    .description('the whole tutorial on built-in sample data: data, check, previews, training, evaluation, CAM, ONNX export')
    .option('--out <DIR>', 'output folder (a previous demo there is replaced)', 'cnnkit-demo')
    .option('--epochs <n>', 'training epochs', positiveInt('--epochs'), 10)
    .option('--image-size <px>', 'training image size (square)', positiveInt('--image-size'), 32)
    .option('--batch-size <n>', 'batch size', positiveInt('--batch-size'), 16)
    .option('--per-class <n>', 'sample images per class', positiveInt('--per-class'), 1000)
    .option('--seed <n>', 'random seed', nonNegativeInt('--seed'), 1337)
    .option('--backend <name>', 'auto, cpu, wasm, webgpu or cuda', trainBackend, 'auto' as TrainBackend)
    .action(async (opts: { out: string; epochs: number; imageSize: number; batchSize: number; perClass: number; seed: number; backend: TrainBackend }) => {
      out(`${formatDemo(await demoCommand({ ...opts, progress: io.progress, log }))}\n`);
    });

  program
    .command('backends')
    .description('list every compute backend: available or not (and why), device, threads, training support, version')
    .option('--json', 'print one JSON document on stdout')
    .action(async (opts: { json?: boolean }) => {
      const rows = await listBackends();
      out(opts.json ? `${JSON.stringify(rows, null, 2)}\n` : `${formatBackends(rows)}\n`);
    });

  program
    .command('bench')
    .description('training and inference images/s of a small 4-conv CNN on every available backend, in one run')
    .option('--size <px>', 'image size', positiveInt('--size'), 32)
    .option('--batch-size <n>', 'batch size', positiveInt('--batch-size'), 8)
    .option('--repeats <n>', 'timed repeats (the median is reported)', positiveInt('--repeats'), 3)
    .option('--backends <list>', `comma-separated subset of ${BACKEND_NAMES.join(',')}`, backendList)
    .option('--json', 'print one JSON document on stdout')
    .option('--out <file>', 'also write the JSON to this file')
    .action(async (opts: { size: number; batchSize: number; repeats: number; backends?: BackendName[]; json?: boolean; out?: string }) => {
      const results = await runBench({ size: opts.size, batch: opts.batchSize, repeats: opts.repeats, backends: opts.backends, log });
      const doc = JSON.stringify({ results }, null, 2);
      if (opts.out) {
        try {
          await writeFile(opts.out, `${doc}\n`);
        } catch (e) {
          throw new UserError(`bench: cannot write --out "${opts.out}": ${(e as NodeJS.ErrnoException).code ?? String(e)}; choose a writable path`);
        }
      }
      out(opts.json ? `${doc}\n` : `${formatBench(results)}\n`);
    });

  return program;
}

/**
 * Runs the CLI on `argv` (without the node and script entries) and returns the exit
 * code: 0 on success, 1 on a user error (one line on stderr), 2 on a bug.
 */
export async function main(
  argv: string[],
  io: CliIo = {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    progress: process.stderr,
  },
): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0; // --help, --version
      io.err(`cnnkit: ${error.message.replace(/^error: /, '')}\n`);
      return 1;
    }
    if (error instanceof UserError || error instanceof CnnkitError) {
      // One line, always: a library message may quote a multi-line value.
      io.err(`cnnkit: ${error.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return 1;
    }
    io.err(`cnnkit: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  }
}
