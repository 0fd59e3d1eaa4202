import { describe, expect, it } from 'vitest';
import { checkCheckpointPath, formatCheckpointPath } from './checkpoint-path.js';
import { ModelCheckpoint } from './model-checkpoint.js';

describe('formatCheckpointPath (Keras ModelCheckpoint paths)', () => {
  // Expected strings are Python 3's str.format of the same field and value.
  it.each([
    ['save_at_{epoch}.keras', 12, {}, 'save_at_12.keras'],
    ['epoch-{epoch:03d}', 7, {}, 'epoch-007'],
    ['epoch-{epoch:d}', 1000, {}, 'epoch-1000'],
    ['e{epoch:5d}', 7, {}, 'e    7'],
    ['m-{epoch:02d}-{val_loss:.2f}', 3, { val_loss: 0.31415 }, 'm-03-0.31'],
    ['{loss:.3e}', 1, { loss: 0.0015 }, '1.500e-03'],
    ['{loss:e}', 1, { loss: 123456.789 }, '1.234568e+05'],
    ['{loss:08.3f}', 1, { loss: -1.5 }, '-001.500'],
    ['{val_accuracy:.3}', 1, { val_accuracy: 0.0123456 }, '0.0123'],
    ['{epoch:03d}/{epoch}', 9, {}, '009/9'],
  ])('%s at epoch %d', (template, epoch, logs, expected) => {
    expect(formatCheckpointPath(template, epoch, logs as Record<string, number>)).toBe(expected);
  });

  it('names a log key that is not there, with what is', () => {
    expect(() => formatCheckpointPath('m-{val_los:.2f}', 2, { loss: 1, val_loss: 2 })).toThrow(
      'ModelCheckpoint: path "m-{val_los:.2f}" names {val_los}, which is not in the logs of epoch 2; available: epoch, loss, val_loss',
    );
  });

  it.each(['run/{epoch', 'run/{}', 'run/{epoch:x}', 'run/{epoch:03.2d}', 'run/{1epoch}'])('refuses %s when the callback is made', (path) => {
    expect(() => checkCheckpointPath(path, 'ModelCheckpoint')).toThrow(/^ModelCheckpoint: /);
    expect(() => new ModelCheckpoint({ path })).toThrow(/^ModelCheckpoint: "?.*path/);
  });
});
