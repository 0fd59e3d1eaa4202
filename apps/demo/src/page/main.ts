import type { RawImage } from '@cnnkit/data/pixels';
import { modelFromArtifacts, type Model } from '@cnnkit/layers';
import { classifyImage, modelInputSize, type Classification } from './classify-image.js';
import { decodeImageFile } from './decode-image-file.js';
import { drawCam } from './draw-cam.js';
import { fetchModelArtifacts } from './fetch-model.js';
import { fetchValidationAccuracy } from './fetch-validation-accuracy.js';
import { activatePageBackend, isPageBackend, PAGE_BACKENDS, pageBackendChoices, pageRegistry, type PageBackend } from './page-backends.js';
import { validationAccuracyText } from './validation-accuracy-text.js';

// The page's state lives in <body data-*> as well as on screen, so a test (or a
// curious user in devtools) can tell when a result is final and which backend made it.

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`demo: the page has no #${id}`);
  return found as T;
}

const ui = {
  backend: element<HTMLSelectElement>('backend'),
  backendNote: element<HTMLParagraphElement>('backend-note'),
  status: element<HTMLSpanElement>('status'),
  modelInfo: element<HTMLParagraphElement>('model-info'),
  drop: element<HTMLElement>('drop'),
  file: element<HTMLInputElement>('file'),
  result: element<HTMLElement>('result'),
  canvas: element<HTMLCanvasElement>('cam'),
  predicted: element<HTMLElement>('predicted'),
  rows: element<HTMLTableElement>('probabilities').tBodies[0],
};

const registry = pageRegistry(new URL('wasm/', document.baseURI).href);
const modelUrl = new URL('model/', document.baseURI);
const artifactsPromise = fetchModelArtifacts(modelUrl);
// serveDemo's ACCURACY_PATH, beside the page.
const accuracyPromise = fetchValidationAccuracy(new URL('validation-accuracy.json', document.baseURI));

let model: Model | null = null;
let classNames: string[] = [];
let image: { pixels: RawImage; name: string } | null = null;
let results = 0;
// Options the browser cannot run stay listed but disabled, with the reason shown.
const unavailable = new Set<string>();

function setState(state: 'loading' | 'busy' | 'ready' | 'error', message: string): void {
  document.body.dataset.state = state;
  ui.status.textContent = message;
  const idle = state === 'ready';
  ui.backend.disabled = !idle;
  for (const option of Array.from(ui.backend.options)) option.disabled = unavailable.has(option.value);
  ui.file.disabled = !idle;
}

/** Rebuilds the model on `backend` from the fetched files (tensors never cross backends). */
async function useBackend(backend: PageBackend): Promise<void> {
  model?.dispose();
  model = null;
  const active = await activatePageBackend(registry, backend);
  const { modelJsonText, weights } = await artifactsPromise;
  const built = modelFromArtifacts(modelJsonText, weights);
  model = built.model;
  const units = model.outputs[0].shape[model.outputs[0].shape.length - 1] ?? 1;
  classNames = built.json.classNames ?? Array.from({ length: Math.max(2, units) }, (_, i) => `class_${i}`);
  const [h, w] = modelInputSize(model);
  // Next to the name, so nobody reads the probabilities without knowing how often this model is right.
  const shown = await accuracyPromise;
  const accuracy = document.createElement('span');
  accuracy.id = 'model-accuracy';
  accuracy.dataset.accuracy = shown.accuracy === null ? 'unknown' : String(shown.accuracy);
  accuracy.textContent = validationAccuracyText(shown);
  ui.modelInfo.replaceChildren(`Model "${model.name}" (`, accuracy, `): ${w}×${h} RGB input, classes ${classNames.join(', ')}.`);
  document.body.dataset.backend = active;
}

function showResult(result: Classification, pixels: RawImage): void {
  const best = result.probabilities.indexOf(Math.max(...result.probabilities));
  ui.rows.replaceChildren(
    ...result.probabilities.map((p, i) => {
      const row = document.createElement('tr');
      row.dataset.class = classNames[i];
      row.dataset.probability = String(p);
      if (i === best) row.className = 'predicted';
      const name = document.createElement('td');
      name.textContent = classNames[i];
      const value = document.createElement('td');
      value.textContent = p.toFixed(4);
      const bar = document.createElement('td');
      bar.className = 'bar';
      const fill = document.createElement('span');
      fill.style.width = `${(100 * p).toFixed(1)}%`;
      bar.append(fill);
      row.append(name, value, bar);
      return row;
    }),
  );
  ui.predicted.textContent = `${classNames[best]} (${(100 * result.probabilities[best]).toFixed(1)}%)`;
  drawCam(ui.canvas, pixels, result.cam);
  // The heatmap itself, for tests and devtools: what the overlay was drawn from.
  ui.canvas.dataset.heatmap = JSON.stringify({ width: result.cam.width, height: result.cam.height, values: Array.from(result.cam.heatmap) });
  ui.result.hidden = false;
  results += 1;
  document.body.dataset.results = String(results);
}

async function classifyCurrent(): Promise<void> {
  if (image === null || model === null) return;
  const started = performance.now();
  const result = await classifyImage(model, image.pixels);
  showResult(result, image.pixels);
  setState('ready', `${image.name}: ${Math.round(performance.now() - started)} ms on ${document.body.dataset.backend}`);
}

// One operation at a time: a backend switch must not interleave with a prediction.
let queue: Promise<void> = Promise.resolve();
function run(message: string, task: () => Promise<void>): void {
  queue = queue.then(async () => {
    setState('busy', message);
    try {
      await task();
      if (document.body.dataset.state === 'busy') setState('ready', `Ready on ${document.body.dataset.backend}.`);
    } catch (error) {
      console.error(error);
      setState('error', (error as Error).message);
      // Leave the controls usable so the user can try another image or backend.
      ui.backend.disabled = false;
      ui.file.disabled = false;
    }
  });
}

function openFile(file: File): void {
  run(`Reading ${file.name}…`, async () => {
    image = { pixels: await decodeImageFile(file), name: file.name };
    await classifyCurrent();
  });
}

run('Looking for backends…', async () => {
  const notes: string[] = [];
  for (const choice of await pageBackendChoices(registry)) {
    const option = new Option(choice.unavailable === null ? choice.label : `${choice.name} (unavailable)`, choice.name);
    if (choice.unavailable !== null) {
      unavailable.add(choice.name);
      notes.push(`${choice.name} is unavailable: ${choice.unavailable}.`);
    }
    ui.backend.add(option);
  }
  ui.backendNote.textContent = notes.join(' ');
  ui.backendNote.hidden = notes.length === 0;
});
ui.backend.addEventListener('change', () => {
  const name = ui.backend.value;
  if (!isPageBackend(name)) return;
  run(`Switching to ${name}…`, async () => {
    await useBackend(name);
    await classifyCurrent();
  });
});
ui.file.addEventListener('change', () => {
  const file = ui.file.files?.[0];
  if (file !== undefined) openFile(file);
  ui.file.value = '';
});
ui.drop.addEventListener('dragover', (event) => {
  event.preventDefault();
  ui.drop.classList.add('over');
});
ui.drop.addEventListener('dragleave', () => ui.drop.classList.remove('over'));
ui.drop.addEventListener('drop', (event) => {
  event.preventDefault();
  ui.drop.classList.remove('over');
  const file = event.dataTransfer?.files[0];
  if (file !== undefined) openFile(file);
});

run('Loading the model…', () => useBackend(PAGE_BACKENDS[0]));

