import { BACKEND_NAMES, type BackendName } from '@cnnkit/tensor-core';
import { InvalidArgumentError } from 'commander';

/** `--flag` value parsers: each rejects bad input with one line naming the flag, the value and what it expects. */

/**
 * The largest value each count flag takes: past these a typo (or a run folder's
 * train-config.json) would start a million worker threads or write a billion files,
 * not train a model.
 */
export const FLAG_MAXIMA: Readonly<Record<string, number>> = {
  '--batch-size': 4096,
  '--epochs': 100_000,
  '--workers': 256,
  '--per-class': 100_000,
  '--repeats': 1000,
  '--size': 4096,
  '--image-size': 4096,
};

function tooLarge(flag: string, value: string, max: number): InvalidArgumentError {
  return new InvalidArgumentError(`${flag} expects at most ${max}, received "${value}"`);
}

export function positiveInt(flag: string, max = FLAG_MAXIMA[flag] ?? Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${flag} expects a positive integer, received "${value}"`);
    if (n > max) throw tooLarge(flag, value, max);
    return n;
  };
}

export function nonNegativeInt(flag: string, max = FLAG_MAXIMA[flag] ?? Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${flag} expects a non-negative integer, received "${value}"`);
    if (n > max) throw tooLarge(flag, value, max);
    return n;
  };
}

export function positiveNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${flag} expects a positive number, received "${value}"`);
    return n;
  };
}

/** A fraction in [0, 1): 0 means no validation split. */
export function fraction(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n >= 1) throw new InvalidArgumentError(`${flag} expects a number in [0, 1), received "${value}"`);
    return n;
  };
}

/** `--image-size 180` (square) or `--image-size 180x240` (height x width), as Keras's `image_size`. */
export function imageSize(value: string): [number, number] {
  const parts = value.toLowerCase().split('x');
  const dims = parts.map((p) => (/^\s*\d+\s*$/.test(p) ? Number(p) : Number.NaN));
  if (parts.length > 2 || dims.some((d) => !Number.isInteger(d) || d < 1 || d > 4096)) {
    throw new InvalidArgumentError(`--image-size expects a number of pixels such as 180, or HEIGHTxWIDTH such as 180x240 (1..4096), received "${value}"`);
  }
  return dims.length === 1 ? [dims[0], dims[0]] : [dims[0], dims[1]];
}

/** Backends that train: `auto` picks the best available one. */
export type TrainBackend = Exclude<BackendName, 'onnx'> | 'auto';
/** Backends that run inference: `onnx` runs the exported `model.onnx`. */
export type InferBackend = BackendName | 'auto';

/** `train` also takes `onnx`: the ONNX Runtime training engine of @cnnkit/backend-onnx. */
export type FitBackend = TrainBackend | 'onnx';

export function fitBackend(value: string): FitBackend {
  if (value === 'onnx') return 'onnx';
  const names = ['auto', ...BACKEND_NAMES];
  // train's own list: onnx is one of its engines.
  if (!names.includes(value)) throw new InvalidArgumentError(`unknown backend "${value}"; expected one of: ${names.join(', ')}`);
  return trainBackend(value);
}

export function trainBackend(value: string): TrainBackend {
  const names = ['auto', ...BACKEND_NAMES.filter((n) => n !== 'onnx')];
  if (value === 'onnx') {
    throw new InvalidArgumentError('--backend onnx runs exported files and trains (cnnkit train --backend onnx), but this command needs a tfjs backend; use auto, cpu, wasm, webgpu or cuda');
  }
  if (!names.includes(value)) throw new InvalidArgumentError(`unknown backend "${value}"; expected one of: ${names.join(', ')}`);
  return value as TrainBackend;
}

export function inferBackend(value: string): InferBackend {
  const names = ['auto', ...BACKEND_NAMES];
  if (!names.includes(value)) throw new InvalidArgumentError(`unknown backend "${value}"; expected one of: ${names.join(', ')}`);
  return value as InferBackend;
}

export function backendList(value: string): BackendName[] {
  const names = value.split(',').map((s) => s.trim());
  for (const n of names) {
    if (!(BACKEND_NAMES as readonly string[]).includes(n)) {
      throw new InvalidArgumentError(`unknown backend "${n}"; expected one of: ${BACKEND_NAMES.join(', ')}`);
    }
  }
  return names as BackendName[];
}
