import { CnnkitError } from '@cnnkit/tensor-core';
import type { Logs } from './callback.js';

/**
 * One `{name}` or `{name:spec}` field of a checkpoint path, with the part of Python's
 * format-spec mini-language Keras users write: `{epoch}`, `{epoch:03d}`, `{val_loss:.2f}`,
 * `{accuracy:.3e}`. Anything else in braces is refused when the callback is made, not
 * after the first epoch's work.
 */
const FIELD = /\{([A-Za-z_][A-Za-z0-9_]*)(?::(0?)(\d*)(?:\.(\d+))?([dfe]?))?\}/g;

interface Field {
  name: string;
  zero: boolean;
  width: number;
  precision: number | null;
  type: '' | 'd' | 'f' | 'e';
}

function parseFields(template: string, operation: string): Field[] {
  const fields: Field[] = [];
  for (const m of template.matchAll(FIELD)) {
    const [, name, zero, width, precision, type] = m;
    const field: Field = { name, zero: zero === '0', width: width === '' ? 0 : Number(width), precision: precision === undefined ? null : Number(precision), type: (type ?? '') as Field['type'] };
    if (field.type === 'd' && field.precision !== null) {
      throw new CnnkitError('INVALID_ARGUMENT', `${operation}: "${m[0]}" in path "${template}": an integer field takes no precision; expected e.g. {epoch:03d}`);
    }
    fields.push(field);
  }
  const rest = template.replace(FIELD, '');
  if (/[{}]/.test(rest)) {
    throw new CnnkitError(
      'INVALID_ARGUMENT',
      `${operation}: path "${template}" has a brace that is not a field; expected {epoch}, {epoch:03d} or a log key such as {val_loss:.2f}`,
    );
  }
  return fields;
}

function formatField(field: Field, value: number): string {
  let text: string;
  switch (field.type) {
    case 'd':
      text = String(Math.trunc(value));
      break;
    case 'f':
      text = value.toFixed(field.precision ?? 6);
      break;
    case 'e':
      // Python writes at least two exponent digits (1.5e-03); JavaScript writes one.
      text = value.toExponential(field.precision ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
      break;
    case '':
      text = field.precision === null ? String(value) : value.toPrecision(field.precision);
      break;
    default: {
      const never: never = field.type;
      throw new CnnkitError('INVALID_ARGUMENT', `checkpoint path: unknown format type ${String(never)}`);
    }
  }
  if (text.length >= field.width) return text;
  if (!field.zero) return text.padStart(field.width, ' ');
  const sign = text.startsWith('-') ? '-' : '';
  return sign + text.slice(sign.length).padStart(field.width - sign.length, '0');
}

/**
 * Checks a ModelCheckpoint path template; throws the one-line error a user sees.
 *
 * @example
 * ```ts
 * checkCheckpointPath('run/save_at_{epoch}', 'ModelCheckpoint');
 * ```
 */
export function checkCheckpointPath(template: string, operation: string): void {
  parseFields(template, operation);
}

/**
 * Keras's `ModelCheckpoint` file path: `{epoch}` is the completed epoch count (1, 2, ...),
 * `{epoch:03d}` pads it (001), and any key of the epoch's logs can be written the same
 * way (`{val_loss:.2f}`).
 *
 * @example
 * ```ts
 * formatCheckpointPath('run/epoch-{epoch:03d}-{val_loss:.2f}', 7, { val_loss: 0.31415 }); // "run/epoch-007-0.31"
 * ```
 */
export function formatCheckpointPath(template: string, epoch: number, logs: Logs): string {
  const fields = parseFields(template, 'ModelCheckpoint');
  let i = 0;
  return template.replace(FIELD, () => {
    const field = fields[i++];
    const value = field.name === 'epoch' ? epoch : logs[field.name];
    if (value === undefined) {
      throw new CnnkitError(
        'UNKNOWN_MONITOR',
        `ModelCheckpoint: path "${template}" names {${field.name}}, which is not in the logs of epoch ${epoch}; available: epoch, ${Object.keys(logs).join(', ')}`,
      );
    }
    return formatField(field, value);
  });
}
