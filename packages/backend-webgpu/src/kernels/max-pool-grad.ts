import { tf } from '@cnnkit/tensor-core';
import { FlatProgram, type WebgpuBackendLike } from './webgpu-program.js';

/**
 * dx for max pooling where each window's gradient goes to its first maximum in
 * row-major order (TensorFlow's rule; padded cells never win). tfjs-webgpu's
 * MaxPoolGrad sends it to the last maximum, so ties (ReLU zeros, saturated
 * pixels) train differently from every other backend.
 *
 * One pass, gather form: each input cell visits the windows that contain it,
 * finds each window's first maximum again and adds that window's dy if it is this
 * cell. No atomics and no positions buffer; cost is windows-per-cell x window size.
 */
class FirstMaxPoolGradProgram extends FlatProgram {
  constructor(inShape: readonly number[]) {
    super(inShape, 'cnnkitFirstMaxPoolGrad', ['dy', 'x'], 'strides : vec2<i32>, pads : vec2<i32>, filterDims : vec2<i32>, inDims : vec2<i32>, outDims : vec2<i32>');
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let coords = getCoordsFromIndex(index);
          let b = coords[0];
          let r = coords[1];
          let c = coords[2];
          let d = coords[3];
          let s = uniforms.strides;
          let p = uniforms.pads;
          let k = uniforms.filterDims;
          // Windows (oy, ox) whose span [o * s - p, o * s - p + k - 1] holds (r, c).
          let nr = r + p.x - k.x + 1;
          let nc = c + p.y - k.y + 1;
          let oyMin = select(0, (nr + s.x - 1) / s.x, nr > 0);
          let oxMin = select(0, (nc + s.y - 1) / s.y, nc > 0);
          let oyMax = min(uniforms.outDims.x - 1, (r + p.x) / s.x);
          let oxMax = min(uniforms.outDims.y - 1, (c + p.y) / s.y);
          var acc = 0.0;
          for (var oy = oyMin; oy <= oyMax; oy++) {
            for (var ox = oxMin; ox <= oxMax; ox++) {
              let r0 = oy * s.x - p.x;
              let c0 = ox * s.y - p.y;
              var best = 0.0;
              var bestR = -1;
              var bestC = -1;
              for (var i = 0; i < k.x; i++) {
                let rr = r0 + i;
                if (rr < 0 || rr >= uniforms.inDims.x) { continue; }
                for (var j = 0; j < k.y; j++) {
                  let cc = c0 + j;
                  if (cc < 0 || cc >= uniforms.inDims.y) { continue; }
                  let v = getX(b, rr, cc, d);
                  if (bestR < 0 || v > best) {
                    best = v;
                    bestR = rr;
                    bestC = cc;
                  }
                }
              }
              if (bestR == r && bestC == c) {
                acc = acc + getDy(b, oy, ox, d);
              }
            }
          }
          setOutputAtIndex(index, acc);
        }
      }
    `;
  }
}

function maxPoolGrad({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode,
  );
  const program = new FirstMaxPoolGradProgram(input.shape);
  return (backend as WebgpuBackendLike).runWebGPUProgram(program, [dy, input], 'float32', [
    { type: 'int32', data: [info.strideHeight, info.strideWidth] },
    { type: 'int32', data: [info.padInfo.top, info.padInfo.left] },
    { type: 'int32', data: [info.filterHeight, info.filterWidth] },
    { type: 'int32', data: [info.inHeight, info.inWidth] },
    { type: 'int32', data: [info.outHeight, info.outWidth] },
  ]);
}

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'webgpu',
  kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
};
