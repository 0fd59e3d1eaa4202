export { serveDemo, type DemoServer, type ServeDemoOptions } from './serve-demo.js';
export { trainTinyModel, type TinyModelOptions } from './train-tiny-model.js';
export { resolveModelFolder } from './model-folder.js';
