import { selectBackend, tf } from '@cnnkit/tensor-core';
import { layersBackendUnavailable } from './cnnkit-engine.js';

/**
 * The onnx rows build the tutorial model (its weights, its export) with the layers
 * package, which needs some tfjs backend; which one does not matter to them. When no
 * earlier row selected one (`--engines cnnkit-onnx` alone), the cpu backend is.
 */
export async function ensureModelBackend(): Promise<void> {
  if (tf.engine().backendName !== undefined && tf.engine().backendName !== null) return;
  const unavailable = await layersBackendUnavailable('cpu');
  if (unavailable !== null) throw new Error(`cnnkit bench: the onnx rows need a tfjs backend to build the model, and cpu is not available: ${unavailable}`);
  await selectBackend({ name: 'cpu' });
}
