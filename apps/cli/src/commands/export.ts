import { exportAndVerify } from '@cnnkit/export';
import { openModel, useBackend } from '../model-dir.js';
import type { TrainBackend } from '../options.js';
import { writableFile } from '../writable.js';
import { guardWrite } from '../write-failure.js';

export interface ExportResult {
  out: string;
  bytes: number;
  opset: number;
  /** Largest |onnxruntime - model.predict| over the verification batches. */
  maxAbsDiff: number;
  tolerance: number;
  backend: string;
}

/**
 * `cnnkit export RUN/model --out model.onnx`: writes the ONNX file (DESIGN.md's
 * contract: input `image` [N, H, W, 3] raw 0..255, output `probabilities`) only
 * after onnxruntime-node agrees with the model on the training backend.
 */
export async function exportCommand(modelPath: string, options: { out: string; opset: number; backend: TrainBackend }): Promise<ExportResult> {
  await writableFile('export', '--out', options.out);
  const backend = await useBackend(options.backend, 'infer');
  const { model, classNames } = await openModel('export', modelPath);
  try {
    const bytes = model.namedWeights().reduce((n, w) => n + w.variable.size * 4, 0);
    const context = { operation: 'export', what: 'the ONNX model', path: options.out, bytes, intact: () => 'nothing was written under that name (a file there before is unchanged)', next: 'then run the command again' };
    const { bytes: written, verification } = await guardWrite(context, () => exportAndVerify(model, options.out, { classNames, opset: options.opset }));
    return { out: options.out, bytes: written.length, opset: options.opset, maxAbsDiff: verification.maxAbsDiff, tolerance: verification.tolerance, backend };
  } finally {
    model.dispose();
  }
}

export function formatExport(r: ExportResult): string {
  return `wrote ${r.out} (${r.bytes} bytes, opset ${r.opset}); verified with onnxruntime-node against the model on ${r.backend}: max abs difference ${r.maxAbsDiff.toExponential(2)} (<= ${r.tolerance})`;
}
