import { exportAndVerify } from '@cnnkit/export';
import { openModel, useBackend } from '../model-dir.js';
import type { TrainBackend } from '../options.js';
import { writableFile } from '../writable.js';

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
    const { bytes, verification } = await exportAndVerify(model, options.out, { classNames, opset: options.opset });
    return { out: options.out, bytes: bytes.length, opset: options.opset, maxAbsDiff: verification.maxAbsDiff, tolerance: verification.tolerance, backend };
  } finally {
    model.dispose();
  }
}

export function formatExport(r: ExportResult): string {
  return `wrote ${r.out} (${r.bytes} bytes, opset ${r.opset}); verified with onnxruntime-node against the model on ${r.backend}: max abs difference ${r.maxAbsDiff.toExponential(2)} (<= ${r.tolerance})`;
}
