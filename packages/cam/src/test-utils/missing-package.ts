import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';

/** What Node itself throws when `name` is imported where it is not installed (a scratch folder). */
export function nodeMissingPackageError(name: string): Error {
  const script = `try { await import(${JSON.stringify(name)}); } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: tmpdir(), encoding: 'utf8' });
  const { code, message } = JSON.parse(out) as { code: string; message: string };
  return Object.assign(new Error(message), { code });
}
