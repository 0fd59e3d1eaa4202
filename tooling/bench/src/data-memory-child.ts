/**
 * Child process for the data pipeline's memory measurement: `benchDataPipeline` over 5k
 * and 50k files in a fresh Node process, so the RSS it reports is the pipeline's and not
 * the wasm heap the training benchmarks grew earlier in the parent (wasm memory never
 * shrinks). Prints one JSON line: the list of rows.
 *
 * Usage: node data-memory-child.js '[5000, 50000]'
 */
import { benchDataPipeline } from '@cnnkit/data';

const counts = JSON.parse(process.argv[2] ?? '[5000, 50000]') as number[];
benchDataPipeline({ counts, log: (line) => process.stderr.write(`${line}\n`) })
  .then((rows) => process.stdout.write(`${JSON.stringify({ rows })}\n`))
  .catch((error: unknown) => {
    process.stderr.write(`${(error instanceof Error ? error.message : String(error)).split('\n')[0]}\n`);
    process.exit(1);
  });
