import { UserError } from './user-error.js';

/** The command stopped on SIGINT or SIGTERM: one line, and the shell's exit code for that signal (130, 143). */
export class Interrupted extends UserError {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
