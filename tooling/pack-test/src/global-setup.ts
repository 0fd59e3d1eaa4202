import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { installLines } from './install-lines.js';
import { EXCLUDED_INSTALL_LINES } from './excluded.js';
import { packPackages, publishablePackages, runInstallLines } from './scratch-project.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The scratch project made by the README's install lines from the packed packages. */
    scratch: string;
    /** Package name -> its tarball. */
    tarballs: Record<string, string>;
    installSeconds: { command: string; seconds: number }[];
  }
}

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let base = '';

/**
 * One pack and one install for every test file: installing onnxruntime-node alone
 * unpacks ~290 MB, too much to repeat per file on a 2-core machine.
 */
export async function setup(project: TestProject): Promise<void> {
  base = await mkdtemp(join(tmpdir(), 'cnnkit-pack-'));
  const tarballs = await packPackages(await publishablePackages(ROOT), join(base, 'tarballs'));
  const lines = installLines(await readFile(join(ROOT, 'README.md'), 'utf8')).filter((l) => !EXCLUDED_INSTALL_LINES.has(l.command));
  const scratch = join(base, 'app');
  const installSeconds = await runInstallLines(scratch, lines, tarballs);
  project.provide('scratch', scratch);
  project.provide('tarballs', Object.fromEntries(tarballs));
  project.provide('installSeconds', installSeconds);
}

export async function teardown(): Promise<void> {
  // CNNKIT_KEEP_SCRATCH=1 leaves the folder for a look at what the snippets wrote.
  if (base !== '' && process.env.CNNKIT_KEEP_SCRATCH !== '1') await rm(base, { recursive: true, force: true });
  else if (base !== '') console.log(`pack-test: scratch kept in ${base}`);
}
