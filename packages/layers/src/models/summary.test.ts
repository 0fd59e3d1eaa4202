import { beforeAll, describe, expect, it } from 'vitest';
import { Add } from '../layers/add.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { Input } from '../layers/input-layer.js';
import { Model } from './model.js';
import { Dropout } from '../layers/dropout.js';
import { BatchNormalization } from '../layers/batch-normalization.js';
import { seedCnn } from './seed-cnn.js';
import { Sequential } from './sequential.js';
import { formatBytes, formatCount } from './summary.js';
import { useTestBackend } from '../test-utils/setup.js';

beforeAll(useTestBackend);

describe('summary()', () => {
  it('prints the Keras table for the tutorial model at 300x300x3: 97,569 parameters', () => {
    const model = seedCnn({ imageSize: [300, 300], numClasses: 2 });
    const lines: string[] = [];
    const text = model.summary((l) => lines.push(l));
    expect(lines.join('\n')).toBe(text);
    expect(text).toBe(
      [
        'Model: "sequential"',
        '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓',
        '┃ Layer (type)                                      ┃ Output Shape           ┃       Param # ┃',
        '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩',
        '│ rescaling (Rescaling)                             │ (None, 300, 300, 3)    │             0 │',
        '├───────────────────────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ conv2d (Conv2D)                                   │ (None, 300, 300, 16)   │           448 │',
        '├───────────────────────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ max_pooling2d (MaxPooling2D)                      │ (None, 150, 150, 16)   │             0 │',
        '├───────────────────────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ conv2d_1 (Conv2D)                                 │ (None, 150, 150, 32)   │         4,640 │',
        '├───────────────────────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ max_pooling2d_1 (MaxPooling2D)                    │ (None, 75, 75, 32)     │             0 │',
        '├───────────────────────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ conv2d_2 (Conv2D)                                 │ (None, 75, 75, 64)     │        18,496 │',
        '├───────────────────────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ max_pooling2d_2 (MaxPooling2D)                    │ (None, 37, 37, 64)     │             0 │',
        '├───────────────────────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ conv2d_3 (Conv2D)                                 │ (None, 37, 37, 128)    │        73,856 │',
        '├───────────────────────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ max_pooling2d_3 (MaxPooling2D)                    │ (None, 18, 18, 128)    │             0 │',
        '├───────────────────────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ global_average_pooling2d (GlobalAveragePooling2D) │ (None, 128)            │             0 │',
        '├───────────────────────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ dense (Dense)                                     │ (None, 1)              │           129 │',
        '└───────────────────────────────────────────────────┴────────────────────────┴───────────────┘',
        ' Total params: 97,569 (381.13 KB)',
        ' Trainable params: 97,569 (381.13 KB)',
        ' Non-trainable params: 0 (0.00 B)',
      ].join('\n'),
    );
    expect(model.countParams()).toEqual({ total: 97_569, trainable: 97_569, nonTrainable: 0 });
  });

  it('counts non-trainable weights (frozen layers, BatchNormalization statistics)', () => {
    const frozen = new Dense({ units: 4, trainable: false });
    const model = new Sequential({ inputShape: [3], layers: [new BatchNormalization(), frozen, new Dropout({ rate: 0.5 }), new Dense({ units: 1 })] });
    const text = model.summary();
    // BN: gamma, beta (3+3 trainable) + moving mean/variance (6); frozen dense 16; last dense 5.
    expect(text).toContain(' Total params: 33 (132.00 B)');
    expect(text).toContain(' Trainable params: 11 (44.00 B)');
    expect(text).toContain(' Non-trainable params: 22 (88.00 B)');
    expect(text).toMatch(/│ dropout \(Dropout\) +│ \(None, 4\) +│ +0 │/);
  });

  it('adds a "Connected to" column for functional models and lists the input layer', () => {
    const x = Input({ shape: [8, 8, 3] });
    const a = new Conv2D({ filters: 4, kernelSize: 3, padding: 'same' }).apply(x);
    const b = new Conv2D({ filters: 4, kernelSize: 1 }).apply(x);
    const text = new Model({ inputs: x, outputs: new Add().apply([a, b]) }).summary();
    const rows = text.split('\n').filter((l) => l.startsWith('│')).map((l) => l.split('│').slice(1, -1).map((c) => c.trim()));
    expect(rows).toEqual([
      ['input_layer (InputLayer)', '(None, 8, 8, 3)', '0', '-'],
      ['conv2d (Conv2D)', '(None, 8, 8, 4)', '112', 'input_layer[0][0]'],
      ['conv2d_1 (Conv2D)', '(None, 8, 8, 4)', '16', 'input_layer[0][0]'],
      ['add (Add)', '(None, 8, 8, 4)', '0', 'conv2d[0][0], conv2d_1[0][0]'],
    ]);
    expect(text.split('\n')[2]).toMatch(/^┃ Layer \(type\) +┃ Output Shape +┃ +Param # ┃ Connected to +┃$/);
  });

  it('formats counts and sizes like Keras', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatBytes(0)).toBe('0.00 B');
    expect(formatBytes(390_276)).toBe('381.13 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.00 MB');
  });
});
