/**
 * Typed errors. Each names the operation, what was expected, what came in and,
 * where it helps, what is available or how to fix it — so a CLI can print the
 * message as one line and a program can branch on `code`.
 */

/** Every error cnnkit throws on purpose. `code` is stable; the message is for people. */
export class CnnkitError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A backend name that no registered plugin carries. */
export class UnknownBackendError extends CnnkitError {
  readonly requested: string;
  readonly known: readonly string[];
  constructor(requested: string, known: readonly string[], source: string) {
    super(
      'UNKNOWN_BACKEND',
      `backend selection: unknown backend "${requested}" (from ${source}); expected one of: ${[...known, 'auto'].join(', ')}`,
    );
    this.requested = requested;
    this.known = known;
  }
}

/** A known backend that cannot run here, with the reason and how to fix it. */
export class BackendUnavailableError extends CnnkitError {
  readonly backend: string;
  readonly reason: string;
  readonly fix: string;
  constructor(backend: string, reason: string, fix: string, options?: { cause?: unknown }) {
    super('BACKEND_UNAVAILABLE', `backend "${backend}" is not available: ${reason}. ${fix}`, options);
    this.backend = backend;
    this.reason = reason;
    this.fix = fix;
  }
}

/** A backend that is available but cannot do the task asked of it (e.g. training). */
export class BackendCapabilityError extends CnnkitError {
  constructor(backend: string, task: string, capable: readonly string[]) {
    super(
      'BACKEND_CANNOT_DO_TASK',
      `backend "${backend}" cannot ${task === 'train' ? 'train' : 'run inference'}; backends that can: ${capable.length > 0 ? capable.join(', ') : 'none registered'}`,
    );
  }
}

/** A tensor whose shape does not fit the operation. */
export class ShapeError extends CnnkitError {
  constructor(message: string) {
    super('SHAPE', message);
  }
}

/** A tensor whose dtype does not fit the operation. */
export class DTypeError extends CnnkitError {
  constructor(message: string) {
    super('DTYPE', message);
  }
}
