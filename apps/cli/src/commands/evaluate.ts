import { imageDatasetFromDirectory, type ImageDataset } from '@cnnkit/data';
import { checkDataFolder } from '../data-folder.js';
import type { InferBackend } from '../options.js';
import { classProbabilities, openPredictor, type Predictor } from '../predictor.js';
import { UserError } from '../user-error.js';

/** `cnnkit evaluate --json`: exactly DESIGN.md's shape. */
export interface EvaluateReport {
  loss: number;
  accuracy: number;
  classNames: string[];
  /** `confusion[true][predicted]` counts. */
  confusion: number[][];
  count: number;
}

export interface EvaluateOptions {
  backend: InferBackend;
  /** With a split, only the validation subset (the same pictures `train` held out with this seed). */
  validationSplit: number;
  seed: number;
  batchSize: number;
  /** Opens the ONNX predictor (`--backend onnx`); injected so this file does not load onnxruntime. */
  openOnnx?: (modelPath: string) => Promise<Predictor>;
}

/** Keras's clipping of probabilities before the log in cross-entropy. */
const EPSILON = 1e-7;

/** Loss, accuracy and confusion matrix over the predictions of a dataset, computed from the probabilities as Keras does. */
export async function evaluatePredictor(predictor: Predictor, ds: ImageDataset): Promise<EvaluateReport> {
  const k = predictor.classNames.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let lossSum = 0;
  let correct = 0;
  let count = 0;
  for await (const batch of ds.arrays()) {
    const n = batch.shape[0];
    const { probabilities, units } = await predictor.predict(Float32Array.from(batch.images), n);
    for (let i = 0; i < n; i++) {
      const truth = batch.classIndices[i];
      const p = classProbabilities(probabilities.subarray(i * units, (i + 1) * units), units, predictor.classNames);
      let predicted = 0;
      for (let j = 1; j < k; j++) if (p[j] > p[predicted]) predicted = j;
      if (units === 1) {
        const q = Math.min(1 - EPSILON, Math.max(EPSILON, p[1]));
        lossSum -= truth === 1 ? Math.log(q) : Math.log(1 - q);
        predicted = p[1] > 0.5 ? 1 : 0; // Keras's binary accuracy threshold
      } else {
        lossSum -= Math.log(Math.min(1 - EPSILON, Math.max(EPSILON, p[truth])));
      }
      confusion[truth][predicted] += 1;
      if (predicted === truth) correct += 1;
      count += 1;
    }
  }
  if (count === 0) throw new UserError('evaluate: no images to evaluate; expected DATA/<class>/<image files>');
  return { loss: lossSum / count, accuracy: correct / count, classNames: [...predictor.classNames], confusion, count };
}

/**
 * `cnnkit evaluate RUN/model DATA`: the model on a labelled folder (or its
 * validation split), with the same decoding and resizing as training.
 */
export async function evaluateCommand(modelPath: string, data: string, options: EvaluateOptions): Promise<EvaluateReport> {
  const classes = await checkDataFolder('evaluate', data, 1);
  let predictor: Predictor;
  if (options.backend === 'onnx') {
    if (options.openOnnx === undefined) throw new UserError('evaluate: --backend onnx is not available in this build; use auto, cpu, wasm, webgpu or cuda');
    predictor = await options.openOnnx(modelPath);
  } else {
    predictor = await openPredictor('evaluate', modelPath, options.backend);
  }
  try {
    const unknown = classes.map((c) => c.className).filter((c) => !predictor.classNames.includes(c));
    if (unknown.length > 0) {
      throw new UserError(
        `evaluate: the data has class folder(s) ${unknown.map((c) => `"${c}"`).join(', ')} that the model does not know; it knows ${predictor.classNames.map((c) => `"${c}"`).join(', ')}: rename or remove those folders`,
      );
    }
    const common = { imageSize: predictor.imageSize, batchSize: options.batchSize, seed: options.seed, labelMode: 'int' as const, classNames: predictor.classNames, logger: (line: string) => void process.stderr.write(`evaluate: ${line.replace('(see report.broken: ', '(')}\n`) };
    const ds =
      options.validationSplit > 0
        ? (await imageDatasetFromDirectory(data, { ...common, validationSplit: options.validationSplit, subset: 'both' }))[1]
        : await imageDatasetFromDirectory(data, { ...common, shuffle: false });
    return await evaluatePredictor(predictor, ds);
  } finally {
    await predictor.dispose();
  }
}

/** The report for a person: loss, accuracy and the confusion matrix as a table. */
export function formatEvaluate(r: EvaluateReport): string {
  const width = Math.max(9, ...r.classNames.map((c) => c.length)) + 2;
  const lines = [`${r.count} images: loss ${r.loss.toFixed(4)}, accuracy ${r.accuracy.toFixed(4)}`, '', 'confusion (rows: true class, columns: predicted)'];
  lines.push(`${''.padEnd(width)}${r.classNames.map((c) => c.padStart(width)).join('')}`);
  r.confusion.forEach((row, i) => lines.push(`${r.classNames[i].padEnd(width)}${row.map((v) => String(v).padStart(width)).join('')}`));
  return lines.join('\n');
}
