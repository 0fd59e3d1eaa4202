import type { Callback, Logs, Model } from '@cnnkit/layers';

/**
 * A `fit` callback that ends training after the first epoch whose held-out
 * accuracy (`val_accuracy`) reaches `aim`: more epochs would only cost time, and
 * stopping on held-out pictures (not training ones) is what keeps the claim honest.
 * It remembers each epoch's logs, so the caller can say how far training got.
 */
export class StopAtAccuracy implements Callback {
  #model: Model | null = null;
  /** The logs of the last epoch that ended. */
  last: Logs | null = null;
  epochs = 0;

  constructor(readonly aim: number, private readonly log: (line: string) => void = () => undefined) {}

  setModel(model: Model): void {
    this.#model = model;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    this.last = logs;
    this.epochs = epoch + 1;
    const accuracy = logs.val_accuracy;
    this.log(`epoch ${epoch + 1}: training accuracy ${percent(logs.accuracy)}, held-out accuracy ${percent(accuracy)}`);
    if (typeof accuracy === 'number' && accuracy >= this.aim && this.#model !== null) this.#model.stopTraining = true;
  }
}

function percent(value: number | undefined): string {
  return typeof value === 'number' ? `${(100 * value).toFixed(1)}%` : 'n/a';
}
