import { formatSummary } from '@cnnkit/layers';
import { openModel, useBackend } from '../model-dir.js';

/** `cnnkit summary RUN/model`: the Keras-style table (layer, output shape, parameters) and the class names. */
export async function summaryCommand(modelPath: string): Promise<string> {
  // Loading creates the weight tensors, so some backend must be active; cpu is always there and enough.
  await useBackend('cpu', 'infer');
  const { model, classNames, dir } = await openModel('summary', modelPath);
  try {
    return `${formatSummary(model)}\nClasses: ${classNames.join(', ')}\nLoaded from: ${dir}`;
  } finally {
    model.dispose();
  }
}
