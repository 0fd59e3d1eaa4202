/**
 * Runs the official onnx.checker (full_check: strict shape inference included)
 * on exported files, through Debian's python3-onnx. Skipped, with the reason
 * printed, where that package is not installed (apt-get install python3-onnx).
 * The Debian python is used on purpose: a `python3` on PATH may be another one.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { exportOnnx } from './export-onnx.js';
import { readModelProto } from './test-utils/read-model.js';
import type { ExportModel } from './export-model.js';
import { everyLayerModel, tutorialModel } from './test-utils/models.js';

const PYTHON = '/usr/bin/python3';

function probe(): { opset: number } | { reason: string } {
  const r = spawnSync(PYTHON, ['-c', 'import onnx; print(onnx.defs.onnx_opset_version())'], { encoding: 'utf8' });
  if (r.error) return { reason: `${PYTHON} not runnable (${r.error.message})` };
  if (r.status !== 0) return { reason: `python3-onnx not installed (${r.stderr.trim().split('\n').at(-1)}); apt-get install python3-onnx` };
  return { opset: Number(r.stdout.trim()) };
}

const found = probe();
const maxOpset = 'opset' in found ? found.opset : 0;
if ('reason' in found) console.warn(`onnx.checker tests skipped: ${found.reason}`);

const dir = mkdtempSync(join(tmpdir(), 'cnnkit-onnx-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(model: ExportModel, opset: number): { ok: boolean; output: string } {
  const file = join(dir, `model-${opset}-${Math.random().toString(36).slice(2)}.onnx`);
  writeFileSync(file, exportOnnx(model, { opset }));
  const script = 'import onnx, sys\nm = onnx.load(sys.argv[1])\nonnx.checker.check_model(m, full_check=True)\nprint("ok")';
  const r = spawnSync(PYTHON, ['-c', script, file], { encoding: 'utf8' });
  return { ok: r.status === 0 && r.stdout.trim() === 'ok', output: `${r.stdout}${r.stderr}` };
}

describe.skipIf('reason' in found)('onnx.checker.check_model(full_check=True)', () => {
  const opsets = [13, 15, 17].filter((o) => o <= maxOpset);
  it.each(opsets.map((o) => [o]))('accepts the every-layer DAG and the tutorial model at opset %i', (opset) => {
    for (const model of [everyLayerModel(), tutorialModel(64)]) {
      const result = check(model, opset);
      expect(result.ok, result.output).toBe(true);
    }
  });

  it('rejects a file with its nodes out of topological order (the check can fail)', () => {
    const proto = readModelProto(exportOnnx(tutorialModel(64)));
    const [first, second, ...rest] = proto.graph!.node;
    proto.graph!.node = [second, first, ...rest];
    const file = join(dir, 'unsorted.onnx');
    writeFileSync(file, toBinary(ModelProtoSchema, proto));
    const r = spawnSync(PYTHON, ['-c', 'import onnx, sys\nonnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)', file], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/topologically sorted|not output of any previous nodes/);
  });

  // The newest opset the exporter writes is checked only by an onnx that knows it (Debian's
  // may not); onnxruntime runs every opset 13..21 in export-onnx.test.ts either way.
  it.skipIf(maxOpset < 21)(`accepts the tutorial model at opset 21 (runs when the installed onnx knows opset 21; it knows up to ${maxOpset})`, () => {
    const result = check(tutorialModel(64), 21);
    expect(result.ok, result.output).toBe(true);
  });
});
