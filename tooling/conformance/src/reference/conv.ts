import { nd, type Nd } from './ndarray.js';

export type Padding = 'valid' | 'same';

/** TensorFlow's output size and leading pad for one spatial axis (written from the TF docs, not from tfjs). */
export function convGeometry(input: number, kernel: number, stride: number, dilation: number, padding: Padding) {
  const effective = (kernel - 1) * dilation + 1;
  if (padding === 'valid') {
    return { out: Math.floor((input - effective) / stride) + 1, before: 0 };
  }
  const out = Math.ceil(input / stride);
  const total = Math.max((out - 1) * stride + effective - input, 0);
  return { out, before: Math.floor(total / 2) };
}

export interface ConvParams {
  strides: [number, number];
  dilations?: [number, number];
  padding: Padding;
}

/** NHWC conv2d: x [n,h,w,ci], f [kh,kw,ci,co]. */
export function conv2d(x: Nd, f: Nd, p: ConvParams): Nd {
  const [n, h, w, ci] = x.shape;
  const [kh, kw, , co] = f.shape;
  const [sh, sw] = p.strides;
  const [dh, dw] = p.dilations ?? [1, 1];
  const gh = convGeometry(h, kh, sh, dh, p.padding);
  const gw = convGeometry(w, kw, sw, dw, p.padding);
  const out = nd([n, gh.out, gw.out, co]);
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < gh.out; oy++)
      for (let ox = 0; ox < gw.out; ox++)
        for (let o = 0; o < co; o++) {
          let s = 0;
          for (let i = 0; i < kh; i++) {
            const y = oy * sh + i * dh - gh.before;
            if (y < 0 || y >= h) continue;
            for (let j = 0; j < kw; j++) {
              const xx = ox * sw + j * dw - gw.before;
              if (xx < 0 || xx >= w) continue;
              for (let c = 0; c < ci; c++) s += x.data[((b * h + y) * w + xx) * ci + c] * f.data[((i * kw + j) * ci + c) * co + o];
            }
          }
          out.data[((b * gh.out + oy) * gw.out + ox) * co + o] = s;
        }
  return out;
}

/**
 * conv2d-transpose as the adjoint of conv2d: every input pixel scatters
 * x * filter into the output. f [kh,kw,cout,cin] (tfjs/TF layout), x [n,h,w,cin].
 */
export function conv2dTranspose(x: Nd, f: Nd, outShape: [number, number, number, number], p: ConvParams): Nd {
  const [n, h, w, cin] = x.shape;
  const [kh, kw, cout] = f.shape;
  const [, oh, ow] = outShape;
  const [sh, sw] = p.strides;
  const gh = convGeometry(oh, kh, sh, 1, p.padding);
  const gw = convGeometry(ow, kw, sw, 1, p.padding);
  if (gh.out !== h || gw.out !== w) throw new Error(`conv2dTranspose reference: output shape ${outShape} does not map to ${x.shape}`);
  const out = nd([n, oh, ow, cout]);
  for (let b = 0; b < n; b++)
    for (let iy = 0; iy < h; iy++)
      for (let ix = 0; ix < w; ix++)
        for (let i = 0; i < kh; i++) {
          const y = iy * sh + i - gh.before;
          if (y < 0 || y >= oh) continue;
          for (let j = 0; j < kw; j++) {
            const xx = ix * sw + j - gw.before;
            if (xx < 0 || xx >= ow) continue;
            for (let c = 0; c < cout; c++) {
              let s = 0;
              for (let k = 0; k < cin; k++) s += x.data[((b * h + iy) * w + ix) * cin + k] * f.data[((i * kw + j) * cout + c) * cin + k];
              out.data[((b * oh + y) * ow + xx) * cout + c] += s;
            }
          }
        }
  return out;
}

/** Depthwise conv: x [n,h,w,c], f [kh,kw,c,m] → [n,oh,ow,c*m] (channel c*m + k). */
export function depthwiseConv2d(x: Nd, f: Nd, p: ConvParams): Nd {
  const [n, h, w, c] = x.shape;
  const [kh, kw, , m] = f.shape;
  const [sh, sw] = p.strides;
  const [dh, dw] = p.dilations ?? [1, 1];
  const gh = convGeometry(h, kh, sh, dh, p.padding);
  const gw = convGeometry(w, kw, sw, dw, p.padding);
  const out = nd([n, gh.out, gw.out, c * m]);
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < gh.out; oy++)
      for (let ox = 0; ox < gw.out; ox++)
        for (let ch = 0; ch < c; ch++)
          for (let q = 0; q < m; q++) {
            let s = 0;
            for (let i = 0; i < kh; i++) {
              const y = oy * sh + i * dh - gh.before;
              if (y < 0 || y >= h) continue;
              for (let j = 0; j < kw; j++) {
                const xx = ox * sw + j * dw - gw.before;
                if (xx < 0 || xx >= w) continue;
                s += x.data[((b * h + y) * w + xx) * c + ch] * f.data[((i * kw + j) * c + ch) * m + q];
              }
            }
            out.data[((b * gh.out + oy) * gw.out + ox) * c * m + ch * m + q] = s;
          }
  return out;
}
