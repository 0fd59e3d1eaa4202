import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeConfusionPng } from '../confusion-png.js';
import type { TrainBackend } from '../options.js';
import { UserError } from '../user-error.js';
import { writableDir } from '../writable.js';
import { camCommand, formatCam, type CamCommandResult } from './cam.js';
import { checkCommand, formatCheck } from './check.js';
import { exportCommand, formatExport, type ExportResult } from './export.js';
import { evaluateCommand, formatEvaluate, type EvaluateReport } from './evaluate.js';
import { previewCommand } from './preview.js';
import { sampleDataCommand } from './sample-data.js';
import { trainCommand, type TrainConfig, type TrainResult } from './train.js';

/** Marks a folder as made by `cnnkit demo`, so a second demo may replace it (and nothing else). */
const MARKER = '.cnnkit-demo';

export interface DemoOptions {
  out: string;
  epochs: number;
  imageSize: number;
  batchSize: number;
  perClass: number;
  backend: TrainBackend;
  seed: number;
  progress: NodeJS.WritableStream;
  log: (line: string) => void;
}

export interface DemoResult {
  out: string;
  data: string;
  run: string;
  train: TrainResult;
  evaluation: EvaluateReport;
  cam: CamCommandResult;
  onnx: ExportResult;
  /** What was made, for the closing summary: [label, path]. */
  made: [string, string][];
  seconds: number;
}

/** A fresh output folder: new, empty, or a previous demo's (replaced); anything else is refused. */
async function prepareOut(out: string): Promise<void> {
  const entries: string[] | null = await readdir(out).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : []));
  if (entries !== null && entries.length > 0) {
    if (!entries.includes(MARKER)) {
      throw new UserError(`demo: --out "${out}" is not empty and was not made by "cnnkit demo"; choose a new folder (nothing there is replaced)`);
    }
    await rm(out, { recursive: true, force: true });
  }
  await writableDir('demo', '--out', out);
  await writeFile(join(out, MARKER), 'made by "cnnkit demo"; a later demo with the same --out replaces this folder\n');
}

/**
 * `cnnkit demo`: the tutorial end to end on the built-in sample data — sample
 * data, check (broken files moved to a quarantine folder), preview grids, training
 * with augmentation, checkpoints and curves, evaluation with a confusion matrix.
 */
export async function demoCommand(options: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const { out, log } = options;
  const data = join(out, 'data');
  const run = join(out, 'run');
  const step = (n: number, text: string) => log(`\n[${n}] ${text}`);
  await prepareOut(out);

  step(1, `sample data -> ${data}`);
  const sample = await sampleDataCommand(data, { seed: options.seed, perClass: options.perClass });
  log(`wrote ${sample.images.length} images of ${sample.classNames.join(' and ')}, and ${sample.broken.length} broken files on purpose`);

  step(2, 'check: decode every file, move the broken ones to a quarantine folder');
  const quarantineDir = join(out, 'quarantine');
  const { report } = await checkCommand(data, { quarantine: quarantineDir });
  log(formatCheck(data, report));
  log(`moved ${report.broken.length} broken files to ${quarantineDir}`);

  step(3, 'preview: 9 samples with their class, and 9 augmented copies of one image');
  const size: [number, number] = [options.imageSize, options.imageSize];
  const augment = 'flip,rotate=0.1';
  const preview = join(run, 'preview.png');
  const augmented = join(run, 'augmented.png');
  // Pictures are drawn at a viewable size, whatever the (small) training size.
  await previewCommand(data, { out: preview, imageSize: [160, 160], seed: options.seed });
  await previewCommand(data, { out: augmented, augment, imageSize: [160, 160], seed: options.seed });
  log(`wrote ${preview} and ${augmented}`);

  step(4, `train the tutorial CNN (${options.epochs} epochs, ${size.join('x')} pixels, augmentation ${augment})`);
  const config: TrainConfig = {
    imageSize: size, batchSize: options.batchSize, epochs: options.epochs, validationSplit: 0.2, seed: options.seed,
    augment, model: 'seed-cnn', optimizer: 'adam', lr: 1e-3,
  };
  const train = await trainCommand(data, { ...config, out: run, backend: options.backend, resume: false, explicit: new Set(), progress: options.progress, log });

  step(5, 'evaluate on the validation images training held out');
  // An ORT-trained model is an ordinary saved model: evaluate, CAM and export run it on tfjs.
  const tfjsBackend = train.backend === 'onnx' ? 'auto' : train.backend;
  const evaluation = await evaluateCommand(join(run, 'model'), data, { backend: tfjsBackend, validationSplit: 0.2, seed: options.seed, batchSize: options.batchSize });
  log(formatEvaluate(evaluation));
  const confusion = join(run, 'confusion.png');
  await writeConfusionPng(confusion, evaluation);

  step(6, 'CAM: where the model looks, on a few validation pictures (Grad-CAM overlays)');
  // The first validation pictures of each class, so both classes are explained.
  const files = evaluationFiles(train, 2);
  const cam = await camCommand(join(run, 'model'), files, { out: join(run, 'cam'), method: 'gradcam', backend: tfjsBackend });
  log(formatCam(cam));

  step(7, 'export to ONNX and verify it against onnxruntime-node');
  const onnx = await exportCommand(join(run, 'model'), { out: join(run, 'model.onnx'), opset: 17, backend: tfjsBackend });
  log(formatExport(onnx));

  const made: [string, string][] = [
    ['sample data', data],
    ['broken files, moved aside', quarantineDir],
    ['samples grid', preview],
    ['augmented copies', augmented],
    ['trained model', train.files.model],
    ['checkpoints (resume with --resume)', train.files.checkpoints],
    ['history', train.files.history],
    ['training curves', train.files.curves],
    ['confusion matrix', confusion],
    ['CAM overlays and contact sheet', join(run, 'cam')],
    ['ONNX model (verified)', onnx.out],
  ];
  return { out, data, run, train, evaluation, cam, onnx, made, seconds: (Date.now() - started) / 1000 };
}

/** `perClass` validation pictures of each class (the split `train` held out). */
function evaluationFiles(train: TrainResult, perClass: number): string[] {
  const picked: string[] = [];
  for (const c of train.classNames) picked.push(...train.validationFiles.filter((f) => f.className === c).slice(0, perClass).map((f) => f.file));
  return picked;
}

/** The closing summary: the result, and every file made and where. */
export function formatDemo(r: DemoResult): string {
  const chance = 1 / r.evaluation.classNames.length;
  const width = Math.max(...r.made.map(([label]) => label.length));
  return [
    '',
    `cnnkit demo finished in ${Math.round(r.seconds)} s on ${r.train.backend}.`,
    `ONNX: ${r.onnx.out} agrees with the model within ${r.onnx.maxAbsDiff.toExponential(1)} (max abs difference).`,
    `Validation accuracy ${(100 * r.evaluation.accuracy).toFixed(1)}% on ${r.evaluation.count} held-out images (chance: ${(100 * chance).toFixed(0)}%), loss ${r.evaluation.loss.toFixed(4)}.`,
    '',
    'Made:',
    ...r.made.map(([label, path]) => `  ${label.padEnd(width)}  ${path}`),
    '',
    'Next:',
    `  cnnkit predict ${r.train.files.model} ${r.cam.rows[0]?.file ?? '<image>'}`,
    `  cnnkit predict ${r.train.files.model} --backend onnx ${r.cam.rows[0]?.file ?? '<image>'}`,
    `  cnnkit summary ${r.train.files.model}`,
    `  cnnkit train PetImages --out run  # your own folder, laid out as PetImages/Cat, PetImages/Dog`,
  ].join('\n');
}
