import { constants } from 'node:os';

/** The shell's exit code for a process ended by `signal`: 128 + its number (SIGINT 130, SIGTERM 143). */
export function signalExitCode(signal: 'SIGINT' | 'SIGTERM'): number {
  return 128 + constants.signals[signal];
}

/**
 * Turns the first Ctrl-C (SIGINT) or SIGTERM into an abort of `signal`, so training
 * finishes its step and writes a checkpoint; a second one calls `atOnce` (which must
 * be synchronous: it runs just before the process exits) and exits without waiting.
 */
export function catchStopSignals(
  log: (line: string) => void,
  atOnce: () => void,
): { signal: AbortSignal; received(): 'SIGINT' | 'SIGTERM' | null; dispose(): void } {
  const controller = new AbortController();
  let received: 'SIGINT' | 'SIGTERM' | null = null;
  const handler = (name: 'SIGINT' | 'SIGTERM') => {
    if (received !== null) {
      log(`train: ${name} again: stopping at once; every checkpoint under its final name is complete`);
      atOnce();
      process.exit(signalExitCode(name));
    }
    received = name;
    log(`train: ${name} received: finishing the step in progress and writing a checkpoint (${name === 'SIGINT' ? 'press Ctrl-C again' : 'send it again'} to stop at once)`);
    controller.abort();
  };
  const onInt = () => handler('SIGINT');
  const onTerm = () => handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    received: () => received,
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
