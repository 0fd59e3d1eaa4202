import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { crc32, deflateSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuBackend } from '@cnnkit/backend-cpu';
import { colorize, computeCam } from '@cnnkit/cam';
import { decodeImage, resizeImage, writeSampleData, type SampleImage } from '@cnnkit/data';
import { loadModel } from '@cnnkit/layers';
import { BackendRegistry, selectBackend, tf } from '@cnnkit/tensor-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDemo, type DemoServer } from './serve-demo.js';
import { trainTinyModel } from './train-tiny-model.js';

// End to end: a model trained and saved in Node, served with the built page, opened
// in headless Chromium; the page's probabilities (wasm, cpu, webgpu) and its Grad-CAM
// must equal Node's for the same file with the same decode + resize, within TOLERANCE.
// Headless Chromium with --enable-unsafe-webgpu has a SwiftShader WebGPU adapter.

const CHROMIUM = process.env.CNNKIT_CHROMIUM ?? '/usr/bin/chromium';
const TOLERANCE = 1e-4;
const SCREENSHOT = join(dirname(dirname(fileURLToPath(import.meta.url))), 'e2e-screenshot.png');

let work: string;
let server: DemoServer;
let browser: Browser;
let page: Page;
let images: { file: string; probabilities: number[]; heatmap: number[] }[];
const pageErrors: string[] = [];

/**
 * What `cnnkit predict` and `cnnkit cam` compute: decodeImage + resizeImage (bilinear)
 * + model.predict and the Grad-CAM of the predicted class, on cpu.
 */
async function predictInNode(modelDir: string, files: string[]): Promise<Array<{ probabilities: number[]; heatmap: number[] }>> {
  await selectBackend({ name: 'cpu', task: 'infer', registry: new BackendRegistry().add(cpuBackend()), env: {} });
  const { model } = await loadModel(modelDir);
  const [, h, w] = model.inputs[0].shape as number[];
  const out: Array<{ probabilities: number[]; heatmap: number[] }> = [];
  for (const file of files) {
    const img = await resizeImage(await decodeImage(file, { colorMode: 'rgb' }), [h, w]);
    const x = tf.tensor4d(Float32Array.from(img.data), [1, h, w, 3]);
    const y = model.predict(x) as tf.Tensor;
    const row = Array.from(await y.data());
    const [cam] = await computeCam(model, x, { method: 'gradcam' });
    tf.dispose([x, y]);
    out.push({ probabilities: row.length === 1 ? [1 - row[0], row[0]] : row, heatmap: Array.from(cam.heatmap) });
  }
  model.dispose();
  return out;
}

/** The heatmap the page drew its overlay from. */
async function shownHeatmap(): Promise<number[]> {
  const json = await page.getAttribute('#cam', 'data-heatmap');
  return (JSON.parse(json ?? 'null') as { values: number[] }).values;
}

/** Waits for the page to finish result number `n` (body data-results) and be idle again. */
async function waitForResult(n: number): Promise<void> {
  await page.waitForSelector(`body[data-results="${n}"][data-state="ready"]`, { timeout: 60_000 }).catch(async (error: Error) => {
    const status = await page.textContent('#status');
    throw new Error(`the page did not show result ${n}: status "${status}"; page errors: ${pageErrors.join(' | ') || 'none'} (${error.message})`);
  });
}

async function shownProbabilities(): Promise<Record<string, number>> {
  return page.$$eval('#probabilities tbody tr', (rows) =>
    Object.fromEntries(rows.map((r) => [(r as HTMLElement).dataset.class!, Number((r as HTMLElement).dataset.probability)])),
  );
}

function maxDifference(shown: Record<string, number>, expected: number[], classNames: string[]): number {
  expect(Object.keys(shown)).toEqual(classNames);
  return Math.max(...classNames.map((c, i) => Math.abs(shown[c] - expected[i])));
}

/** A minimal RGB PNG (8-bit, filter 0 rows), so the test controls every pixel of its picture. */
function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, filter 0, no interlace
  const rows = Buffer.alloc(height * (width * 3 + 1));
  for (let y = 0; y < height; y++) Buffer.from(rgb.buffer, rgb.byteOffset + y * width * 3, width * 3).copy(rows, y * (width * 3 + 1) + 1);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * The picture whose evidence is known by construction: one filled square (the
 * 'squares' class) at x 52..83, y 12..43 of a 96x96 flat grey picture, wholly in
 * the top-right quadrant.
 */
const EVIDENCE = { size: 96, x0: 52, x1: 84, y0: 12, y1: 44 };
function evidencePicture(): Uint8Array {
  const { size, x0, x1, y0, y1 } = EVIDENCE;
  const rgb = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) rgb.set(x >= x0 && x < x1 && y >= y0 && y < y1 ? [230, 200, 40] : [90, 90, 90], (y * size + x) * 3);
  return rgb;
}

/**
 * The heatmap value (0..1) behind each canvas pixel: the page draws
 * 0.6 * image + 0.4 * viridis(heat), so (canvas - 0.6 * image) / 0.4 is a viridis
 * colour; the nearest of viridis's 256 entries gives the heat (to about 1/255 plus the
 * canvas's rounding).
 */
function heatFromCanvas(canvas: Uint8ClampedArray | number[], image: Uint8Array): Float64Array {
  const lut = colorize(Float32Array.from({ length: 256 }, (_, i) => i / 255), 'viridis');
  const heat = new Float64Array(image.length / 3);
  for (let p = 0; p < heat.length; p++) {
    const colour = [0, 1, 2].map((k) => (canvas[p * 4 + k] - 0.6 * image[p * 3 + k]) / 0.4);
    let best = 0;
    let bestDistance = Infinity;
    for (let i = 0; i < 256; i++) {
      const d = (colour[0] - lut[i * 3]) ** 2 + (colour[1] - lut[i * 3 + 1]) ** 2 + (colour[2] - lut[i * 3 + 2]) ** 2;
      if (d < bestDistance) [best, bestDistance] = [i, d];
    }
    heat[p] = best / 255;
  }
  return heat;
}

describe('demo page in headless Chromium', () => {
  let classNames: string[];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`the demo's end-to-end test needs Chromium at ${CHROMIUM}; install it with: apt-get install -y chromium (or set CNNKIT_CHROMIUM to a Chromium binary)`);
    }
    work = await mkdtemp(join(tmpdir(), 'cnnkit-demo-e2e-'));
    const modelDir = join(work, 'model');
    ({ classNames } = await trainTinyModel(modelDir, { seed: 11 }));
    // Unseen pictures (another seed), one per format the sample data writes.
    const sample = await writeSampleData(join(work, 'images'), { seed: 99, perClass: 6, minSize: 50, maxSize: 140, includeBroken: false });
    const byFormat = new Map<string, SampleImage>();
    for (const img of sample.images) if (!byFormat.has(img.format)) byFormat.set(img.format, img);
    const files = ['png', 'jpeg'].map((f) => join(sample.dir, byFormat.get(f)!.file));
    images = (await predictInNode(modelDir, files)).map((r, i) => ({ file: files[i], ...r }));

    server = await serveDemo({ modelDir, port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.goto(server.url);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 60_000 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('loads the model on wasm', async () => {
    expect(await page.getAttribute('body', 'data-backend')).toBe('wasm');
    expect(await page.textContent('#model-info')).toContain(classNames.join(', '));
  });

  it("shows the model's recorded validation accuracy next to its name", async () => {
    // The value recorded in the served model.json, read here, not the number trainTinyModel returned.
    const { training } = JSON.parse(await readFile(join(server.modelDir, 'model.json'), 'utf8')) as { training: { final: { val_accuracy: number }; heldOut: { images: number } } };
    const recorded = training.final.val_accuracy;
    expect(recorded).toBeGreaterThanOrEqual(0.9);
    expect(await page.getAttribute('#model-accuracy', 'data-accuracy')).toBe(String(recorded));
    const text = `validation accuracy ${(100 * recorded).toFixed(1)}% on ${training.heldOut.images} held-out pictures`;
    expect(await page.textContent('#model-accuracy')).toBe(text);
    expect(await page.textContent('#model-info')).toMatch(new RegExp(`^Model "demo_tiny_cnn" \\(${text.replace(/[.()%]/g, '\\$&')}\\): `));
  });

  it("shows a run folder's history.json val_accuracy, and says unknown for a model with none recorded", async () => {
    // A run folder as `cnnkit demo` leaves it: model.json without training.final, the accuracy in history.json.
    const run = join(work, 'run');
    await cp(server.modelDir, join(run, 'model'), { recursive: true });
    const json = JSON.parse(await readFile(join(run, 'model', 'model.json'), 'utf8')) as { training: unknown };
    json.training = { epochs: 3 };
    await writeFile(join(run, 'model', 'model.json'), JSON.stringify(json));
    await writeFile(join(run, 'history.json'), JSON.stringify({ accuracy: [0.7, 0.9, 0.99], val_accuracy: [0.6, 0.8, 0.875] }));
    const bare = join(work, 'bare');
    await cp(join(run, 'model'), bare, { recursive: true });
    for (const [dir, expected, data] of [[run, 'validation accuracy 87.5%', '0.875'], [bare, 'validation accuracy unknown', 'unknown']] as const) {
      const other = await serveDemo({ modelDir: dir, port: 0 });
      const tab = await browser.newPage();
      try {
        await tab.goto(other.url);
        await tab.waitForSelector('body[data-state="ready"]', { timeout: 60_000 });
        expect(await tab.textContent('#model-accuracy')).toBe(expected);
        expect(await tab.getAttribute('#model-accuracy', 'data-accuracy')).toBe(data);
      } finally {
        await tab.close();
        await other.close();
      }
    }
  });

  it('shows the same probabilities as Node for an uploaded PNG, on wasm then on cpu, and draws the CAM', async () => {
    const { file, probabilities } = images[0];
    await page.setInputFiles('#file', file);
    await waitForResult(1);
    const onWasm = maxDifference(await shownProbabilities(), probabilities, classNames);
    console.log(`demo e2e: PNG on wasm: max |page - node| = ${onWasm.toExponential(2)}`);
    expect(onWasm).toBeLessThanOrEqual(TOLERANCE);
    const heatmap = await shownHeatmap();
    expect(heatmap).toHaveLength(images[0].heatmap.length);
    for (const [i, v] of heatmap.entries()) expect(Math.abs(v - images[0].heatmap[i]), `heatmap[${i}]`).toBeLessThanOrEqual(TOLERANCE);

    await page.selectOption('#backend', 'cpu');
    await waitForResult(2);
    expect(await page.getAttribute('body', 'data-backend')).toBe('cpu');
    const onCpu = maxDifference(await shownProbabilities(), probabilities, classNames);
    console.log(`demo e2e: PNG on cpu: max |page - node| = ${onCpu.toExponential(2)}`);
    expect(onCpu).toBeLessThanOrEqual(TOLERANCE);

    const canvas = await page.$eval('#cam', (c) => {
      const canvas = c as HTMLCanvasElement;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let sum = 0;
      let sumSq = 0;
      for (let i = 0; i < data.length; i += 4) for (let k = 0; k < 3; k++) {
        sum += data[i + k];
        sumSq += data[i + k] ** 2;
      }
      const n = (data.length / 4) * 3;
      return { width: canvas.width, height: canvas.height, variance: sumSq / n - (sum / n) ** 2 };
    });
    expect(canvas.width).toBeGreaterThan(0);
    expect(canvas.variance).toBeGreaterThan(0);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`demo e2e: screenshot saved to ${SCREENSHOT}`);
  });

  it('offers webgpu (SwiftShader here) and shows the same probabilities and Grad-CAM as Node on it', async () => {
    const option = await page.$eval('#backend option[value="webgpu"]', (o) => ({ disabled: (o as HTMLOptionElement).disabled, label: o.textContent }));
    expect(option.disabled, `webgpu option: ${option.label}; note: ${await page.textContent('#backend-note')}`).toBe(false);
    expect(option.label).toMatch(/^webgpu \(.*software\)$/); // SwiftShader says it is a fallback adapter
    const before = Number(await page.getAttribute('body', 'data-results'));
    await page.selectOption('#backend', 'webgpu');
    await waitForResult(before + 1);
    expect(await page.getAttribute('body', 'data-backend')).toBe('webgpu');
    const { probabilities, heatmap } = images[0];
    const onGpu = maxDifference(await shownProbabilities(), probabilities, classNames);
    console.log(`demo e2e: PNG on webgpu: max |page - node| = ${onGpu.toExponential(2)}`);
    expect(onGpu).toBeLessThanOrEqual(TOLERANCE);
    const shown = await shownHeatmap();
    const camDifference = Math.max(...shown.map((v, i) => Math.abs(v - heatmap[i])));
    console.log(`demo e2e: Grad-CAM on webgpu: max |page - node| = ${camDifference.toExponential(2)}`);
    expect(shown).toHaveLength(heatmap.length);
    expect(camDifference).toBeLessThanOrEqual(TOLERANCE);
  });

  it('says why webgpu is not offered in a browser without navigator.gpu', async () => {
    const plain = await browser.newPage();
    await plain.addInitScript(() => {
      delete (Navigator.prototype as { gpu?: unknown }).gpu;
    });
    await plain.goto(server.url);
    await plain.waitForSelector('body[data-state="ready"]', { timeout: 60_000 });
    expect(await plain.$eval('#backend option[value="webgpu"]', (o) => (o as HTMLOptionElement).disabled)).toBe(true);
    expect(await plain.textContent('#backend-note')).toMatch(/^webgpu is unavailable: this browser exposes no navigator\.gpu/);
    expect(await plain.getAttribute('body', 'data-backend')).toBe('wasm');
    await plain.close();
  });

  it('puts the CAM peak on the evidence: a square drawn in the top-right quadrant heats that quadrant', async () => {
    // The oracle is the picture itself, not cnnkit's CAM: the only thing in it is the
    // square, so the class evidence is there. The heatmap is at the conv layer's
    // resolution (4x4 for 64x64 input, 24-pixel cells here), so the check is at cell
    // scale: the hottest pixel lies in the square's quadrant, and the square's pixels
    // are hotter on average than the rest. An all-zero (or flat) heatmap fails both.
    const { size, x0, x1, y0, y1 } = EVIDENCE;
    const picture = evidencePicture();
    const file = join(work, 'evidence.png');
    await writeFile(file, encodePng(size, size, picture));
    const before = Number(await page.getAttribute('body', 'data-results'));
    await page.setInputFiles('#file', file);
    await waitForResult(before + 1);
    expect(await page.textContent('#predicted')).toMatch(/^squares/);
    const canvas = await page.$eval('#cam', (c) => {
      const cv = c as HTMLCanvasElement;
      return { width: cv.width, height: cv.height, data: Array.from(cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data) };
    });
    expect([canvas.width, canvas.height]).toEqual([size, size]);
    const heat = heatFromCanvas(canvas.data, picture);
    let peak = 0;
    for (let p = 1; p < heat.length; p++) if (heat[p] > heat[peak]) peak = p;
    const [py, px] = [Math.floor(peak / size), peak % size];
    console.log(`demo e2e: CAM peak at (y ${py}, x ${px}), heat ${heat[peak].toFixed(3)}; square at y ${y0}..${y1 - 1}, x ${x0}..${x1 - 1}`);
    expect(heat[peak]).toBeGreaterThan(0.9);
    expect(py, 'peak row in the top half').toBeLessThan(size / 2);
    expect(px, 'peak column in the right half').toBeGreaterThanOrEqual(size / 2);
    let inside = 0;
    let outside = 0;
    for (let p = 0; p < heat.length; p++) {
      const [y, x] = [Math.floor(p / size), p % size];
      if (x >= x0 && x < x1 && y >= y0 && y < y1) inside += heat[p];
      else outside += heat[p];
    }
    const squarePixels = (x1 - x0) * (y1 - y0);
    expect(inside / squarePixels).toBeGreaterThan(outside / (heat.length - squarePixels) + 0.2);
  });

  it('gives the same probabilities as Node for a JPEG too (back on wasm)', async () => {
    const { file, probabilities } = images[1];
    await page.selectOption('#backend', 'wasm');
    await page.waitForSelector('body[data-backend="wasm"][data-state="ready"]', { timeout: 60_000 });
    const before = Number(await page.getAttribute('body', 'data-results'));
    await page.setInputFiles('#file', file);
    await waitForResult(before + 1);
    const difference = maxDifference(await shownProbabilities(), probabilities, classNames);
    console.log(`demo e2e: JPEG on wasm: max |page - node| = ${difference.toExponential(2)}`);
    expect(difference).toBeLessThanOrEqual(TOLERANCE);
    expect(pageErrors).toEqual([]);
  });
});
