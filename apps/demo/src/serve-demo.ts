import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODEL_FILE, WEIGHTS_FILE } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import { resolveModelFolder } from './model-folder.js';
import { validationAccuracy } from './validation-accuracy.js';

export interface ServeDemoOptions {
  /** A saved model folder (RUN/model), or a run folder holding one in model/. */
  modelDir: string;
  /** Default 4173; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1 (this machine only). */
  host?: string;
}

export interface DemoServer {
  /** The page's address, e.g. http://127.0.0.1:4173/ */
  url: string;
  /** The model folder served under model/. */
  modelDir: string;
  close(): Promise<void>;
}

// src/ and dist/ are both one level below the package, and the page is always
// the Vite build in dist/page (tests run this file from src/).
const PAGE_DIR = join(dirname(dirname(fileURLToPath(import.meta.url))), 'dist', 'page');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  // WebAssembly.instantiateStreaming, which tfjs uses, insists on this type.
  '.wasm': 'application/wasm',
  '.safetensors': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Where the page asks for the served model's validation accuracy (see `validationAccuracy`). */
export const ACCURACY_PATH = '/validation-accuracy.json';

async function sendAccuracy(res: ServerResponse, modelDir: string): Promise<void> {
  const body = `${JSON.stringify(await validationAccuracy(modelDir))}\n`;
  // Read on every request, like the model files: the model can be retrained between two visits.
  res.writeHead(200, { 'content-type': CONTENT_TYPES['.json'], 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' }).end(body);
}

async function sendFile(res: ServerResponse, file: string, cache: string): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (info === null || !info.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': cache,
  });
  createReadStream(file).pipe(res);
}

/** Maps a request path to a file: the page's build, or one of the model's two files. */
function route(url: string, modelDir: string): { file: string; cache: string } | null {
  let path: string;
  try {
    path = decodeURIComponent(new URL(url, 'http://localhost').pathname);
  } catch {
    return null;
  }
  // The model can be retrained between two visits: never cache its files.
  if (path === `/model/${MODEL_FILE}` || path === `/model/${WEIGHTS_FILE}`) return { file: join(modelDir, path.slice('/model/'.length)), cache: 'no-store' };
  const relative = normalize(path === '/' ? '/index.html' : path).replace(/^[/\\]+/, '');
  if (relative.split(sep).includes('..')) return null;
  return { file: join(PAGE_DIR, relative), cache: 'no-cache' };
}

/**
 * Serves the demo page (the Vite build in dist/page) with a saved model under
 * model/ and its recorded validation accuracy at /validation-accuracy.json, on
 * this machine only by default. The page then runs the model and its
 * Grad-CAM in the browser, on wasm or cpu.
 *
 * @example
 * ```ts
 * const server = await serveDemo({ modelDir: 'cnnkit-demo/run/model', port: 4173 });
 * console.log(`open ${server.url}`);
 * await server.close();
 * ```
 */
export async function serveDemo(options: ServeDemoOptions): Promise<DemoServer> {
  const modelDir = await resolveModelFolder(options.modelDir);
  const built = await stat(join(PAGE_DIR, 'index.html')).then((s) => s.isFile(), () => false);
  if (!built) {
    throw new CnnkitError('DEMO_NOT_BUILT', `demo: the page is not built (no ${join(PAGE_DIR, 'index.html')}); run "pnpm --filter @cnnkit/demo build" first`);
  }
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if ((req.url ?? '/').split('?')[0] === ACCURACY_PATH) {
      sendAccuracy(res, modelDir).catch((error: unknown) => res.writeHead(500).end(`${(error as Error).message}\n`));
      return;
    }
    const target = route(req.url ?? '/', modelDir);
    if (target === null) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('bad path\n');
      return;
    }
    sendFile(res, target.file, target.cache).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`${(error as Error).message}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new CnnkitError('PORT_IN_USE', `demo: port ${options.port ?? 4173} on ${host} is in use; choose another with --port`) : error),
    );
    server.listen(options.port ?? 4173, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    modelDir,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
