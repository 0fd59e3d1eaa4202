import type { ProjectiveTransform } from './sample-projective.js';

/*
 * The matrices Keras's image layers build, in the output-to-input layout of
 * sampleProjective. Pixel centres sit at integer coordinates, so the image centre
 * is ((width - 1) / 2, (height - 1) / 2).
 */

/** Rotation by `angle` radians about the image centre; positive turns the content counter-clockwise. */
export function rotationTransform(angle: number, height: number, width: number): ProjectiveTransform {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const xOffset = (width - 1 - (cos * (width - 1) - sin * (height - 1))) / 2;
  const yOffset = (height - 1 - (sin * (width - 1) + cos * (height - 1))) / 2;
  return [cos, -sin, xOffset, sin, cos, yOffset, 0, 0];
}

/** Zoom about the centre: a factor above 1 shows more of the image (zooms out). */
export function zoomTransform(zoomY: number, zoomX: number, height: number, width: number): ProjectiveTransform {
  return [zoomX, 0, ((width - 1) / 2) * (1 - zoomX), 0, zoomY, ((height - 1) / 2) * (1 - zoomY), 0, 0];
}

/** Moves the content by `dy` pixels down and `dx` pixels right. */
export function translationTransform(dy: number, dx: number): ProjectiveTransform {
  return [1, 0, -dx, 0, 1, -dy, 0, 0];
}
