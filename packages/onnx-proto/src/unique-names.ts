/**
 * The names taken in one graph. ONNX tensor and node names are graph-wide, so
 * every builder hands out `base`, then `base_1`, `base_2`, ... on clashes.
 *
 * @example
 * const names = new UniqueNames();
 * names.take('conv'); // 'conv'
 * names.take('conv'); // 'conv_1'
 * names.reserve('image'); names.take('image'); // 'image_1'
 */
export class UniqueNames {
  readonly #used = new Set<string>();

  /** Takes the first free name of `base`, `base_1`, `base_2`, ... */
  take(base: string): string {
    let name = base;
    for (let i = 1; this.#used.has(name); i++) name = `${base}_${i}`;
    this.#used.add(name);
    return name;
  }

  /** Marks a name fixed elsewhere (a graph input or output's contract name) as taken. */
  reserve(name: string): void {
    this.#used.add(name);
  }

  has(name: string): boolean {
    return this.#used.has(name);
  }
}
