import { readFile, stat } from 'node:fs/promises';
import { DEFAULT_LOAD_LIMITS } from '@cnnkit/layers';

/**
 * Reads a `--model` architecture file (or the one a resumed run's train-config.json
 * names): only a regular file of at most DEFAULT_LOAD_LIMITS.maxJsonBytes, since a
 * FIFO would block and a device such as /dev/zero would fill memory. A refusal
 * rejects like a failed read, with `code` saying why (the caller prints it).
 */
export async function readArchitectureFile(path: string): Promise<string> {
  const info = await stat(path);
  const refuse = (why: string) => Object.assign(new Error(`${path}: ${why}`), { code: why });
  if (!info.isFile()) throw refuse('not a regular file');
  if (info.size > DEFAULT_LOAD_LIMITS.maxJsonBytes) throw refuse(`${info.size} bytes, over the ${DEFAULT_LOAD_LIMITS.maxJsonBytes} an architecture file may have`);
  return readFile(path, 'utf8');
}
