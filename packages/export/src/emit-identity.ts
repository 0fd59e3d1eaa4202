import type { Emitter } from './emit-context.js';

/**
 * Dropout and the Random* augmentation layers are the identity at inference, so
 * they emit no node: their output is their input tensor.
 */
export const emitIdentity: Emitter = (_ctx, _layer, [input]) => input;
