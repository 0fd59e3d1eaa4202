import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';

/**
 * Writes the ONNX bytes atomically: to a temporary file beside `path`, then a
 * rename, so a reader never sees a half-written model and a failed write leaves
 * any previous file intact.
 *
 * @example
 * await writeOnnx('run/model.onnx', exportOnnx(model));
 */
export async function writeOnnx(path: string, bytes: Uint8Array): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
