// The compute path only: no sharp, no Node APIs, so a browser bundle can import it.
// PNG overlays and contact sheets live in `@cnnkit/cam/node`.
export { CAM_METHODS, computeCam, type CamMethod, type CamOptions, type CamResult } from './compute-cam.js';
