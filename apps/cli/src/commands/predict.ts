import { loadImageBatch } from '../load-images.js';
import type { InferBackend } from '../options.js';
import { classProbabilities, openPredictor, type Predictor } from '../predictor.js';
import { UserError } from '../user-error.js';

/** One row of `cnnkit predict --json` (DESIGN.md's shape). */
export interface Prediction {
  file: string;
  class: string;
  probabilities: Record<string, number>;
}

/** Predictions for files already decoded to a batch. */
export async function predictFiles(predictor: Predictor, files: readonly string[]): Promise<Prediction[]> {
  const rows: Prediction[] = [];
  // In chunks, so a long list of files does not hold every decoded image at once.
  for (let start = 0; start < files.length; start += 32) {
    const chunk = files.slice(start, start + 32);
    const { probabilities, units } = await predictor.predict(await loadImageBatch(chunk, predictor.imageSize), chunk.length);
    chunk.forEach((file, i) => {
      const p = classProbabilities(probabilities.subarray(i * units, (i + 1) * units), units, predictor.classNames);
      let best = 0;
      for (let j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
      rows.push({ file, class: predictor.classNames[best], probabilities: Object.fromEntries(predictor.classNames.map((c, j) => [c, p[j]])) });
    });
  }
  return rows;
}

/**
 * `cnnkit predict RUN/model IMG...`: the class and the probability of each class
 * per image; `--backend onnx` runs the exported model.onnx instead.
 */
export async function predictCommand(
  modelPath: string,
  files: readonly string[],
  options: { backend: InferBackend; openOnnx?: (modelPath: string) => Promise<Predictor> },
): Promise<Prediction[]> {
  let predictor: Predictor;
  if (options.backend === 'onnx') {
    if (options.openOnnx === undefined) throw new UserError('predict: --backend onnx is not available in this build; use auto, cpu, wasm, webgpu or cuda');
    predictor = await options.openOnnx(modelPath);
  } else {
    predictor = await openPredictor('predict', modelPath, options.backend);
  }
  try {
    return await predictFiles(predictor, files);
  } finally {
    await predictor.dispose();
  }
}

/** `file  class  (cat 0.1000, dog 0.9000)` per line. */
export function formatPredictions(rows: readonly Prediction[]): string {
  const width = Math.max(...rows.map((r) => r.file.length));
  return rows
    .map((r) => `${r.file.padEnd(width)}  ${r.class}  (${Object.entries(r.probabilities).map(([c, p]) => `${c} ${p.toFixed(4)}`).join(', ')})`)
    .join('\n');
}
