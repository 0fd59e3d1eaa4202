#!/usr/bin/env node
// `pnpm mutate [module ...] [--force]`: StrykerJS mutation testing of the modules where
// a wrong number ships silently (issue 17). Each module runs as its own Stryker run in
// its package (that package's vitest config, only the tests related to the mutated
// files, one test process at a time: the machines have 2 cores), incrementally, so a
// rerun only tests the mutants whose code or tests changed. `--force` retests all.
// Prints one score per module and exits 1 when any is below MIN_SCORE.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const stryker = join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
const vitestRunner = createRequire(join(root, 'package.json')).resolve('@stryker-mutator/vitest-runner');

/** The score every module must keep (CONTRIBUTING.md). */
export const MIN_SCORE = 80;

/**
 * Module name -> package folder and the source files Stryker mutates (globs relative
 * to the package), and the test files that must kill its mutants (globs; vitest
 * skips one that matches nothing). Tests are never mutated.
 */
export const MODULES = {
  'layers/losses': { dir: 'packages/layers', mutate: ['src/losses/losses.ts'], tests: ['src/losses/losses.test.ts', 'src/layers/gradient-check.test.ts'] },
  'layers/metrics': { dir: 'packages/layers', mutate: ['src/metrics/metrics.ts'], tests: ['src/metrics/metrics.test.ts'] },
  'layers/optimizers': {
    dir: 'packages/layers',
    mutate: ['src/optimizers/*.ts', '!src/optimizers/*.test.ts'],
    tests: ['src/optimizers/*.test.ts'],
  },
  // ProgressLogger is left out: it formats text for a terminal, no number it prints feeds training.
  'layers/callbacks': {
    dir: 'packages/layers',
    mutate: ['src/callbacks/*.ts', '!src/callbacks/*.test.ts', '!src/callbacks/progress-logger.ts'],
    tests: ['src/callbacks/*.test.ts', 'src/io/checkpoint.test.ts'],
  },
  'layers/shape': {
    dir: 'packages/layers',
    mutate: ['src/utils/shape.ts'],
    tests: ['src/utils/shape.test.ts', 'src/layers/conv2d.test.ts', 'src/layers/conv2d-transpose.test.ts', 'src/layers/max-pooling2d.test.ts', 'src/models/summary.test.ts'],
  },
  'augment/transforms': {
    dir: 'packages/augment',
    mutate: [
      'src/affine.ts',
      'src/image-transform.ts',
      'src/random-rotation.ts',
      'src/random-zoom.ts',
      'src/random-translation.ts',
      'src/random-flip.ts',
      'src/random-crop.ts',
      'src/center-crop.ts',
      'src/random-brightness.ts',
      'src/random-contrast.ts',
    ],
    tests: ['src/random-*.test.ts', 'src/center-crop.test.ts', 'src/transform-from-config.test.ts', 'src/*-non-square.test.ts'],
  },
  'augment/sampler': {
    dir: 'packages/augment',
    mutate: ['src/sample-projective.ts', 'src/sample-arrays.ts'],
    tests: ['src/sample-projective*.test.ts', 'src/sample-arrays.test.ts', 'src/tfjs-transform-defects.test.ts'],
  },
  'data/split': { dir: 'packages/data', mutate: ['src/split.ts'], tests: ['src/split.test.ts', 'src/image-dataset.test.ts'] },
  'data/labels': { dir: 'packages/data', mutate: ['src/labels.ts'], tests: ['src/labels.test.ts', 'src/image-dataset.test.ts'] },
  'data/resize': {
    dir: 'packages/data',
    mutate: ['src/resize-image.ts', 'src/resize-pixels.ts'],
    tests: ['src/resize-image.test.ts', 'src/resize-pixels.test.ts', 'src/resize-edges.test.ts'],
  },
  'tensor-core/rng': { dir: 'packages/tensor-core', mutate: ['src/rng.ts'], tests: ['src/rng*.test.ts'] },
  'tensor-core/select-backend': { dir: 'packages/tensor-core', mutate: ['src/select-backend.ts'], tests: ['src/select-backend*.test.ts'] },
  'export/emitters': { dir: 'packages/export', mutate: ['src/emit-*.ts', 'src/emitters.ts', '!src/*.test.ts'], tests: ['src/emit*.test.ts'] },
};

const slug = (name) => name.replace(/[^a-z0-9]+/gi, '-');

function strykerConfig(name, module) {
  const reports = `reports/mutation/${slug(name)}`;
  return {
    $schema: '../../node_modules/@stryker-mutator/core/schema/stryker-schema.json',
    testRunner: 'vitest',
    // By path: Stryker looks for plugins under the package's own node_modules, and
    // pnpm installs Stryker at the root only.
    plugins: [vitestRunner],
    vitest: { configFile: join(root, 'tooling', 'mutate.vitest.config.mjs'), related: false },
    mutate: module.mutate,
    coverageAnalysis: 'perTest',
    concurrency: 1,
    incremental: true,
    incrementalFile: `${reports}/incremental.json`,
    reporters: ['clear-text', 'json'],
    jsonReporter: { fileName: `${reports}/report.json` },
    clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
    thresholds: { high: 90, low: MIN_SCORE, break: null },
    tempDirName: `.stryker-tmp/${slug(name)}`,
    cleanTempDir: true,
    // tfjs kernels make single tests take seconds; a hung mutant (an endless loop) still times out.
    timeoutFactor: 3,
    timeoutMS: 20000,
    logLevel: 'info',
  };
}

/** Killed (or timed out) over all mutants that ran or lacked coverage, as Stryker counts it. */
export function score(report) {
  const counts = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0 };
  const survivors = [];
  for (const [file, { mutants, source }] of Object.entries(report.files)) {
    for (const m of mutants) {
      if (m.status in counts) counts[m.status]++;
      else counts.other++;
      if (m.status === 'Survived' || m.status === 'NoCoverage') {
        const lines = source.split('\n');
        const { start } = m.location;
        survivors.push(`${m.status} ${file}:${start.line}:${start.column} ${m.mutatorName}: ${lines[start.line - 1].trim().slice(0, 100)} -> ${JSON.stringify(m.replacement ?? '')}`);
      }
    }
  }
  const detected = counts.Killed + counts.Timeout;
  const valid = detected + counts.Survived + counts.NoCoverage;
  return { ...counts, score: valid === 0 ? 100 : (100 * detected) / valid, survivors };
}

function main(argv) {
  const force = argv.includes('--force');
  const showSurvivors = argv.includes('--survivors');
  const asked = argv.filter((a) => !a.startsWith('--'));
  const unknown = asked.filter((a) => !(a in MODULES));
  if (unknown.length > 0) {
    console.error(`mutate: unknown module ${unknown.join(', ')}; available: ${Object.keys(MODULES).join(', ')}`);
    process.exit(1);
  }
  const names = asked.length > 0 ? asked : Object.keys(MODULES);
  const rows = [];
  for (const name of names) {
    const module = MODULES[name];
    const cwd = join(root, module.dir);
    const config = strykerConfig(name, module);
    mkdirSync(join(cwd, 'reports', 'mutation', slug(name)), { recursive: true });
    const configFile = join(cwd, 'reports', 'mutation', slug(name), 'stryker.config.json');
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    console.error(`\n=== mutate ${name} (${module.dir}: ${module.mutate.join(' ')}) ===`);
    const started = Date.now();
    const args = [stryker, 'run', configFile, ...(force ? ['--force'] : [])];
    const env = { ...process.env, CNNKIT_MUTATE_TESTS: module.tests.join(',') };
    const run = spawnSync(process.execPath, args, { cwd, stdio: 'inherit', env });
    const seconds = (Date.now() - started) / 1000;
    const reportFile = join(cwd, config.jsonReporter.fileName);
    if (run.status !== 0 || !existsSync(reportFile)) {
      rows.push({ name, error: `stryker exited ${run.status}`, seconds });
      continue;
    }
    rows.push({ name, seconds, ...score(JSON.parse(readFileSync(reportFile, 'utf8'))) });
  }
  console.log('\nmodule                        score  killed timeout survived nocov   time');
  for (const r of rows) {
    if (r.error) {
      console.log(`${r.name.padEnd(28)}  ${'ERROR'.padStart(6)}  ${r.error}`);
      continue;
    }
    const flag = r.score < MIN_SCORE ? '  < ' + MIN_SCORE : '';
    console.log(
      `${r.name.padEnd(28)} ${r.score.toFixed(1).padStart(6)} ${String(r.Killed).padStart(7)} ${String(r.Timeout).padStart(7)} ${String(r.Survived).padStart(8)} ${String(r.NoCoverage).padStart(5)} ${(r.seconds.toFixed(0) + 's').padStart(6)}${flag}`,
    );
    if (showSurvivors) for (const s of r.survivors) console.log(`    ${s}`);
  }
  const failed = rows.filter((r) => r.error || r.score < MIN_SCORE);
  process.exit(failed.length > 0 ? 1 : 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
