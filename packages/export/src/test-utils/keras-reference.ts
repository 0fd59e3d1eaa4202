/**
 * Test oracle: runs an ExportModel with tfjs ops in NHWC, implementing Keras
 * semantics directly (tf.conv2d, tf.maxPool, tf.conv2dTranspose, ...). It shares
 * no code with the exporter, so agreeing with onnxruntime is evidence that both
 * follow Keras rather than that they share a mistake.
 */
import { tf } from '@cnnkit/tensor-core';
import type { ExportLayer, ExportModel } from '../export-model.js';

type Pair = [number, number];
const pair = (v: unknown, fallback: number | Pair): Pair => {
  const x = (v ?? fallback) as number | Pair;
  return typeof x === 'number' ? [x, x] : x;
};
const weight = (layer: ExportLayer, key: string): tf.Tensor => {
  const w = layer.weights[key];
  if (!w) throw new Error(`reference: ${layer.name} lacks weight ${key}`);
  return tf.tensor(w.values, w.shape);
};

export function activate(x: tf.Tensor, name: unknown, negativeSlope = 0.2): tf.Tensor {
  switch (name ?? 'linear') {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'leaky_relu':
      return tf.leakyRelu(x, negativeSlope);
    case 'elu':
      return tf.elu(x);
    case 'selu':
      return tf.selu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    case 'softplus':
      return tf.softplus(x);
    case 'softmax':
      return tf.softmax(x, -1);
    case 'swish':
    case 'silu':
      return tf.mul(x, tf.sigmoid(x));
    case 'gelu':
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
    default:
      throw new Error(`reference: activation ${String(name)}`);
  }
}

function withBias(layer: ExportLayer, y: tf.Tensor): tf.Tensor {
  return layer.config.useBias === false ? y : tf.add(y, weight(layer, 'bias'));
}

function applyLayer(layer: ExportLayer, xs: tf.Tensor[]): tf.Tensor {
  const c = layer.config;
  const x = xs[0];
  switch (layer.className) {
    case 'InputLayer':
    case 'Dropout':
    case 'RandomFlip':
    case 'RandomRotation':
    case 'RandomZoom':
    case 'RandomTranslation':
    case 'RandomContrast':
    case 'RandomBrightness':
      return x;
    case 'Rescaling':
      return tf.add(tf.mul(x, tf.tensor((c.scale ?? 1) as number | number[])), tf.tensor((c.offset ?? 0) as number | number[]));
    case 'Conv2D': {
      const groups = (c.groups ?? 1) as number;
      const conv = (input: tf.Tensor, kernel: tf.Tensor) =>
        tf.conv2d(input as tf.Tensor4D, kernel as tf.Tensor4D, pair(c.strides, 1), (c.padding ?? 'valid') as 'valid' | 'same', 'NHWC', pair(c.dilationRate, 1));
      // tfjs has no grouped convolution: Keras groups = independent convs on channel slices, concatenated.
      const y =
        groups === 1
          ? conv(x, weight(layer, 'kernel'))
          : tf.concat(tf.split(x, groups, 3).map((xs, i) => conv(xs, tf.split(weight(layer, 'kernel'), groups, 3)[i])), 3);
      return activate(withBias(layer, y), c.activation);
    }
    case 'SeparableConv2D': {
      const y = tf.separableConv2d(
        x as tf.Tensor4D,
        weight(layer, 'depthwiseKernel') as tf.Tensor4D,
        weight(layer, 'pointwiseKernel') as tf.Tensor4D,
        pair(c.strides, 1),
        (c.padding ?? 'valid') as 'valid' | 'same',
        pair(c.dilationRate, 1),
      );
      return activate(withBias(layer, y), c.activation);
    }
    case 'Conv2DTranspose': {
      const k = pair(c.kernelSize, 1);
      const s = pair(c.strides, 1);
      const d = pair(c.dilationRate, 1);
      const same = c.padding === 'same';
      const op = c.outputPadding === undefined || c.outputPadding === null ? null : pair(c.outputPadding, 0);
      const [n, h, w] = x.shape;
      // Keras deconv_output_length.
      const out = [0, 1].map((a) => {
        const kEff = (k[a] - 1) * d[a] + 1;
        const size = [h, w][a];
        if (op === null) return same ? size * s[a] : size * s[a] + Math.max(kEff - s[a], 0);
        return (size - 1) * s[a] + kEff - 2 * (same ? Math.floor(kEff / 2) : 0) + op[a];
      });
      const filters = c.filters as number;
      if (d[0] === 1 && d[1] === 1) {
        const y = tf.conv2dTranspose(x as tf.Tensor4D, weight(layer, 'kernel') as tf.Tensor4D, [n, out[0], out[1], filters], s, same ? 'same' : 'valid');
        return activate(withBias(layer, y), c.activation);
      }
      // tfjs's conv2dTranspose has no dilation: scatter each input pixel through the dilated kernel,
      // offset by the forward convolution's "same" padding (TF's rule), straight from the definition.
      const xv = x.dataSync();
      const kv = layer.weights.kernel.values;
      const inC = x.shape[3] as number;
      const pad = [0, 1].map((a) => {
        if (!same) return 0;
        const kEff = (k[a] - 1) * d[a] + 1;
        return Math.floor(Math.max(([h, w][a] - 1) * s[a] + kEff - out[a], 0) / 2);
      });
      const y = new Float32Array(n * out[0] * out[1] * filters);
      for (let b = 0; b < n; b++)
        for (let i = 0; i < h; i++)
          for (let j = 0; j < w; j++)
            for (let ki = 0; ki < k[0]; ki++)
              for (let kj = 0; kj < k[1]; kj++) {
                const oi = i * s[0] + ki * d[0] - pad[0];
                const oj = j * s[1] + kj * d[1] - pad[1];
                if (oi < 0 || oi >= out[0] || oj < 0 || oj >= out[1]) continue;
                for (let f = 0; f < filters; f++) {
                  let acc = 0;
                  for (let ci = 0; ci < inC; ci++) acc += xv[((b * h + i) * w + j) * inC + ci] * kv[((ki * k[1] + kj) * filters + f) * inC + ci];
                  y[((b * out[0] + oi) * out[1] + oj) * filters + f] += acc;
                }
              }
      return activate(withBias(layer, tf.tensor4d(y, [n, out[0], out[1], filters])), c.activation);
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const size = pair(c.poolSize, 2);
      const strides = pair(c.strides, size);
      const pad = (c.padding ?? 'valid') as 'valid' | 'same';
      return layer.className === 'MaxPooling2D' ? tf.maxPool(x as tf.Tensor4D, size, strides, pad) : tf.avgPool(x as tf.Tensor4D, size, strides, pad);
    }
    case 'GlobalAveragePooling2D':
      return tf.mean(x, [1, 2], c.keepdims === true);
    case 'GlobalMaxPooling2D':
      return tf.max(x, [1, 2], c.keepdims === true);
    case 'Flatten':
      return tf.reshape(x, [x.shape[0], -1]);
    case 'Dense': {
      const kernel = weight(layer, 'kernel');
      const flat = tf.reshape(x, [-1, x.shape[x.shape.length - 1]]);
      const y = tf.reshape(tf.matMul(flat as tf.Tensor2D, kernel as tf.Tensor2D), [...x.shape.slice(0, -1), kernel.shape[1] as number]);
      return activate(withBias(layer, y), c.activation);
    }
    case 'BatchNormalization': {
      const ch = x.shape[x.shape.length - 1];
      const gamma = c.scale === false ? tf.ones([ch]) : weight(layer, 'gamma');
      const beta = c.center === false ? tf.zeros([ch]) : weight(layer, 'beta');
      return tf.batchNorm(x, weight(layer, 'movingMean'), weight(layer, 'movingVariance'), beta, gamma, (c.epsilon ?? 1e-3) as number);
    }
    case 'UpSampling2D': {
      const size = pair(c.size, 2);
      const target: Pair = [(x.shape[1] as number) * size[0], (x.shape[2] as number) * size[1]];
      return c.interpolation === 'bilinear'
        ? tf.image.resizeBilinear(x as tf.Tensor4D, target, false, true)
        : tf.image.resizeNearestNeighbor(x as tf.Tensor4D, target, false, false);
    }
    case 'Resizing':
    case 'CenterCrop':
    case 'RandomCrop': {
      // Keras at inference: Resizing resizes (after a centred aspect crop if asked); CenterCrop
      // crops the centre, or aspect-crops and resizes an image smaller than the target;
      // RandomCrop's inference path is the centred aspect window, resized. tf.image.resize = half-pixel.
      const [n, h, w, ch] = x.shape as [number, number, number, number];
      const H = c.height as number;
      const W = c.width as number;
      const resize = (t: tf.Tensor, nearest: boolean): tf.Tensor =>
        t.shape[1] === H && t.shape[2] === W
          ? t
          : nearest
            ? tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [H, W], false, true)
            : tf.image.resizeBilinear(t as tf.Tensor4D, [H, W], false, true);
      const aspect = (t: tf.Tensor): tf.Tensor => {
        const ch2 = Math.max(Math.min(h, Math.floor((w * H) / W)), 1);
        const cw2 = Math.max(Math.min(w, Math.floor((h * W) / H)), 1);
        return tf.slice(t, [0, Math.floor((h - ch2) / 2), Math.floor((w - cw2) / 2), 0], [n, ch2, cw2, ch]);
      };
      if (layer.className === 'Resizing') return resize(c.cropToAspectRatio === true ? aspect(x) : x, c.interpolation === 'nearest');
      if (layer.className === 'CenterCrop' && h >= H && w >= W) return tf.slice(x, [0, Math.floor((h - H) / 2), Math.floor((w - W) / 2), 0], [n, H, W, ch]);
      return resize(aspect(x), false);
    }
    case 'DepthwiseConv2D': {
      const y = tf.depthwiseConv2d(x as tf.Tensor4D, weight(layer, 'kernel') as tf.Tensor4D, pair(c.strides, 1), (c.padding ?? 'valid') as 'valid' | 'same', 'NHWC', pair(c.dilationRate, 1));
      return activate(withBias(layer, y), c.activation);
    }
    case 'ReLU': {
      const slope = (c.negativeSlope ?? 0) as number;
      const y = slope === 0 ? tf.relu(x) : tf.leakyRelu(x, slope);
      return c.maxValue === undefined || c.maxValue === null ? y : tf.minimum(y, c.maxValue as number);
    }
    case 'LeakyReLU':
      return tf.leakyRelu(x, (c.negativeSlope ?? 0.3) as number);
    case 'ELU': {
      const alpha = (c.alpha ?? 1) as number;
      return tf.where(tf.greater(x, 0), x, tf.mul(alpha, tf.sub(tf.exp(x), 1)));
    }
    case 'Softmax':
      return tf.softmax(x, -1);
    case 'Activation':
      return activate(x, c.activation, (c.negativeSlope ?? 0.2) as number);
    case 'Add':
      return tf.addN(xs);
    case 'Concatenate':
      return tf.concat(xs, (c.axis ?? -1) as number);
    default:
      throw new Error(`reference: layer class ${layer.className}`);
  }
}

/** Runs `model` on an NHWC batch; returns the output values (row-major, NHWC if 4-D). */
export async function runKerasReference(model: ExportModel, input: Float32Array, shape: readonly number[]): Promise<Float32Array> {
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const out = tf.tidy(() => {
    const cache = new Map<string, tf.Tensor>();
    const run = (name: string): tf.Tensor => {
      const hit = cache.get(name);
      if (hit) return hit;
      const layer = byName.get(name);
      if (!layer) throw new Error(`reference: no layer ${name}`);
      const y = layer.className === 'InputLayer' ? tf.tensor(input, [...shape]) : applyLayer(layer, layer.inputs.map(run));
      cache.set(name, y);
      return y;
    };
    return run(model.outputs[0]);
  });
  const data = (await out.data()) as Float32Array;
  out.dispose();
  return data;
}
