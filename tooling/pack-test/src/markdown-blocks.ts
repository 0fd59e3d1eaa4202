/** One fenced code block of a markdown file. */
export interface FencedBlock {
  /** The info string's first word, lower case ('' for a bare fence). */
  lang: string;
  code: string;
  /** The nearest heading above the block, without its #s ('' before the first heading). */
  heading: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** 1-based position among the blocks under the same heading with the same `lang` family. */
  ordinal: number;
}

/** Fence languages the README test runs: TypeScript is type-checked and run, JavaScript run. */
export const TS_LANGS = new Set(['ts', 'typescript', 'tsx', 'mts']);
export const JS_LANGS = new Set(['js', 'javascript', 'mjs', 'jsx']);

/**
 * Every fenced block (``` or ~~~, three or more) in document order. Headings inside a
 * block do not count as headings.
 */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split('\n');
  const blocks: FencedBlock[] = [];
  const seen = new Map<string, number>();
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s{0,3})(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]);
    if (open === null) {
      const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(lines[i]);
      if (h !== null) heading = h[1];
      continue;
    }
    const fence = open[2];
    const lang = open[3].toLowerCase();
    const body: string[] = [];
    let j = i + 1;
    // A closing fence is the same character, at least as long, and nothing after it.
    while (j < lines.length && !new RegExp(`^\\s{0,3}${fence[0]}{${fence.length},}\\s*$`).test(lines[j])) body.push(lines[j++]);
    if (j === lines.length) throw new Error(`fencedBlocks: the block opened on line ${i + 1} expected a closing ${fence}, reached the end of the file`);
    const family = TS_LANGS.has(lang) ? 'ts' : JS_LANGS.has(lang) ? 'js' : lang;
    const key = `${heading}\n${family}`;
    const ordinal = (seen.get(key) ?? 0) + 1;
    seen.set(key, ordinal);
    blocks.push({ lang, code: body.join('\n') + '\n', heading, line: i + 1, ordinal });
    i = j;
  }
  return blocks;
}
