/**
 * Permutes the axes of a row-major array of `shape` by `perm`, like
 * `numpy.transpose(values.reshape(shape), perm)`: output axis `d` is input axis
 * `perm[d]`. Returns the permuted values and their shape.
 *
 * @example
 * permute([0, 1, 2, 3, 4, 5], [2, 3], [1, 0]); // { values: Float32Array [0, 3, 1, 4, 2, 5], shape: [3, 2] }
 * permute(hwioKernel, [3, 3, 16, 32], [3, 2, 0, 1]); // Keras HWIO -> ONNX OIHW, shape [32, 16, 3, 3]
 */
export function permute(values: ArrayLike<number>, shape: readonly number[], perm: readonly number[]): { values: Float32Array; shape: number[] } {
  const rank = shape.length;
  if (perm.length !== rank || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) {
    throw new RangeError(`permute: perm expected a permutation of 0..${rank - 1} for shape [${shape.join(', ')}], received [${perm.join(', ')}]`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== values.length) {
    throw new RangeError(`permute: expected ${count} values for shape [${shape.join(', ')}], received ${values.length}`);
  }
  const outShape = perm.map((p) => shape[p]);
  const strides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  const permStrides = perm.map((p) => strides[p]);
  const out = new Float32Array(values.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < rank; d++) src += idx[d] * permStrides[d];
    out[o] = values[src];
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return { values: out, shape: outShape };
}
