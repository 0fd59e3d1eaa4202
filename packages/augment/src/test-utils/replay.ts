import { createRng, type Rng, type RngState } from '@cnnkit/tensor-core';

/** A copy of a stream at a saved state: it draws what the transform is about to draw. */
export function replay(state: RngState): Rng {
  const rng = createRng(0);
  rng.setState(state);
  return rng;
}
