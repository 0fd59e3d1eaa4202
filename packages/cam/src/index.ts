// The compute path only: no sharp, no Node APIs, so a browser bundle can import it.
// PNG overlays, files and contact sheets live in the `@cnnkit/cam/node` subpath.
export { CAM_METHODS, computeCam, type CamMethod, type CamOptions, type CamResult } from './compute-cam.js';
export { upsampleHeatmap } from './upsample-heatmap.js';
export { COLORMAP_NAMES, colorize, type ColormapName } from './colorize.js';
