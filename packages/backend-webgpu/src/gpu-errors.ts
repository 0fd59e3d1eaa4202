import { CnnkitError } from '@cnnkit/tensor-core';

interface ErrorEventLike {
  readonly error?: { readonly message?: string };
}
interface DeviceLike {
  addEventListener(type: 'uncapturederror', listener: (event: ErrorEventLike) => void): void;
}
interface ReadingBackend {
  device: DeviceLike;
  read(dataId: object): Promise<unknown>;
}

const watched = new WeakSet<object>();

/**
 * WebGPU reports a shader that fails to compile or a bad dispatch as an event, not
 * an exception: tfjs-webgpu then returns zeros and training goes on with wrong
 * numbers. This turns the first such error into an exception at the next read of a
 * tensor (every loss, metric and saved weight goes through one), naming the GPU's
 * message. Idempotent per backend.
 */
export function failReadsOnGpuErrors(backend: ReadingBackend): void {
  if (watched.has(backend)) return;
  watched.add(backend);
  const errors: string[] = [];
  backend.device.addEventListener('uncapturederror', (event) => {
    errors.push((event.error?.message ?? 'unknown error').split('\n')[0].trim());
  });
  const read = backend.read.bind(backend);
  backend.read = async (dataId) => {
    const values = await read(dataId);
    if (errors.length > 0) {
      const first = errors[0];
      const more = errors.length - 1;
      errors.length = 0;
      throw new CnnkitError(
        'GPU_ERROR',
        `webgpu: the GPU rejected a kernel (${first}${more > 0 ? `; and ${more} more` : ''}), so the values read are not trustworthy; ` +
          'report it with the operation and shapes, and choose --backend wasm meanwhile',
      );
    }
    return values;
  };
}
