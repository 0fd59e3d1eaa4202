// Preloaded into a `cnnkit` child process (node --import) by train-onnx.test.ts: counts
// the onnxruntime sessions run with a learning-rate feed, i.e. the ORT training
// engine's steps (inference sessions have no `lr` input), and writes the count to
// $CNNKIT_TEST_ORT_STEPS when the process exits. Without it the test could not tell
// the ORT engine from a silent fall-back to tfjs: the two give the same history.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const out = process.env.CNNKIT_TEST_ORT_STEPS;
if (out) {
  // The copy of onnxruntime-node that @cnnkit/backend-onnx imports (CJS, so one shared instance).
  const backendOnnx = createRequire(import.meta.url).resolve('@cnnkit/backend-onnx/package.json');
  const { InferenceSession } = createRequire(backendOnnx)('onnxruntime-node');
  const session = InferenceSession.prototype;
  let steps = 0;
  const run = session.run;
  session.run = function (feeds, ...rest) {
    if (feeds && typeof feeds === 'object' && 'lr' in feeds) steps++;
    return run.call(this, feeds, ...rest);
  };
  process.on('exit', () => writeFileSync(out, String(steps)));
}
