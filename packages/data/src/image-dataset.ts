import { randomInt } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CnnkitError, createRng, tf } from '@cnnkit/tensor-core';
import { defaultParallelism, sortByDecoding, type CheckReport } from './check-images.js';
import { channelsOf, DEFAULT_PIXEL_LIMIT, type ColorMode, type RawImage } from './decode-image.js';
import type { CacheOption } from './image-cache.js';
import { compareNames, folderKind, relativePath, walkFiles } from './image-files.js';
import { ImageSource, type LoadStats } from './image-source.js';
import { encodeLabels, type LabelMode } from './labels.js';
import { orderedPrefetch } from './prefetch.js';
import { INTERPOLATIONS, type Interpolation } from './resize-image.js';
import { splitIndices, type Subset } from './split.js';

export interface ImageDatasetOptions {
  /** Default `'int'`. `'binary'` needs exactly two classes. `null`: images only. */
  labelMode?: LabelMode;
  /** Which class folders to use, in this label order. Default: every sub-folder, sorted. */
  classNames?: readonly string[];
  /** Default `'rgb'`. */
  colorMode?: ColorMode;
  /** Default 32. `null`: one image per element (a `[h, w, c]` tensor). */
  batchSize?: number | null;
  /** `[height, width]`, default `[256, 256]`. */
  imageSize?: readonly [number, number];
  /** Default true: a new order each epoch, derived from the seed and the epoch number. */
  shuffle?: boolean;
  /** Required with `validationSplit` when shuffling (as in Keras). Default: a random seed. */
  seed?: number;
  /** Fraction (0..1) held out for validation; needs `subset`. */
  validationSplit?: number;
  subset?: Subset;
  /** Default `'bilinear'`. */
  interpolation?: Interpolation;
  /** Follow symbolic links to folders. Default false. */
  followLinks?: boolean;
  /** Crop the centre to the target aspect ratio before resizing, instead of stretching. Default false. */
  cropToAspectRatio?: boolean;
  /** Keep decoded, resized images so later epochs skip decoding. Default: none. */
  cache?: CacheOption | null;
  /**
   * Decode every file once up front and leave out the broken ones (listed in
   * `report`). Default true. With false, a broken file fails the epoch that reaches it.
   */
  validate?: boolean;
  /** Decompression-bomb guard. Default {@link DEFAULT_PIXEL_LIMIT}. */
  pixelLimit?: number;
  /** Decodes in flight. Default: twice the CPU count. */
  parallelism?: number;
  /** Batches decoded ahead of the consumer. Default 2. */
  prefetch?: number;
  /**
   * Where the one-line summary goes (Keras's "Found N files belonging to K classes"),
   * with the split and the broken files left out. Default `console.log`; `null`: silent.
   */
  logger?: ((line: string) => void) | null;
}

/** The label tensor type a dataset made with options `O` yields: null only for `labelMode: null`. */
export type LabelsFor<O> = 'labelMode' extends keyof O
  ? O extends { labelMode: null }
    ? null
    : null extends O['labelMode' & keyof O]
      ? tf.Tensor | null
      : tf.Tensor
  : tf.Tensor;

/** The dataset `imageDatasetFromDirectory(dir, options)` makes for options of type `O`. */
export type ImageDatasetFor<O> = ImageDataset<O extends { batchSize: null } ? tf.Tensor3D : tf.Tensor4D, LabelsFor<O>>;

/** One batch as plain arrays: `images` is `[n, h, w, c]` uint8, HWC interleaved. */
export interface ArrayBatch {
  images: Uint8Array;
  shape: [number, number, number, number];
  /** Encoded per `labelMode` (`n` int32, `n x 1` or `n x classes` float32); null for `labelMode: null`. */
  labels: Int32Array | Float32Array | null;
  /** Class index of each image, whatever the label mode. */
  classIndices: Int32Array;
  /** Absolute paths of the images, in batch order. */
  files: string[];
}

/**
 * One dataset element as tensors: float32 raw 0..255 images `[n, h, w, c]`
 * (or `[h, w, c]` when unbatched) and labels. The caller owns (disposes) both.
 */
export interface TensorBatch<Images extends tf.Tensor3D | tf.Tensor4D = tf.Tensor4D, Labels extends tf.Tensor | null = tf.Tensor> {
  images: Images;
  /** A tensor for every `labelMode` but `null`, where it is null. */
  labels: Labels;
}

/**
 * The images of an {@link ArrayBatch} as separate {@link RawImage}s (views, not
 * copies), e.g. to pass to `previewGrid`.
 *
 * @example
 * ```ts
 * for await (const batch of ds.arrays()) { await previewGrid(batchImages(batch).slice(0, 9), { out: 'grid.png' }); break; }
 * ```
 */
export function batchImages(batch: ArrayBatch): RawImage[] {
  const [n, h, w, c] = batch.shape;
  const size = h * w * c;
  return Array.from({ length: n }, (_, k) => ({ data: batch.images.subarray(k * size, (k + 1) * size), width: w, height: h, channels: c }));
}

interface DatasetSettings {
  batchSize: number | null;
  shuffle: boolean;
  seed: number;
  labelMode: LabelMode;
  parallelism: number;
  prefetch: number;
}

/**
 * A labelled image dataset: an async iterable of batches. Each `for await`
 * (or `arrays()`) is one epoch; the order is reshuffled each epoch from the seed
 * and the epoch number, so runs are repeatable and a resumed run can `seekEpoch`.
 */
export class ImageDataset<Images extends tf.Tensor3D | tf.Tensor4D = tf.Tensor4D, Labels extends tf.Tensor | null = tf.Tensor>
  implements AsyncIterable<TensorBatch<Images, Labels>>
{
  /** Class names in label order. */
  readonly classNames: readonly string[];
  /** Absolute file paths of this subset, in its (split) order. */
  readonly filePaths: readonly string[];
  /** Class index of each file in `filePaths`. */
  readonly labels: Int32Array;
  /** The validation report of the folder (shared by both subsets). */
  readonly report: CheckReport;
  readonly imageSize: readonly [number, number];
  readonly channels: number;
  readonly batchSize: number | null;
  readonly labelMode: LabelMode;
  readonly #source: ImageSource;
  readonly #settings: DatasetSettings;
  #epoch = 0;
  #startStep = 0;

  /** @internal built by {@link imageDatasetFromDirectory} */
  constructor(source: ImageSource, classNames: readonly string[], files: string[], labels: Int32Array, report: CheckReport, settings: DatasetSettings) {
    this.#source = source;
    this.#settings = settings;
    this.classNames = classNames;
    this.filePaths = files;
    this.labels = labels;
    this.report = report;
    this.imageSize = source.settings.imageSize;
    this.channels = channelsOf(source.settings.colorMode);
    this.batchSize = settings.batchSize;
    this.labelMode = settings.labelMode;
  }

  /** Elements per epoch: batches, or images when unbatched (Keras's `cardinality()`). */
  get cardinality(): number {
    const bs = this.#settings.batchSize;
    return bs === null ? this.filePaths.length : Math.ceil(this.filePaths.length / bs);
  }

  /** Decoder calls and cache hits so far (shared with the other subset of the same call). */
  get stats(): Readonly<LoadStats> {
    return { ...this.#source.stats };
  }

  /** The epoch the next iteration will produce (0-based). */
  get epoch(): number {
    return this.#epoch;
  }

  /**
   * Makes the next iteration produce epoch `epoch`'s order (to resume a run), from its
   * batch `step` on (to resume inside an epoch; the batches before it are not decoded).
   */
  seekEpoch(epoch: number, step = 0): void {
    if (!Number.isInteger(epoch) || epoch < 0) {
      throw new CnnkitError('BAD_OPTION', `ImageDataset.seekEpoch: expected a non-negative integer, received ${epoch}`);
    }
    if (!Number.isInteger(step) || step < 0) {
      throw new CnnkitError('BAD_OPTION', `ImageDataset.seekEpoch: expected step a non-negative integer, received ${step}`);
    }
    this.#epoch = epoch;
    this.#startStep = step;
  }

  /** The file order of epoch `epoch`, as indices into `filePaths`. */
  order(epoch: number): number[] {
    const n = this.filePaths.length;
    return this.#settings.shuffle ? createRng(this.#settings.seed).fork(`epoch ${epoch}`).permutation(n) : Array.from({ length: n }, (_, i) => i);
  }

  /**
   * One epoch as plain arrays (no tensors, no backend needed). Unbatched
   * datasets give batches of one.
   *
   * @example
   * ```ts
   * for await (const { images, shape, classIndices } of ds.arrays()) console.log(shape, classIndices);
   * ```
   */
  arrays(): AsyncIterable<ArrayBatch> {
    const epoch = this.#epoch++;
    const step = this.#startStep;
    this.#startStep = 0;
    return { [Symbol.asyncIterator]: () => this.#batches(epoch, step) };
  }

  async *#batches(epoch: number, step: number): AsyncGenerator<ArrayBatch, void, undefined> {
    const order = this.order(epoch).slice(step * (this.#settings.batchSize ?? 1));
    const n = order.length;
    const bs = this.#settings.batchSize ?? 1;
    const bytes = this.#source.bytesPerImage;
    const [h, w] = this.imageSize;
    const images = orderedPrefetch(n, (i) => this.#source.load(this.filePaths[order[i]]), {
      parallelism: this.#settings.parallelism,
      ahead: this.#settings.prefetch * bs + bs,
    });
    let start = 0;
    let batch = new Uint8Array(Math.min(bs, n) * bytes);
    let filled = 0;
    for await (const pixels of images) {
      batch.set(pixels, filled * bytes);
      filled++;
      if (filled === batch.length / bytes) {
        const indices = order.slice(start, start + filled);
        const classIndices = Int32Array.from(indices, (i) => this.labels[i]);
        const mode = this.#settings.labelMode;
        yield {
          images: batch,
          shape: [filled, h, w, this.channels],
          labels: mode === null ? null : encodeLabels(classIndices, mode, this.classNames.length).data,
          classIndices,
          files: indices.map((i) => this.filePaths[i]),
        };
        start += filled;
        filled = 0;
        batch = new Uint8Array(Math.min(bs, n - start) * bytes);
      }
    }
  }

  /**
   * One epoch as tensors (needs a tfjs backend selected). Keras's loop:
   * `for await (const { images, labels } of ds) { ...; tf.dispose([images, labels]); }`
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<TensorBatch<Images, Labels>, void, undefined> {
    const unbatched = this.#settings.batchSize === null;
    for await (const b of this.arrays()) {
      const [n, h, w, c] = b.shape;
      const pixels = Float32Array.from(b.images);
      const images = (unbatched ? tf.tensor3d(pixels, [h, w, c], 'float32') : tf.tensor4d(pixels, b.shape, 'float32')) as Images;
      let labels: tf.Tensor | null = null;
      const mode = this.#settings.labelMode;
      if (mode !== null && b.labels !== null) {
        const shape = encodeLabels([], mode, this.classNames.length).shape;
        labels = tf.tensor(b.labels, unbatched ? shape : [n, ...shape], mode === 'int' ? 'int32' : 'float32');
      }
      // Labels is null exactly when labelMode is null (imageDatasetFromDirectory's signature says so).
      yield { images, labels: labels as Labels };
    }
  }
}

type AnyDataset = ImageDataset<tf.Tensor3D | tf.Tensor4D, tf.Tensor | null>;

/** How many broken files the summary names before it says "and N more". */
const NAMED_BROKEN = 3;

/** Keras's "Found N files belonging to K classes." and "Using M files for training.", on one line, plus what was skipped. */
export function summaryLine(report: CheckReport, classes: number, used: readonly (readonly [string, number])[] | null): string {
  const parts = [`Found ${report.files} files belonging to ${classes} classes`];
  parts.push(used === null ? `using all ${report.valid}` : `using ${used.map(([subset, n]) => `${n} for ${subset}`).join(' / ')}`);
  const broken = report.broken;
  if (broken.length > 0) {
    const named = broken.slice(0, NAMED_BROKEN).map((b) => `${b.file} (${b.reason})`);
    const more = broken.length > NAMED_BROKEN ? ` and ${broken.length - NAMED_BROKEN} more` : '';
    parts.push(`skipped ${broken.length} broken (see report.broken: ${named.join(', ')}${more})`);
  }
  return `${parts.join('; ')}.`;
}

function badOption(message: string): CnnkitError {
  return new CnnkitError('BAD_OPTION', `imageDatasetFromDirectory: ${message}`);
}

function checkOptions(o: ImageDatasetOptions): void {
  const size = o.imageSize;
  if (size !== undefined && (size.length !== 2 || !size.every((v) => Number.isInteger(v) && v > 0))) {
    throw badOption(`expected imageSize [height, width] of positive integers, received ${JSON.stringify(size)}`);
  }
  if (o.batchSize !== undefined && o.batchSize !== null && !(Number.isInteger(o.batchSize) && o.batchSize > 0)) {
    throw badOption(`expected batchSize a positive integer or null, received ${JSON.stringify(o.batchSize)}`);
  }
  if (o.interpolation !== undefined && !INTERPOLATIONS.includes(o.interpolation)) {
    throw badOption(`unknown interpolation ${JSON.stringify(o.interpolation)}; expected one of ${INTERPOLATIONS.join(', ')}`);
  }
  if (o.colorMode !== undefined && !['rgb', 'grayscale', 'rgba'].includes(o.colorMode)) {
    throw badOption(`unknown colorMode ${JSON.stringify(o.colorMode)}; expected 'rgb', 'grayscale' or 'rgba'`);
  }
  if (o.labelMode !== undefined && o.labelMode !== null && !['int', 'binary', 'categorical'].includes(o.labelMode)) {
    throw badOption(`unknown labelMode ${JSON.stringify(o.labelMode)}; expected 'int', 'binary', 'categorical' or null`);
  }
  const split = o.validationSplit;
  if (split !== undefined && !(split > 0 && split < 1)) {
    throw badOption(`expected validationSplit between 0 and 1 (exclusive), received ${split}`);
  }
  if ((split === undefined) !== (o.subset === undefined)) {
    throw badOption(`validationSplit and subset go together (got ${split === undefined ? 'subset without validationSplit' : 'validationSplit without subset'})`);
  }
  if (o.subset !== undefined && !['training', 'validation', 'both'].includes(o.subset)) {
    throw badOption(`unknown subset ${JSON.stringify(o.subset)}; expected 'training', 'validation' or 'both'`);
  }
  if (split !== undefined && (o.shuffle ?? true) && o.seed === undefined) {
    throw badOption('validationSplit with shuffling needs a seed, or the training and validation subsets would overlap; pass { seed: 1337 } (any number)');
  }
}

async function classFolders(dir: string, followLinks: boolean): Promise<string[]> {
  const kind = await folderKind(dir);
  if (kind !== 'folder') {
    throw new CnnkitError(
      'NO_DATA_DIR',
      `imageDatasetFromDirectory: directory "${dir}" ${kind === null ? 'does not exist' : 'is a file'}; expected DIR/<class>/<image files>`,
    );
  }
  const entries = await readdir(dir, { withFileTypes: true });
  const names: string[] = [];
  for (const e of entries) {
    if (e.isDirectory() || (followLinks && e.isSymbolicLink() && (await folderKind(join(dir, e.name))) === 'folder')) names.push(e.name);
  }
  return names.sort(compareNames);
}

/**
 * Keras's `image_dataset_from_directory`: one sub-folder per class (labels from
 * the sorted folder names), images resized to `imageSize`, optionally split into
 * training and validation with a seeded shuffle. Decodes every file once first
 * (see `validate`) so broken files are left out and listed in `report`.
 *
 * Pixels are raw 0..255 float32 (rescaling belongs in the model), NHWC.
 * EXIF orientation is not applied (as in Keras); 16-bit images become 8-bit,
 * CMYK becomes sRGB, alpha is dropped for `rgb` (see the package README).
 *
 * @example
 * ```ts
 * const [train, val] = await imageDatasetFromDirectory('PetImages', {
 *   validationSplit: 0.2, subset: 'both', seed: 1337, imageSize: [180, 180], batchSize: 128,
 * });
 * for await (const { images, labels } of train) { ...; tf.dispose([images, labels]); }
 * ```
 */
export function imageDatasetFromDirectory<const O extends ImageDatasetOptions = {}>(
  dir: string,
  options?: O,
): Promise<O extends { subset: 'both' } ? [ImageDatasetFor<O>, ImageDatasetFor<O>] : ImageDatasetFor<O>>;
export async function imageDatasetFromDirectory(
  dir: string,
  options: ImageDatasetOptions = {},
): Promise<AnyDataset | [AnyDataset, AnyDataset]> {
  checkOptions(options);
  const followLinks = options.followLinks ?? false;
  const labelMode = options.labelMode === undefined ? 'int' : options.labelMode;
  const folders = await classFolders(dir, followLinks);
  if (folders.length === 0) {
    throw new CnnkitError('NO_CLASSES', `imageDatasetFromDirectory: directory "${dir}" has no class sub-folders; expected DIR/<class>/<image files>`);
  }
  let classNames = folders;
  if (options.classNames !== undefined) {
    const missing = options.classNames.filter((c) => !folders.includes(c));
    if (missing.length > 0 || new Set(options.classNames).size !== options.classNames.length) {
      throw badOption(
        `classNames ${JSON.stringify(options.classNames)} must be distinct sub-folders of "${dir}"; ${missing.length > 0 ? `not found: ${missing.join(', ')}; ` : ''}available: ${folders.join(', ')}`,
      );
    }
    classNames = [...options.classNames];
  }
  if (labelMode !== null && classNames.length < 2) {
    throw new CnnkitError(
      'ONE_CLASS',
      `imageDatasetFromDirectory: found only one class sub-folder ("${classNames[0]}") in "${dir}"; expected at least two, one per class (DIR/<class>/<image files>)`,
    );
  }

  // Fails now for 'binary' with other than two classes, not at the first batch.
  if (labelMode !== null) encodeLabels([], labelMode, classNames.length);

  const files: string[] = [];
  const classOf: number[] = [];
  const ignored: string[] = [];
  for (let c = 0; c < classNames.length; c++) {
    const walked = await walkFiles(join(dir, classNames[c]), followLinks);
    for (const f of walked.images) {
      files.push(f);
      classOf.push(c);
    }
    ignored.push(...walked.ignored.map((f) => relativePath(dir, f)));
  }

  const source = new ImageSource(
    {
      imageSize: options.imageSize ?? [256, 256],
      colorMode: options.colorMode ?? 'rgb',
      interpolation: options.interpolation ?? 'bilinear',
      cropToAspectRatio: options.cropToAspectRatio ?? false,
      pixelLimit: options.pixelLimit ?? DEFAULT_PIXEL_LIMIT,
    },
    options.cache ?? null,
  );
  const parallelism = options.parallelism ?? defaultParallelism();
  let validFiles = files;
  let validClasses = classOf;
  let broken: CheckReport['broken'] = [];
  if (options.validate ?? true) {
    const sorted = await sortByDecoding(dir, files, (f) => source.load(f), parallelism);
    const ok = new Set(sorted.valid);
    validClasses = classOf.filter((_, i) => ok.has(files[i]));
    validFiles = sorted.valid;
    broken = sorted.broken;
  }
  const report: CheckReport = { files: files.length, valid: validFiles.length, broken, ignored };
  for (let c = 0; c < classNames.length; c++) {
    if (!validClasses.includes(c)) {
      const why = broken.some((b) => b.file.startsWith(`${classNames[c]}/`)) ? 'all of its image files are broken' : `no ${'.jpg/.jpeg/.png/.gif/.bmp/.webp'} files`;
      throw new CnnkitError(
        'EMPTY_CLASS',
        `imageDatasetFromDirectory: class folder "${join(dir, classNames[c])}" has no usable images (${why}); expected DIR/<class>/<image files>`,
      );
    }
  }

  const shuffle = options.shuffle ?? true;
  const seed = options.seed ?? randomInt(2 ** 32 - 1);
  const settings: DatasetSettings = {
    batchSize: options.batchSize === undefined ? 32 : options.batchSize,
    shuffle,
    seed,
    labelMode,
    parallelism,
    prefetch: options.prefetch ?? 2,
  };
  const log = options.logger === undefined ? console.log : options.logger;
  const make = (indices: number[]): AnyDataset =>
    new ImageDataset(
      source,
      classNames,
      indices.map((i) => validFiles[i]),
      Int32Array.from(indices, (i) => validClasses[i]),
      report,
      settings,
    );
  if (options.validationSplit === undefined) {
    log?.(summaryLine(report, classNames.length, null));
    return make(validFiles.map((_, i) => i));
  }
  const { training, validation } = splitIndices(validFiles.length, options.validationSplit, shuffle, seed);
  if (training.length === 0 || validation.length === 0) {
    throw badOption(
      `validationSplit ${options.validationSplit} of ${validFiles.length} images leaves ${training.length} for training and ${validation.length} for validation; expected both non-empty`,
    );
  }
  const subset = options.subset!;
  log?.(
    summaryLine(
      report,
      classNames.length,
      subset === 'both' ? [['training', training.length], ['validation', validation.length]] : [[subset, subset === 'training' ? training.length : validation.length]],
    ),
  );
  switch (subset) {
    case 'training':
      return make(training);
    case 'validation':
      return make(validation);
    case 'both':
      return [make(training), make(validation)];
    default: {
      const never: never = subset;
      throw badOption(`unknown subset ${JSON.stringify(never)}`);
    }
  }
}
