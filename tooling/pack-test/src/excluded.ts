/** Install lines of the README the test does not run, each with the reason. */
export const EXCLUDED_INSTALL_LINES: ReadonlyMap<string, string> = new Map([
  [
    'npm install @tensorflow/tfjs-node-gpu@4.22.0',
    'tfjs-node-gpu downloads libtensorflow from Google at install (no such network here) and serves only CUDA 11.2 + cuDNN 8.1 machines; the plugin line before it is run, and its block checks the "not installed" message',
  ],
]);

/** README code blocks the test does not run, keyed like the expectations, each with the reason. */
export const EXCLUDED_BLOCKS: ReadonlyMap<string, string> = new Map([
  [
    'apps/demo/README.md#Run it',
    '@cnnkit/demo is a private app (not published, so not installable with npm); its serveDemo is run by apps/demo\'s own end-to-end test in headless Chromium',
  ],
]);
