import { readFileSync } from 'node:fs';
import { fromBinary } from '@bufbuild/protobuf';
import { seedCnn } from '@cnnkit/layers';
import { ModelProtoSchema } from 'onnx-buf';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileTrainingGraph } from './compile-training-graph.js';
import { NCHWC_DOMAIN, probeNchwcBlock } from './nchwc.js';
import { useWasm } from './test-utils/parity.js';

beforeAll(useWasm);

/** x86-64 CPUs with AVX2 have onnxruntime's NCHWc kernels (block 8; 16 with AVX-512). */
function hasAvx2(): boolean {
  try {
    return /\bavx2\b/.test(readFileSync('/proc/cpuinfo', 'utf8')) && process.arch === 'x64';
  } catch {
    return false;
  }
}

describe('probeNchwcBlock', () => {
  it.runIf(hasAvx2())('finds the blocked kernels on this AVX2 CPU (else the "auto" parity runs would test the NCHW graph twice)', async () => {
    const block = await probeNchwcBlock(ort);
    expect([8, 16]).toContain(block);
  });
});

describe('compileTrainingGraph with an NCHWc block', () => {
  it('runs the tutorial convolutions on com.microsoft.nchwc Conv and keeps standard ops without a block', () => {
    const model = seedCnn({ imageSize: [32, 32], numClasses: 2, seed: 1 });
    const domains = (block: number | null) => {
      const proto = fromBinary(ModelProtoSchema, compileTrainingGraph(model, { loss: 'binary_crossentropy', optimizer: 'rmsprop', batchSize: 2, nchwcBlock: block }).bytes);
      return { imports: proto.opsetImport.map((o) => o.domain), blockedConvs: proto.graph!.node.filter((n) => n.domain === NCHWC_DOMAIN && n.opType === 'Conv').length };
    };
    // 4 forward convolutions and 3 input gradients (the first layer needs none).
    expect(domains(8)).toEqual({ imports: ['', NCHWC_DOMAIN], blockedConvs: 7 });
    expect(domains(null)).toEqual({ imports: [''], blockedConvs: 0 });
    model.dispose();
  });

  it('rejects a block that is not an integer >= 2, naming what it received', () => {
    const model = seedCnn({ imageSize: [32, 32], numClasses: 2, seed: 1 });
    expect(() => compileTrainingGraph(model, { loss: 'binary_crossentropy', optimizer: 'rmsprop', batchSize: 2, nchwcBlock: 1 })).toThrow(/nchwcBlock an integer >= 2 or null, received 1/);
    model.dispose();
  });
});
