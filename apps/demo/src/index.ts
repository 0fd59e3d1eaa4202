export { serveDemo, type DemoServer, type ServeDemoOptions } from './serve-demo.js';
export { MIN_HELD_OUT_ACCURACY, trainTinyModel, type TinyModelOptions, type TinyModelResult } from './train-tiny-model.js';
export { tinyCnn } from './tiny-cnn.js';
export { tinyModelSamples, type TinyModelSamples } from './tiny-model-samples.js';
export { validationAccuracy, type ValidationAccuracy } from './validation-accuracy.js';
export { resolveModelFolder } from './model-folder.js';
