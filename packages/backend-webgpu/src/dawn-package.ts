/** The npm package that provides WebGPU (Dawn) in Node, and the version cnnkit is tested with. */
export const DAWN_PACKAGE = 'webgpu';
export const DAWN_VERSION = '0.6.2';
