import { isAbsolute } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { OPTIMIZERS, type TrainConfig } from './commands/train.js';
import { fraction, imageSize, nonNegativeInt, positiveInt, positiveNumber } from './options.js';
import { UserError } from './user-error.js';

/**
 * Reads a run's train-config.json for `--resume`. A run folder may come from someone
 * else, so every field is checked as the flag it came from would be (same parsers,
 * same ranges) before the run uses it; `model` must be seed-cnn or an absolute path
 * (what `train` writes), read only if it is a regular file of bounded size. Errors are one line naming
 * the file, the field, what was expected and what came in.
 *
 * @example
 * ```ts
 * const config = parseTrainConfig(await readFile(file, 'utf8'), file);
 * ```
 */
export function parseTrainConfig(text: string, file: string): TrainConfig {
  const fail = (problem: string) => new UserError(`train --resume: "${file}" ${problem}; start a new run with another --out`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`train --resume: "${file}" is not valid JSON (${(error as Error).message.replace(/\s*[\r\n]+\s*/g, ' ')}); start a new run with another --out`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw fail(`holds ${JSON.stringify(value)}, expected an object of the run's settings`);
  const v = value as Record<string, unknown>;
  const field = <T>(key: keyof TrainConfig, flag: string, parse: (text: string) => T, type: 'number' | 'string' = 'number'): T => {
    const x = v[key];
    if (typeof x !== type) throw fail(`has "${key}" ${JSON.stringify(x) ?? 'missing'}, expected a ${type} (as ${flag} takes)`);
    try {
      return parse(String(x));
    } catch (error) {
      if (error instanceof InvalidArgumentError || error instanceof UserError) throw fail(`has "${key}" ${JSON.stringify(x)}: ${error.message}`);
      throw error;
    }
  };
  const size = v.imageSize;
  if (!Array.isArray(size) || size.length !== 2 || size.some((d) => typeof d !== 'number')) {
    throw fail(`has "imageSize" ${JSON.stringify(size) ?? 'missing'}, expected [height, width]`);
  }
  let checkedSize: [number, number];
  try {
    checkedSize = imageSize(`${size[0]}x${size[1]}`);
  } catch (error) {
    throw fail(`has "imageSize" ${JSON.stringify(size)}: ${(error as Error).message}`);
  }
  const model = field('model', '--model', (m) => m, 'string');
  // train writes the --model path resolved: a relative one was edited in (and would depend on the working folder).
  if (model !== 'seed-cnn' && !isAbsolute(model)) {
    throw fail(`has "model" ${JSON.stringify(model)}, expected "seed-cnn" or the absolute path of an architecture file`);
  }
  const optimizer = field('optimizer', '--optimizer', (o) => o, 'string');
  if (!Object.hasOwn(OPTIMIZERS, optimizer)) throw fail(`has "optimizer" ${JSON.stringify(optimizer)}, expected one of ${Object.keys(OPTIMIZERS).join(', ')}`);
  return {
    imageSize: checkedSize,
    batchSize: field('batchSize', '--batch-size', positiveInt('--batch-size')),
    epochs: field('epochs', '--epochs', positiveInt('--epochs')),
    validationSplit: field('validationSplit', '--validation-split', fraction('--validation-split')),
    seed: field('seed', '--seed', nonNegativeInt('--seed')),
    augment: field('augment', '--augment', (a) => a, 'string'),
    model,
    optimizer: optimizer as TrainConfig['optimizer'],
    lr: field('lr', '--lr', positiveNumber('--lr')),
  };
}
