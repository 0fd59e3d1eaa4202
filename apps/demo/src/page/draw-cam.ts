import { colorize, upsampleHeatmap, type CamResult } from '@cnnkit/cam';
import type { RawImage } from '@cnnkit/data/pixels';

/**
 * Draws the image with its heatmap on top (out = (1 - alpha)·image + alpha·colour,
 * the blend `overlayHeatmap` writes in Node), at the image's own resolution.
 */
export function drawCam(canvas: HTMLCanvasElement, image: RawImage, cam: CamResult, alpha = 0.4): void {
  const { width, height } = image;
  const colours = colorize(upsampleHeatmap(cam.heatmap, [cam.height, cam.width], [height, width]), 'viridis');
  const pixels = new ImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) pixels.data[i * 4 + k] = Math.round((1 - alpha) * image.data[i * 3 + k] + alpha * colours[i * 3 + k]);
    pixels.data[i * 4 + 3] = 255;
  }
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('demo: this browser gave no 2D canvas context to draw the heatmap on');
  context.putImageData(pixels, 0, 0);
}
