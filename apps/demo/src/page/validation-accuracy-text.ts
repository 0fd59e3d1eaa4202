/** What the server says at validation-accuracy.json (see `validationAccuracy` in Node). */
export interface ShownAccuracy {
  accuracy: number | null;
  images: number | null;
}

/**
 * The words shown next to the model's name: "validation accuracy 95.5% on 200
 * held-out pictures", "validation accuracy 97.5%", or "validation accuracy unknown"
 * (a model saved without one: the page never guesses, and never shows the
 * training accuracy in its place).
 *
 * @example
 * ```ts
 * validationAccuracyText({ accuracy: 0.955, images: 200 }); // "validation accuracy 95.5% on 200 held-out pictures"
 * ```
 */
export function validationAccuracyText(shown: ShownAccuracy): string {
  if (shown.accuracy === null) return 'validation accuracy unknown';
  const count = shown.images === null ? '' : ` on ${shown.images} held-out pictures`;
  return `validation accuracy ${(100 * shown.accuracy).toFixed(1)}%${count}`;
}
