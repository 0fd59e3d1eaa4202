import { CnnkitError } from '@cnnkit/tensor-core';
import { describe, expect, it } from 'vitest';
import { checkTrainingState } from './training-state.js';

const good = {
  format: 'cnnkit-checkpoint',
  formatVersion: 1,
  epoch: 2,
  compile: { optimizer: { className: 'Adam', config: { learningRate: 0.01 } }, loss: { name: 'binary_crossentropy', fromLogits: false }, metrics: ['accuracy'] },
  optimizerState: { iterations: 8, learningRate: 0.01 },
  rng: { dropout: { s: [1, 2, 3, 4], spareNormal: null } },
  history: { loss: [0.7, 0.6], val_loss: [0.8, null] },
};
const without = (key: string) => Object.fromEntries(Object.entries(good).filter(([k]) => k !== key));

describe('checkTrainingState', () => {
  it('passes a good state through, a null in history (a NaN JSON wrote) becoming NaN', () => {
    const state = checkTrainingState(structuredClone(good), 's.json');
    expect(state.epoch).toBe(2);
    expect(state.history).toEqual({ loss: [0.7, 0.6], val_loss: [0.8, Number.NaN] });
  });

  it.each<[string, unknown, RegExp]>([
    ['not an object', [1], /^s\.json: expected "format": "cnnkit-checkpoint"$/],
    ['a newer format', { ...good, formatVersion: 3 }, /^s\.json: unsupported formatVersion 3; this cnnkit reads 1 to 2$/],
    ['progress for another epoch', { ...good, formatVersion: 2, progress: { epoch: 9, step: 1, lossSum: 0, seen: 1, metrics: [] } }, /^s\.json: (bad "progress"|"progress" is for epoch 9)/],
    ['a fractional epoch', { ...good, epoch: 1.5 }, /^s\.json: expected "epoch" a non-negative integer, received 1\.5$/],
    // Found by fuzzing main: these reached model.compile as a TypeError (exit code 2).
    ['no compile settings', without('compile'), /^s\.json: expected "compile" \{ optimizer, loss, metrics \}, received undefined$/],
    ['an optimizer that is a string', { ...good, compile: { ...good.compile, optimizer: 'adam' } }, /^s\.json: expected "compile\.optimizer" \{ className, config \}, received "adam"$/],
    ['metrics that are numbers', { ...good, compile: { ...good.compile, metrics: [-1] } }, /^s\.json: expected "compile\.metrics" a list of metric names, received \[-1\]$/],
    ['no optimizer state', without('optimizerState'), /^s\.json: expected "optimizerState" \{ iterations \(a non-negative integer\), learningRate \(a number\) \}, received undefined$/],
    ['an rng stream of the wrong form', { ...good, rng: { dropout: { s: [1, 2, 3] } } }, /^s\.json: bad "rng" state of "dropout": expected \{ s: four uint32 numbers/],
    ['history values that are not lists', { ...good, history: { loss: 5 } }, /^s\.json: expected "history\.loss" a list of numbers, received 5$/],
  ])('refuses %s, naming the file and the field', (_name, value, message) => {
    let error: unknown;
    try {
      checkTrainingState(value, 's.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CnnkitError);
    expect((error as CnnkitError).code).toBe('INVALID_CHECKPOINT');
    expect((error as Error).message).toMatch(message);
  });

  // Found by reading what fuzzing reached: a history key "__proto__" went into the run's history
  // object, where train's `values.length = epoch` then wrote Object.prototype.length.
  it('refuses a history key that reaches the prototype', () => {
    // Built here, not in the table: the table's values are copied, which drops an own "__proto__" key.
    const value = { ...good, history: JSON.parse('{"__proto__": [1]}') };
    expect(() => checkTrainingState(value, 's.json')).toThrow(/^s\.json: expected "history" keys to be metric names \(a letter, then letters, digits, "_"\), received "__proto__"$/);
  });
});
