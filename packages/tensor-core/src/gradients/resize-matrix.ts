/**
 * The [out, in] matrix of one axis of TensorFlow's image resize: nearest rows are
 * one-hot, bilinear rows hold the two interpolation weights. A resize is
 * A_h · X · A_wᵀ per image and channel, so its gradient is A_hᵀ · dY · A_w.
 */
export function resizeMatrix(
  inSize: number,
  outSize: number,
  mode: 'nearest' | 'bilinear',
  alignCorners: boolean,
  halfPixelCenters: boolean,
): Float32Array {
  const m = new Float32Array(outSize * inSize);
  const scale = alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    if (mode === 'nearest') {
      const src = alignCorners
        ? Math.round(o * scale)
        : halfPixelCenters
          ? Math.floor((o + 0.5) * scale)
          : Math.floor(o * scale);
      m[o * inSize + Math.max(0, Math.min(inSize - 1, src))] = 1;
    } else {
      const f = halfPixelCenters ? (o + 0.5) * scale - 0.5 : o * scale;
      const lo = Math.max(Math.floor(f), 0);
      const hi = Math.min(Math.ceil(f), inSize - 1);
      const frac = f - Math.floor(f);
      m[o * inSize + lo] += 1 - frac;
      m[o * inSize + hi] += frac;
    }
  }
  return m;
}
