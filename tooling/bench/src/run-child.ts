import { spawn } from 'node:child_process';

export interface ChildOutput {
  code: number | null;
  /** Every stdout line that parsed as a JSON object. */
  records: Record<string, unknown>[];
  /** Last lines of stderr, for the reason when the child fails. */
  stderrTail: string;
}

/**
 * Runs a peer in its own process (its own tfjs engine or Python interpreter, so nothing
 * registered for cnnkit leaks into the peer) and collects the JSON lines it prints.
 * Never rejects for a failing child: the caller turns the exit code and stderr into a row.
 */
export function runChild(command: string, args: readonly string[], timeoutMs: number): Promise<ChildOutput> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const timer = setTimeout(() => {
      stderr += `\ntimed out after ${Math.round(timeoutMs / 1000)} s`;
      child.kill('SIGKILL');
    }, timeoutMs);
    const finish = (code: number | null) => {
      clearTimeout(timer);
      const records: Record<string, unknown>[] = [];
      for (const line of stdout.split('\n')) {
        const trimmed = line.trim();
        if (!trimmed.startsWith('{')) continue;
        try {
          records.push(JSON.parse(trimmed) as Record<string, unknown>);
        } catch {
          // A log line that happens to start with "{": not a record.
        }
      }
      resolve({ code, records, stderrTail: stderr.trim().split('\n').slice(-3).join(' | ') });
    };
    child.on('error', (error) => {
      stderr += `\n${error.message}`;
      finish(null);
    });
    child.on('close', finish);
  });
}
