import { describe, expect, it } from 'vitest';
import { Accuracy, Auc, PrecisionRecall, createMetric, labelKindFor, resolveMetricName } from './metrics.js';

describe('metrics', () => {
  it('binary, categorical and sparse accuracy (threshold 0.5)', () => {
    const b = new Accuracy('binary');
    b.update([1, 0, 1, 0], [0.6, 0.4, 0.5, 0.9], 1);
    expect(b.result()).toBe(0.5);
    const c = new Accuracy('categorical');
    c.update([0, 1, 1, 0], [0.3, 0.7, 0.4, 0.6], 2);
    expect(c.result()).toBe(0.5);
    const s = new Accuracy('sparse');
    s.update([2, 0], [0.1, 0.2, 0.7, 0.5, 0.3, 0.2], 3);
    expect(s.result()).toBe(1);
    s.update([1], [0.9, 0.05, 0.05], 3);
    expect(s.result()).toBeCloseTo(2 / 3, 12);
    s.reset();
    expect(s.result()).toBe(0);
  });
  it('precision and recall at 0.5', () => {
    const p = new PrecisionRecall('precision', 'binary');
    const r = new PrecisionRecall('recall', 'binary');
    // tp: 0.9/1, 0.8/1; fp: 0.7/0; fn: 0.2/1.
    for (const m of [p, r]) m.update([1, 1, 0, 1, 0], [0.9, 0.8, 0.7, 0.2, 0.1], 1);
    expect(p.result()).toBeCloseTo(2 / 3, 12);
    expect(r.result()).toBeCloseTo(2 / 3, 12);
  });
  // Asymmetric confusion counts (tp != fp != fn), counted by hand from the labels and
  // probabilities, so swapping precision's and recall's denominators changes the result.
  // Exact fractions: tolerance 1e-12.
  it.each([
    // binary: tp 0.9/1; fp 0.8/0; fn 0.2/1, 0.1/1 -> precision 1/2, recall 1/3
    { kind: 'binary', classes: 1, yTrue: [1, 1, 1, 0, 0], yPred: [0.9, 0.2, 0.1, 0.8, 0.3], weights: undefined, precision: 1 / 2, recall: 1 / 3 },
    // binary, weighted per example: tp 2; fp 3 + 0.5; fn 0 -> precision 2/5.5, recall 1
    { kind: 'binary', classes: 1, yTrue: [1, 0, 0, 0], yPred: [0.7, 0.6, 0.9, 0.4], weights: [2, 3, 0.5, 7], precision: 2 / 5.5, recall: 1 },
    // sparse, 3 classes, one-hot per value: example 0 label 2 predicts {2}: tp;
    // example 1 label 0 predicts {1}: 1 fp, 1 fn; example 2 label 1 predicts nothing: 1 fn.
    { kind: 'sparse', classes: 3, yTrue: [2, 0, 1], yPred: [0.1, 0.2, 0.7, 0.2, 0.6, 0.4, 0.4, 0.3, 0.3], weights: undefined, precision: 1 / 2, recall: 1 / 3 },
    // categorical, one-hot labels: example 0 label 2 predicts {2}: tp; example 1 label 0
    // predicts {1, 2}: 2 fp, 1 fn; example 2 label 2 predicts {2}: tp.
    { kind: 'categorical', classes: 3, yTrue: [0, 0, 1, 1, 0, 0, 0, 0, 1], yPred: [0.1, 0.2, 0.7, 0.2, 0.6, 0.9, 0.4, 0.3, 0.8], weights: undefined, precision: 2 / 4, recall: 2 / 3 },
  ] as const)('precision and recall differ on asymmetric counts ($kind, classes $classes)', ({ kind, classes, yTrue, yPred, weights, precision, recall }) => {
    const p = createMetric('precision', kind);
    const r = createMetric('recall', kind);
    for (const m of [p, r]) m.update(yTrue, yPred, classes, weights);
    expect(p.result()).toBeCloseTo(precision, 12);
    expect(r.result()).toBeCloseTo(recall, 12);
    // Streaming: a second identical batch keeps the ratios; reset empties the counts.
    for (const m of [p, r]) m.update(yTrue, yPred, classes, weights);
    expect(p.result()).toBeCloseTo(precision, 12);
    expect(r.result()).toBeCloseTo(recall, 12);
    p.reset();
    expect(p.result()).toBe(0);
  });
  it('AUC (ROC, 200 thresholds, interpolation) — the Keras documentation example gives 0.75', () => {
    const auc = new Auc('binary');
    auc.update([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], 1);
    expect(auc.result()).toBeCloseTo(0.75, 6);
    expect(auc.thresholds.length).toBe(200);
    expect(auc.thresholds[1]).toBeCloseTo(1 / 199, 15);
    const perfect = createMetric('auc', 'binary');
    perfect.update([0, 1, 0, 1], [0.1, 0.8, 0.3, 0.95], 1);
    expect(perfect.result()).toBeCloseTo(1, 6);
  });
  it('AUC agrees with the exact ROC area on random scores within the threshold resolution (tol 0.01)', () => {
    let s = 7;
    const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const labels = Array.from({ length: 400 }, () => (rand() < 0.5 ? 1 : 0));
    const scores = labels.map((y) => Math.min(1, Math.max(0, 0.3 * y + 0.7 * rand())));
    let pairs = 0;
    let wins = 0;
    labels.forEach((yi, i) => labels.forEach((yj, j) => {
      if (yi === 1 && yj === 0) {
        pairs++;
        wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
      }
    }));
    const auc = new Auc('binary');
    auc.update(labels, scores, 1);
    expect(Math.abs(auc.result() - wins / pairs)).toBeLessThan(0.01);
  });
});

describe('metric names and label kinds (Keras names and rules)', () => {
  it.each([
    ['accuracy', 'accuracy'],
    ['acc', 'accuracy'],
    ['precision', 'precision'],
    ['recall', 'recall'],
    ['auc', 'auc'],
  ] as const)('resolveMetricName(%s) = %s, and createMetric names it so', (name, resolved) => {
    expect(resolveMetricName(name)).toBe(resolved);
    const metric = createMetric(resolved, 'binary');
    expect(metric.name).toBe(resolved);
    expect(metric).toBeInstanceOf({ accuracy: Accuracy, precision: PrecisionRecall, recall: PrecisionRecall, auc: Auc }[resolved]);
  });
  it.each([['f1'], [null], [3]])('resolveMetricName(%j) names the choices', (name) => {
    expect(() => resolveMetricName(name)).toThrow(/^compile: unknown metric .*; available: accuracy, precision, recall, auc$/);
  });
  it.each([
    ['binary_crossentropy', 1, 'binary'],
    ['categorical_crossentropy', 3, 'categorical'],
    ['sparse_categorical_crossentropy', 3, 'sparse'],
    ['mean_squared_error', 1, 'binary'],
    ['mean_squared_error', 4, 'categorical'],
  ] as const)('labelKindFor(%s, %d classes) = %s', (loss, classes, kind) => {
    expect(labelKindFor(loss, classes)).toBe(kind);
  });
});

describe('accuracy and thresholds at their edges (hand-computed)', () => {
  it.each([
    // kind, classes, yTrue, yPred, weights, accuracy
    // binary with 2 values per example: each value counts 1/2 (Keras's mean over the last axis).
    ['binary', 2, [1, 0, 1, 1], [0.9, 0.4, 0.2, 0.7], undefined, (2 / 2 + 1 / 2) / 2],
    // exactly 0.5 is not > 0.5 on either side: label 0.5 and prediction 0.5 agree (both 0).
    ['binary', 1, [0.5, 1], [0.5, 0.51], undefined, 1],
    // ties in argmax: the first maximum wins (example 0 predicts class 0; label 1 -> wrong).
    ['categorical', 3, [0, 1, 0, 0, 0, 1], [0.4, 0.4, 0.2, 0.1, 0.3, 0.6], undefined, 1 / 2],
    ['categorical', 3, [1, 0, 0, 0, 0, 1], [0.4, 0.4, 0.2, 0.1, 0.6, 0.3], [3, 1], 3 / 4],
    ['sparse', 3, [0, 2, 1], [0.4, 0.4, 0.2, 0.1, 0.3, 0.6, 0.5, 0.2, 0.3], [1, 2, 5], 3 / 8],
    // argmax stays within its row: example 0's maximum (0.5, class 1) is below example 1's first value.
    ['categorical', 2, [0, 1, 1, 0], [0.2, 0.5, 0.9, 0.1], undefined, 1],
    // binary, 3 values per example: example 0 gets 3/3 right, example 1 gets 1/3.
    ['binary', 3, [1, 0, 0, 1, 1, 0], [0.9, 0.1, 0.2, 0.3, 0.4, 0.9], undefined, (3 / 3 + 0 / 3) / 2],
  ] as const)('%s accuracy, %d classes: %j vs %j (weights %j) = %d', (kind, classes, yTrue, yPred, weights, accuracy) => {
    const m = new Accuracy(kind);
    m.update(yTrue, yPred, classes, weights);
    expect(m.result()).toBeCloseTo(accuracy, 12);
  });
  it('precision and recall: exactly 0.5 is negative, for predictions and labels', () => {
    const p = new PrecisionRecall('precision', 'binary');
    const r = new PrecisionRecall('recall', 'binary');
    // 0.5/1: fn; 0.6/0.5: fp (label 0.5 is negative); 0.9/1: tp -> precision 1/2, recall 1/2
    for (const m of [p, r]) m.update([1, 0.5, 1], [0.5, 0.6, 0.9], 1);
    expect(p.result()).toBeCloseTo(1 / 2, 12);
    expect(r.result()).toBeCloseTo(1 / 2, 12);
    // Nothing predicted positive: precision 0 (not NaN); nothing actual positive: recall 0.
    const none = new PrecisionRecall('precision', 'binary');
    none.update([1, 0], [0.1, 0.2], 1);
    expect(none.result()).toBe(0);
    const noActual = new PrecisionRecall('recall', 'binary');
    noActual.update([0, 0], [0.9, 0.2], 1);
    expect(noActual.result()).toBe(0);
  });
  it('precision weights every value of an example by that example\'s weight (sparse, 2 classes)', () => {
    // example 0 (label 0, weight 3): class 0 predicted -> tp 3; example 1 (label 1, weight 1): class 0 predicted -> fp 1, class 1 missed -> fn 1
    const p = new PrecisionRecall('precision', 'sparse');
    const r = new PrecisionRecall('recall', 'sparse');
    for (const m of [p, r]) m.update([0, 1], [0.8, 0.1, 0.7, 0.2], 2, [3, 1]);
    expect(p.result()).toBeCloseTo(3 / 4, 12);
    expect(r.result()).toBeCloseTo(3 / 4, 12);
    const auc = new Auc('sparse');
    // AUC, the same weights: positives (0.8, w 3), (0.2, w 1); negatives (0.1, w 3), (0.7, w 1).
    // Weighted pairs won: 3*3 + 3*1 + 1*3 + 0 = 15 of 4*4 (tolerance: the 200-threshold resolution).
    auc.update([0, 1], [0.8, 0.1, 0.7, 0.2], 2, [3, 1]);
    expect(auc.result()).toBeCloseTo(15 / 16, 2);
  });
  it('AUC: a label of exactly 0.5 is negative, and a score equal to a threshold is not above it', () => {
    const half = new Auc('binary');
    half.update([1, 0.5], [0.9, 0.2], 1);
    expect(half.result()).toBeCloseTo(1, 12);
    // A negative exactly at threshold 1/199 is not above it, so it stays below a positive at
    // 1.5/199: separated, area 1 (were it counted above, both would share a bucket: 0.5).
    const at = new Auc('binary');
    at.update([0, 1], [1 / 199, 1.5 / 199], 1);
    expect(at.result()).toBeCloseTo(1, 12);
    const tie = new Auc('binary');
    tie.update([0, 1], [2 / 199, 2 / 199], 1);
    expect(tie.result()).toBeCloseTo(0.5, 12);
  });
  it('AUC thresholds: 200 values, -1e-7, i/199, 1 + 1e-7; a score of exactly 1 or 0 and sparse labels', () => {
    const auc = new Auc('binary');
    expect(auc.thresholds[0]).toBeCloseTo(-1e-7, 15);
    expect(auc.thresholds[198]).toBeCloseTo(198 / 199, 15);
    expect(auc.thresholds[199]).toBeCloseTo(1 + 1e-7, 15);
    // Scores 1 and 0 (clipped, the end thresholds keep them apart): perfect separation.
    auc.update([1, 0, 1, 0], [1, 0, 1.2, -0.3], 1);
    expect(auc.result()).toBeCloseTo(1, 12);
    // Sparse labels over 2 classes, one-hot per value: class-1 scores rank the positives first.
    const sparse = new Auc('sparse');
    sparse.update([1, 0], [0.2, 0.8, 0.7, 0.3], 2);
    expect(sparse.result()).toBeCloseTo(1, 12);
    // All one label: no negatives, so every false-positive rate is 0 and the area is 0.
    const oneSided = new Auc('binary');
    oneSided.update([1, 1], [0.3, 0.8], 1);
    expect(oneSided.result()).toBe(0);
    // Weighted: the positive with weight 3 outranks the negative, the one with weight 1 does not.
    const weighted = new Auc('binary');
    weighted.update([1, 1, 0], [0.9, 0.1, 0.5], 1, [3, 1, 1]);
    expect(weighted.result()).toBeCloseTo(3 / 4, 6);
    weighted.reset();
    expect(weighted.result()).toBe(0);
  });
});
