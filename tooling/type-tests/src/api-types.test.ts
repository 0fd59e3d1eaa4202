import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

// The settings a user's strict NodeNext project has; the packages resolve to their built .d.ts.
const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  skipLibCheck: false,
  types: ['node'],
};

interface Found {
  line: number;
  message: string;
}

const FILES = ['no-casts.ts', 'fit-unlabelled.ts', 'fit-maybe-unlabelled.ts'];
// One program for every fixture: the packages' .d.ts are read once.
let program: ts.Program | undefined;

/**
 * The diagnostics of one fixture file, by 1-based line, with those of every file that
 * is not a fixture (the packages' .d.ts, global ones).
 */
function diagnostics(file: string): Found[] {
  const path = `${fixtures}${file}`;
  program ??= ts.createProgram(FILES.map((f) => `${fixtures}${f}`), options);
  const others = new Set(FILES.filter((f) => f !== file).map((f) => `${fixtures}${f}`));
  // tfjs-core's own .d.ts name a global `Long` from @types/long, which a user's npm install
  // hoists and auto-includes; this project lists its types explicitly, so those are left out.
  const ours = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !others.has(d.file?.fileName ?? '') && !/node_modules\/@tensorflow\/tfjs-core\//.test(d.file?.fileName ?? ''));
  return ours.map((d) => ({
    line: d.file === undefined ? 0 : d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1,
    message: `${d.file?.fileName === path ? '' : `${d.file?.fileName ?? ''}: `}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
  }));
}

/** Lines marked `// expect-error: <text>`: the one place each fixture must fail, and a word its message must hold. */
function marked(file: string): { line: number; text: string }[] {
  return readFileSync(`${fixtures}${file}`, 'utf8')
    .split('\n')
    .flatMap((l, i) => {
      const m = /\/\/ expect-error: (.+)$/.exec(l);
      return m === null ? [] : [{ line: i + 1, text: m[1].trim() }];
    });
}

describe("the packages' .d.ts, compiled as a user's strict project", () => {
  it('the README example and the dataset types compile with no cast (the .d.ts files included)', () => {
    expect(diagnostics('no-casts.ts')).toEqual([]);
  });

  it.each(['fit-unlabelled.ts', 'fit-maybe-unlabelled.ts'])('%s: fit on a dataset whose labels may be null is a type error there and only there', (file) => {
    const found = diagnostics(file);
    const expected = marked(file);
    expect(expected).toHaveLength(1);
    expect(found.map((d) => d.line)).toEqual(expected.map((e) => e.line));
    // The message says why: the batches' labels are (or may be) null where a Tensor is needed.
    expect(found[0].message).toContain(expected[0].text);
    expect(found[0].message).toMatch(/null/);
  });
});
