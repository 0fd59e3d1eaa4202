import { CnnkitError } from '@cnnkit/tensor-core';

/**
 * Reads and validates a layer's (or optimizer's) arguments. The same checks run
 * for arguments written in TypeScript and for configs read from a JSON file, so a
 * typo in `model.json` gets the same clear message as one in code. Unknown keys
 * are rejected by `done()`, with the list of known ones.
 */
export class ConfigReader {
  readonly #owner: string;
  readonly #args: Record<string, unknown>;
  readonly #seen = new Set<string>();

  constructor(owner: string, args: unknown) {
    this.#owner = owner;
    if (args === null || typeof args !== 'object' || Array.isArray(args)) {
      throw this.error(`expected an object of arguments, received ${describe(args)}`);
    }
    this.#args = args as Record<string, unknown>;
  }

  error(message: string): CnnkitError {
    return new CnnkitError('INVALID_CONFIG', `${this.#owner}: ${message}`);
  }

  #get(key: string): unknown {
    this.#seen.add(key);
    return this.#args[key];
  }

  has(key: string): boolean {
    return this.#args[key] !== undefined && this.#args[key] !== null;
  }

  number(key: string, fallback?: number, check?: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean }): number {
    const v = this.#get(key);
    if (v === undefined || v === null) {
      if (fallback === undefined) throw this.error(`expected "${key}" (a number), it is missing`);
      return fallback;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) throw this.error(`expected "${key}" to be a finite number, received ${describe(v)}`);
    if (check?.min !== undefined && (check.minExclusive ? v <= check.min : v < check.min)) {
      throw this.error(`expected "${key}" ${check.minExclusive ? '>' : '>='} ${check.min}, received ${v}`);
    }
    if (check?.max !== undefined && (check.maxExclusive ? v >= check.max : v > check.max)) {
      throw this.error(`expected "${key}" ${check.maxExclusive ? '<' : '<='} ${check.max}, received ${v}`);
    }
    return v;
  }

  optionalNumber(key: string): number | undefined {
    return this.has(key) ? this.number(key) : (this.#get(key), undefined);
  }

  positiveInt(key: string, fallback?: number): number {
    const v = this.number(key, fallback);
    if (!Number.isInteger(v) || v < 1) throw this.error(`expected "${key}" to be a positive integer, received ${v}`);
    return v;
  }

  /** An integer or a pair of integers, each >= 1 (kernel sizes, strides, dilations). */
  pair(key: string, fallback?: number | [number, number]): [number, number] {
    const v = this.#get(key) ?? fallback;
    if (v === undefined) throw this.error(`expected "${key}" (an integer or a pair of integers), it is missing`);
    const p = typeof v === 'number' ? [v, v] : v;
    if (!Array.isArray(p) || p.length !== 2 || p.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 1)) {
      throw this.error(`expected "${key}" to be a positive integer or a pair of positive integers, received ${describe(v)}`);
    }
    return [p[0] as number, p[1] as number];
  }

  optionalPair(key: string): [number, number] | null {
    return this.has(key) ? this.pair(key) : (this.#get(key), null);
  }

  boolean(key: string, fallback: boolean): boolean {
    const v = this.#get(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') throw this.error(`expected "${key}" to be true or false, received ${describe(v)}`);
    return v;
  }

  string(key: string, fallback?: string): string {
    const v = this.#get(key);
    if (v === undefined || v === null) {
      if (fallback === undefined) throw this.error(`expected "${key}" (a string), it is missing`);
      return fallback;
    }
    if (typeof v !== 'string') throw this.error(`expected "${key}" to be a string, received ${describe(v)}`);
    return v;
  }

  optionalString(key: string): string | undefined {
    return this.has(key) ? this.string(key) : (this.#get(key), undefined);
  }

  oneOf<T extends string>(key: string, options: readonly T[], fallback?: T): T {
    const v = this.string(key, fallback);
    if (!(options as readonly string[]).includes(v)) {
      throw this.error(`expected "${key}" to be one of ${options.map((o) => `"${o}"`).join(', ')}, received "${v}"`);
    }
    return v as T;
  }

  /** A list of positive integers or nulls (shapes). */
  shape(key: string, allowNull = true): (number | null)[] {
    const v = this.#get(key);
    if (!Array.isArray(v) || v.some((d) => !((allowNull && d === null) || (typeof d === 'number' && Number.isInteger(d) && d >= 1)))) {
      throw this.error(`expected "${key}" to be a list of positive integers${allowNull ? ' or null' : ''}, received ${describe(v)}`);
    }
    return v as (number | null)[];
  }

  integer(key: string, fallback: number): number {
    const v = this.number(key, fallback);
    if (!Number.isInteger(v)) throw this.error(`expected "${key}" to be an integer, received ${v}`);
    return v;
  }

  raw(key: string): unknown {
    return this.#get(key);
  }

  /** Rejects keys nobody read: they are typos or options this layer does not have. */
  done(): void {
    const unknown = Object.keys(this.#args).filter((k) => !this.#seen.has(k) && this.#args[k] !== undefined);
    if (unknown.length > 0) {
      throw this.error(`unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; available: ${[...this.#seen].join(', ')}`);
    }
  }
}

export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return `"${v}"`;
  try {
    const text = JSON.stringify(v);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return typeof v;
  }
}
