import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadOnnxPredictor } from '@cnnkit/backend-onnx';
import type { Predictor } from './predictor.js';
import { UserError } from './user-error.js';

/**
 * The ONNX file for `--backend onnx`: a path to an .onnx file, or the
 * `model.onnx` that `cnnkit export` (and `cnnkit demo`) writes next to RUN/model.
 */
async function onnxFile(operation: string, path: string): Promise<string> {
  const candidates = path.endsWith('.onnx') ? [path] : [join(path, 'model.onnx'), join(path, '..', 'model.onnx')];
  for (const c of candidates) if (await stat(c).then((s) => s.isFile(), () => false)) return c;
  throw new UserError(
    `${operation} --backend onnx: no ONNX file at ${candidates.map((c) => `"${c}"`).join(' or ')}; write one with "cnnkit export ${path} --out ${candidates[candidates.length - 1]}", or pass the .onnx file`,
  );
}

/** Runs an exported model in onnxruntime-node through `@cnnkit/backend-onnx`. */
export async function openOnnxPredictor(operation: string, path: string): Promise<Predictor> {
  const file = await onnxFile(operation, path);
  const onnx = await loadOnnxPredictor(file);
  const [h, w] = onnx.inputShape;
  const classNames =
    onnx.classNames.length > 0 ? onnx.classNames : Array.from({ length: onnx.outputUnits === 1 ? 2 : onnx.outputUnits }, (_, i) => `class_${i}`);
  return {
    backend: 'onnx',
    classNames,
    imageSize: [h, w],
    async predict(images, n) {
      return { probabilities: await onnx.predict(images, n), units: onnx.outputUnits };
    },
    dispose: () => onnx.dispose(),
  };
}
