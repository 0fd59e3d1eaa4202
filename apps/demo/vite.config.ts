import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The tfjs wasm backend fetches its .wasm binary at run time from the URL prefix
 * given to setWasmPaths; Vite does not see that fetch, so the binaries are
 * emitted next to the page, under wasm/, from the installed package.
 */
function tfjsWasmBinaries(): Plugin {
  const require = createRequire(join(here, 'package.json'));
  const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  return {
    name: 'cnnkit-tfjs-wasm-binaries',
    apply: 'build',
    generateBundle() {
      for (const file of readdirSync(dist).filter((f) => f.endsWith('.wasm'))) {
        this.emitFile({ type: 'asset', fileName: `wasm/${file}`, source: readFileSync(join(dist, file)) });
      }
    },
  };
}

export default defineConfig({
  root: join(here, 'src/page'),
  // Relative URLs, so the page works under any path a server mounts it on.
  base: './',
  logLevel: 'warn',
  build: {
    outDir: join(here, 'dist/page'),
    emptyOutDir: true,
    target: 'es2022',
    // tfjs-core alone is ~1 MB minified; a warning about it would only be noise.
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      onwarn(warning, warn) {
        // @cnnkit/layers imports Node built-ins only inside save/load/checkpoint
        // functions, the data-parallel trainer (worker threads) and its terminal
        // progress bar (cli-progress), all loaded on demand and never called by the
        // page; Vite's note that it replaced them with empty modules for the browser is expected
        // here, anything else is shown.
        // @cnnkit/backend-webgpu loads Dawn and its probe process (Node built-ins) only in
        // Node; in a page it uses navigator.gpu.
        const expected = /externalized for browser compatibility, imported by ".*(packages\/layers\/dist\/(io\/|data-parallel-trainer)|packages\/backend-webgpu\/dist\/(dawn|probe-adapter)|cli-progress)/;
        if (expected.test(warning.message)) return;
        warn(warning);
      },
    },
  },
  plugins: [tfjsWasmBinaries()],
});
