export { checkImages, type BrokenFile, type CheckOptions, type CheckReport } from './check-images.js';
export { quarantine, type QuarantineResult } from './quarantine.js';
export { decodeImage, DEFAULT_PIXEL_LIMIT, ImageDecodeError, type ColorMode, type DecodeOptions, type RawImage } from './decode-image.js';
export { resizeImage, type Interpolation } from './resize-image.js';
export { cropToAspect, resizePixels, type PixelInterpolation } from './resize-pixels.js';
export { IMAGE_EXTENSIONS } from './image-files.js';
export type { CacheOption } from './image-cache.js';
export type { LabelMode } from './labels.js';
export type { Subset } from './split.js';
export type { LoadStats } from './image-source.js';
export {
  batchImages,
  ImageDataset,
  imageDatasetFromDirectory,
  type ArrayBatch,
  type ImageDatasetOptions,
  type TensorBatch,
} from './image-dataset.js';
export { writeSampleData, type SampleDataOptions, type SampleDataResult, type SampleImage } from './sample-data.js';
export { previewGrid, type PreviewGridOptions, type PreviewGridResult, type TitleFont } from './preview-grid.js';
export { benchDataPipeline, type BenchDataOptions, type BenchDataResult } from './bench.js';
