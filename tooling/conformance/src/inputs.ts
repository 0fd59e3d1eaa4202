import { createRng, type Rng } from '@cnnkit/tensor-core';
import type { InputKind, InputSpec } from './cases.js';
import { nd, size, type Nd } from './reference/ndarray.js';

/** Draws a value of the given kind, rounded to float32 so tfjs and the reference see the same number. */
function draw(rng: Rng, kind: InputKind): number {
  switch (kind) {
    case 'signed': {
      const v = rng.uniform(0.05, 1);
      return Math.fround(rng.next() < 0.5 ? -v : v);
    }
    case 'wide': {
      const v = rng.uniform(0.05, 3);
      return Math.fround(rng.next() < 0.5 ? -v : v);
    }
    case 'ties':
      return [-1, -0.5, 0, 0.5, 1][rng.int(5)];
    case 'positive':
      return Math.fround(rng.uniform(0.5, 2));
    case 'probabilities':
      return Math.fround(rng.uniform(0.05, 0.95));
    case 'binary':
      return rng.int(2);
    case 'onehot':
      throw new Error('one-hot inputs are drawn per row');
    default: {
      const unreachable: never = kind;
      throw new Error(`conformance inputs: unknown kind ${String(unreachable)}`);
    }
  }
}

export function makeInput(rng: Rng, spec: InputSpec): Nd {
  const kind = spec.kind ?? 'signed';
  const out = nd(spec.shape);
  if (kind === 'onehot') {
    const classes = spec.shape[spec.shape.length - 1];
    for (let r = 0; r < size(spec.shape) / classes; r++) out.data[r * classes + rng.int(classes)] = 1;
    return out;
  }
  for (let i = 0; i < out.data.length; i++) out.data[i] = draw(rng, kind);
  return out;
}

export function seededRng(label: string): Rng {
  return createRng(`conformance:${label}`);
}
