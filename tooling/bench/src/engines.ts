/** Every engine the harness knows; `runBenchmarks({ engines })` picks among them. */
export const ENGINE_IDS = [
  'cnnkit-cpu',
  'cnnkit-wasm',
  'cnnkit-wasm-2-instances',
  'cnnkit-webgpu',
  'cnnkit-cuda',
  'cnnkit-onnx',
  'tfjs-layers-cpu',
  'tfjs-layers-wasm',
  'pytorch',
  'pytorch-cuda',
  'sharp-decode',
] as const;
export type EngineId = (typeof ENGINE_IDS)[number];

export function isEngineId(name: string): name is EngineId {
  return (ENGINE_IDS as readonly string[]).includes(name);
}
