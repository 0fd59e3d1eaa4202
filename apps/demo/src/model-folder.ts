import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MODEL_FILE, WEIGHTS_FILE } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

/**
 * The saved-model folder `path` names: the folder itself, or a run folder whose
 * model is in `model/` (both spellings `cnnkit predict` accepts), as an absolute path.
 * Errors say what is missing and what was expected.
 */
export async function resolveModelFolder(path: string): Promise<string> {
  const candidates = [resolve(path), resolve(path, 'model')];
  for (const dir of candidates) {
    if (!(await isFile(join(dir, MODEL_FILE)))) continue;
    if (!(await isFile(join(dir, WEIGHTS_FILE)))) {
      throw new CnnkitError('BAD_MODEL_DIR', `demo: "${dir}" has ${MODEL_FILE} but no ${WEIGHTS_FILE}; expected a complete saved model folder written by saveModel or "cnnkit train"`);
    }
    return dir;
  }
  const exists = await stat(path).then((s) => s.isDirectory(), () => false);
  throw new CnnkitError(
    'BAD_MODEL_DIR',
    exists
      ? `demo: "${path}" holds no ${MODEL_FILE} (nor model/${MODEL_FILE}); expected a saved model folder such as RUN/model written by "cnnkit train"`
      : `demo: model folder "${path}" does not exist; expected a saved model folder such as RUN/model written by "cnnkit train"`,
  );
}
