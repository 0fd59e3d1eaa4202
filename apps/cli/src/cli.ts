import { writeFile } from 'node:fs/promises';
import { BACKEND_NAMES, CnnkitError, type BackendName } from '@cnnkit/tensor-core';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { formatBackends, listBackends } from './commands/backends.js';
import { formatBench, runBench } from './commands/bench.js';

/** An error the user can fix: printed as one line, exit code 1, no stack trace. */
export class UserError extends Error {}

function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${flag} expects a positive integer, received "${value}"`);
    return n;
  };
}

function backendList(value: string): BackendName[] {
  const names = value.split(',').map((s) => s.trim());
  for (const n of names) {
    if (!(BACKEND_NAMES as readonly string[]).includes(n)) {
      throw new InvalidArgumentError(`unknown backend "${n}"; expected one of: ${BACKEND_NAMES.join(', ')}`);
    }
  }
  return names as BackendName[];
}

function buildProgram(out: (text: string) => void, err: (text: string) => void): Command {
  const program = new Command('cnnkit')
    .description('Build, train, explain and export convolutional neural networks from TypeScript.')
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: err, outputError: () => {} });

  program
    .command('backends')
    .description('list every compute backend: available or not (and why), device, threads, training support, version')
    .option('--json', 'print one JSON document on stdout')
    .action(async (opts: { json?: boolean }) => {
      const rows = await listBackends();
      out(opts.json ? `${JSON.stringify(rows, null, 2)}\n` : `${formatBackends(rows)}\n`);
    });

  program
    .command('bench')
    .description('training and inference images/s of a small 4-conv CNN on every available backend, in one run')
    .option('--size <px>', 'image size', positiveInt('--size'), 32)
    .option('--batch-size <n>', 'batch size', positiveInt('--batch-size'), 8)
    .option('--repeats <n>', 'timed repeats (the median is reported)', positiveInt('--repeats'), 3)
    .option('--backends <list>', `comma-separated subset of ${BACKEND_NAMES.join(',')}`, backendList)
    .option('--json', 'print one JSON document on stdout')
    .option('--out <file>', 'also write the JSON to this file')
    .action(async (opts: { size: number; batchSize: number; repeats: number; backends?: BackendName[]; json?: boolean; out?: string }) => {
      const results = await runBench({
        size: opts.size, batch: opts.batchSize, repeats: opts.repeats, backends: opts.backends, log: (l) => err(`${l}\n`),
      });
      const doc = JSON.stringify({ results }, null, 2);
      if (opts.out) {
        try {
          await writeFile(opts.out, `${doc}\n`);
        } catch (e) {
          throw new UserError(`bench: cannot write --out "${opts.out}": ${(e as NodeJS.ErrnoException).code ?? String(e)}; choose a writable path`);
        }
      }
      out(opts.json ? `${doc}\n` : `${formatBench(results)}\n`);
    });

  return program;
}

/**
 * Runs the CLI on `argv` (without the node and script entries) and returns the exit
 * code: 0 on success, 1 on a user error (one line on stderr), 2 on a bug.
 */
export async function main(
  argv: string[],
  io: { out: (t: string) => void; err: (t: string) => void } = {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  },
): Promise<number> {
  const program = buildProgram(io.out, io.err);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0; // --help, --version
      io.err(`cnnkit: ${error.message.replace(/^error: /, '')}\n`);
      return 1;
    }
    if (error instanceof UserError || error instanceof CnnkitError) {
      io.err(`cnnkit: ${error.message}\n`);
      return 1;
    }
    io.err(`cnnkit: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  }
}
