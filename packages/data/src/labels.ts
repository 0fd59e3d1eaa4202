import { CnnkitError } from '@cnnkit/tensor-core';

/** Keras's `label_mode`: class index, 0/1 float for two classes, one-hot, or no labels. */
export type LabelMode = 'int' | 'binary' | 'categorical' | null;

export interface EncodedLabels {
  data: Int32Array | Float32Array;
  /** Per example: `[]` for int, `[1]` for binary, `[classes]` for categorical. */
  shape: number[];
}

/** Encodes class indices the way Keras's `label_mode` does. */
export function encodeLabels(indices: ArrayLike<number>, mode: Exclude<LabelMode, null>, numClasses: number): EncodedLabels {
  const n = indices.length;
  switch (mode) {
    case 'int':
      return { data: Int32Array.from(indices), shape: [] };
    case 'binary': {
      if (numClasses !== 2) {
        throw new CnnkitError('BAD_OPTION', `labelMode 'binary': expected exactly 2 classes, found ${numClasses}; use 'categorical' or 'int' for more`);
      }
      return { data: Float32Array.from(indices), shape: [1] };
    }
    case 'categorical': {
      const data = new Float32Array(n * numClasses);
      for (let i = 0; i < n; i++) data[i * numClasses + indices[i]] = 1;
      return { data, shape: [numClasses] };
    }
    default: {
      const never: never = mode;
      throw new CnnkitError('BAD_OPTION', `labelMode: expected 'int', 'binary', 'categorical' or null, received ${JSON.stringify(never)}`);
    }
  }
}
