import { CnnkitError } from '@cnnkit/tensor-core';
import { describe } from '../utils/config-reader.js';
import { Adam, type AdamArgs } from './adam.js';
import { AdamW, type AdamWArgs } from './adamw.js';
import { OPTIMIZER_NAMES, Optimizer, type OptimizerName } from './optimizer.js';
import { Rmsprop, type RmspropArgs } from './rmsprop.js';
import { Sgd, type SgdArgs } from './sgd.js';

/** An optimizer by name with Keras defaults (`'adam'`, case-insensitive) or `{ className, config }`. */
export type OptimizerSpec = string | { className: OptimizerName; config?: Record<string, unknown> } | Optimizer;

/**
 * Creates an optimizer from a name or a `{ className, config }` spec (as stored in
 * checkpoints), with Keras 3 defaults for anything not given.
 *
 * @example
 * ```ts
 * createOptimizer('rmsprop');
 * createOptimizer({ className: 'Adam', config: { learningRate: 3e-4 } });
 * ```
 */
export function createOptimizer(spec: OptimizerSpec): Optimizer {
  if (spec instanceof Optimizer) return spec;
  const requested = typeof spec === 'string' ? spec : (spec as { className?: unknown } | null)?.className;
  const className = OPTIMIZER_NAMES.find((n) => typeof requested === 'string' && n.toLowerCase() === requested.toLowerCase());
  if (className === undefined) {
    throw new CnnkitError('UNKNOWN_OPTIMIZER', `optimizer: unknown ${describe(requested)}; available: ${OPTIMIZER_NAMES.join(', ')}`);
  }
  const config = typeof spec === 'string' ? {} : (spec.config ?? {});
  switch (className) {
    case 'SGD':
      return new Sgd(config as SgdArgs);
    case 'RMSprop':
      return new Rmsprop(config as RmspropArgs);
    case 'Adam':
      return new Adam(config as AdamArgs);
    case 'AdamW':
      return new AdamW(config as AdamWArgs);
    default: {
      const unknown: never = className;
      throw new CnnkitError('UNKNOWN_OPTIMIZER', `optimizer: unknown ${String(unknown)}`);
    }
  }
}
