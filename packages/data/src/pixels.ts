// `@cnnkit/data/pixels`: the browser-safe part of the package (no sharp, no Node
// API), so a web page prepares images exactly as training and `cnnkit predict` do.
export { cropToAspect, PIXEL_INTERPOLATIONS, resizePixels, type PixelInterpolation, type RawImage } from './resize-pixels.js';
