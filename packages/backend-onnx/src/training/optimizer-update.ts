import type { Adam, AdamW, Optimizer, Rmsprop, Sgd } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import type { GraphBuilder } from './graph-builder.js';

/** The per-step scalars the trainer feeds (they change without recompiling: callbacks set the learning rate). */
export interface StepScalars {
  /** The learning rate. */
  readonly lr: string;
  /** Adam's bias-corrected step size `lr sqrt(1 - β2^t) / (1 - β1^t)`. */
  readonly alpha: string;
}

/** An optimizer written as graph ops: its slot names (the layers optimizers' names, for checkpoints) and its update. */
export interface OptimizerGraph {
  readonly slots: readonly string[];
  emit(b: GraphBuilder, path: string, w: string, g: string, slots: Readonly<Record<string, string>>, s: StepScalars): { weight: string; slots: Record<string, string> };
}

/** Adam's bias-corrected step size for update `step` (counted from 1), as the layers Adam computes it. */
export function adamAlpha(lr: number, beta1: number, beta2: number, step: number): number {
  return (lr * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
}

/**
 * The update rules of the layers optimizers (Keras 3), op for op, so the graph's
 * step matches `optimizer.applyGradients` to float32 rounding:
 * SGD `m = μm - lr g; w += m` (Nesterov `w += μm - lr g`), RMSprop
 * `v = ρv + (1-ρ)g²; w -= lr g / sqrt(v + ε)` (centred, momentum), Adam/AdamW
 * `m += (g-m)(1-β1); v += (g²-v)(1-β2); w -= α m / (sqrt(v) + ε)` (amsgrad; AdamW
 * first decays `w -= w lr λ`).
 */
export function optimizerGraph(optimizer: Optimizer): OptimizerGraph {
  const className = optimizer.className;
  switch (className) {
    case 'SGD': {
      const o = optimizer as Sgd;
      return {
        slots: o.momentum === 0 ? [] : ['momentum'],
        emit(b, path, w, g, slots, s): { weight: string; slots: Record<string, string> } {
          const lrG = b.op('Mul', [g, s.lr], `${path}/lr_g`);
          if (o.momentum === 0) return { weight: b.op('Sub', [w, lrG], `${path}/next`), slots: {} };
          const m = b.op('Sub', [b.op('Mul', [slots.momentum, b.scalar(o.momentum)], `${path}/mu_m`), lrG], `${path}/momentum_next`);
          const step = o.nesterov ? b.op('Sub', [b.op('Mul', [m, b.scalar(o.momentum)], `${path}/mu_m2`), lrG], `${path}/nesterov`) : m;
          return { weight: b.op('Add', [w, step], `${path}/next`), slots: { momentum: m } };
        },
      };
    }
    case 'RMSprop': {
      const o = optimizer as Rmsprop;
      const slots = ['velocity', ...(o.centered ? ['average_gradient'] : []), ...(o.momentum > 0 ? ['momentum'] : [])];
      return {
        slots,
        emit(b, path, w, g, st, s) {
          const out: Record<string, string> = {};
          const g2 = b.op('Mul', [g, g], `${path}/g2`);
          out.velocity = b.op('Add', [b.op('Mul', [st.velocity, b.scalar(o.rho)], `${path}/rho_v`), b.op('Mul', [g2, b.scalar(1 - o.rho)], `${path}/g2_part`)], `${path}/velocity_next`);
          let denominator: string;
          if (o.centered) {
            out.average_gradient = b.op('Add', [b.op('Mul', [st.average_gradient, b.scalar(o.rho)], `${path}/rho_a`), b.op('Mul', [g, b.scalar(1 - o.rho)], `${path}/g_part`)], `${path}/average_gradient_next`);
            const a2 = b.op('Mul', [out.average_gradient, out.average_gradient], `${path}/a2`);
            denominator = b.op('Add', [b.op('Sub', [out.velocity, a2], `${path}/v_minus_a2`), b.scalar(o.epsilon)], `${path}/denominator`);
          } else {
            denominator = b.op('Add', [out.velocity, b.scalar(o.epsilon)], `${path}/denominator`);
          }
          const increment = b.op('Div', [b.op('Mul', [g, s.lr], `${path}/lr_g`), b.op('Sqrt', [denominator], `${path}/sqrt`)], `${path}/increment`);
          let step = increment;
          if (o.momentum > 0) {
            out.momentum = b.op('Add', [b.op('Mul', [st.momentum, b.scalar(o.momentum)], `${path}/mu_m`), increment], `${path}/momentum_next`);
            step = out.momentum;
          }
          return { weight: b.op('Sub', [w, step], `${path}/next`), slots: out };
        },
      };
    }
    case 'Adam':
    case 'AdamW': {
      const o = optimizer as Adam;
      const decay = className === 'AdamW' ? (optimizer as AdamW).weightDecay : 0;
      return {
        slots: ['m', 'v', ...(o.amsgrad ? ['v_hat'] : [])],
        emit(b, path, w0, g, st, s) {
          let w = w0;
          if (decay > 0) w = b.op('Sub', [w0, b.op('Mul', [w0, b.op('Mul', [s.lr, b.scalar(decay)], `${path}/lr_decay`)], `${path}/decay`)], `${path}/decayed`);
          const m = b.op('Add', [st.m, b.op('Mul', [b.op('Sub', [g, st.m], `${path}/g_minus_m`), b.scalar(1 - o.beta1)], `${path}/m_part`)], `${path}/m_next`);
          const g2 = b.op('Mul', [g, g], `${path}/g2`);
          const v = b.op('Add', [st.v, b.op('Mul', [b.op('Sub', [g2, st.v], `${path}/g2_minus_v`), b.scalar(1 - o.beta2)], `${path}/v_part`)], `${path}/v_next`);
          const out: Record<string, string> = { m, v };
          let second = v;
          if (o.amsgrad) {
            out.v_hat = b.op('Max', [st.v_hat, v], `${path}/v_hat_next`);
            second = out.v_hat;
          }
          const denominator = b.op('Add', [b.op('Sqrt', [second], `${path}/sqrt_v`), b.scalar(o.epsilon)], `${path}/denominator`);
          const step = b.op('Div', [b.op('Mul', [m, s.alpha], `${path}/alpha_m`), denominator], `${path}/step`);
          return { weight: b.op('Sub', [w, step], `${path}/next`), slots: out };
        },
      };
    }
    default: {
      const never: never = className;
      throw new CnnkitError('UNSUPPORTED_OPTIMIZER', `compileTrainingGraph: optimizer ${String(never)} is not supported; available: SGD, RMSprop, Adam, AdamW`);
    }
  }
}
