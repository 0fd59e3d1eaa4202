import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { InstallLine } from './install-lines.js';

const exec = promisify(execFile);

export interface WorkspacePackage {
  name: string;
  dir: string;
  /** dependencies and peerDependencies that are not optional */
  requires: string[];
}

/** The publishable library packages: every packages/* folder whose package.json is not private. */
export async function publishablePackages(root: string): Promise<WorkspacePackage[]> {
  const out: WorkspacePackage[] = [];
  for (const folder of (await readdir(join(root, 'packages'))).sort()) {
    const dir = join(root, 'packages', folder);
    const json = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      private?: boolean;
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    };
    if (json.private === true) continue;
    const peers = Object.keys(json.peerDependencies ?? {}).filter((p) => json.peerDependenciesMeta?.[p]?.optional !== true);
    out.push({ name: json.name, dir, requires: [...Object.keys(json.dependencies ?? {}), ...peers] });
  }
  return out;
}

/** Packs each package with pnpm (which rewrites workspace:* to versions, as publishing does); name -> tarball. */
export async function packPackages(packages: readonly WorkspacePackage[], destination: string): Promise<Map<string, string>> {
  await mkdir(destination, { recursive: true });
  const tarballs = new Map<string, string>();
  // Two at a time: the machine has two cores, and pnpm's startup is most of a pack.
  for (let i = 0; i < packages.length; i += 2) {
    await Promise.all(packages.slice(i, i + 2).map(async (p) => {
      const { stdout } = await exec('pnpm', ['pack', '--json', '--pack-destination', destination], { cwd: p.dir });
      const filename = (JSON.parse(stdout) as { filename: string }).filename;
      tarballs.set(p.name, filename.startsWith('/') ? filename : join(destination, filename));
    }));
  }
  return tarballs;
}

/**
 * The environment a user's shell would give npm: without what pnpm and turbo set for
 * this test (npm_config_*, npm_package_*), and without an install-script switch the
 * README's command does not set itself.
 */
export function userEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined || /^(npm_|pnpm_|PNPM_|TURBO_|ONNXRUNTIME_NODE_INSTALL|CNNKIT_BACKEND$|INIT_CWD$)/.test(k)) continue;
    env[k] = v;
  }
  return env;
}

/** The command with each `@cnnkit/<name>` replaced by its tarball's path. */
export function withTarballs(command: string, tarballs: ReadonlyMap<string, string>): string {
  return command.replace(/@cnnkit\/[a-z0-9-]+(@[^\s]+)?/g, (spec) => {
    const name = spec.replace(/(@cnnkit\/[a-z0-9-]+).*/, '$1');
    const tarball = tarballs.get(name);
    if (tarball === undefined) throw new Error(`withTarballs: "${command}" names ${name}, expected one of the packed packages: ${[...tarballs.keys()].join(', ')}`);
    return tarball;
  });
}

/** Runs the README's install commands, in order, through sh in `dir` (created empty). */
export async function runInstallLines(dir: string, lines: readonly InstallLine[], tarballs: ReadonlyMap<string, string>): Promise<{ command: string; seconds: number }[]> {
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0) throw new Error(`runInstallLines: expected an empty folder, "${dir}" has files`);
  const times: { command: string; seconds: number }[] = [];
  for (const line of lines) {
    const command = withTarballs(line.command, tarballs);
    const start = Date.now();
    try {
      await exec('sh', ['-c', command], { cwd: dir, env: userEnv(), maxBuffer: 64 << 20 });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; message: string };
      throw new Error(`README install line "${line.command}" failed in ${dir}: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
    }
    times.push({ command: line.command, seconds: (Date.now() - start) / 1000 });
  }
  return times;
}

export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(path, JSON.stringify(value, null, 2) + '\n');
}
