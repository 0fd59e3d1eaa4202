import { describe, expect, it } from 'vitest';
import { fencedBlocks } from './markdown-blocks.js';

describe('fencedBlocks', () => {
  it.each([
    ['one ts block under a heading', '# A\n\n```ts\nconst a = 1;\n```\n', [{ lang: 'ts', code: 'const a = 1;\n', heading: 'A', line: 3, ordinal: 1 }]],
    ['a bare fence and an info string with attributes', '```\nx\n```\n```JS title="x"\ny\n```\n', [
      { lang: '', code: 'x\n', heading: '', line: 1, ordinal: 1 },
      { lang: 'js', code: 'y\n', heading: '', line: 4, ordinal: 1 },
    ]],
    ['a heading inside a block is code', '## B\n```sh\n# not a heading\n```\n```typescript\nz\n```\n', [
      { lang: 'sh', code: '# not a heading\n', heading: 'B', line: 2, ordinal: 1 },
      { lang: 'typescript', code: 'z\n', heading: 'B', line: 5, ordinal: 1 },
    ]],
    ['a longer fence holds a shorter one; ordinals count per heading and family', '# C\n````md\n```ts\n```\n````\n```ts\n1\n```\n```tsx\n2\n```\n# D\n```ts\n3\n```\n', [
      { lang: 'md', code: '```ts\n```\n', heading: 'C', line: 2, ordinal: 1 },
      { lang: 'ts', code: '1\n', heading: 'C', line: 6, ordinal: 1 },
      { lang: 'tsx', code: '2\n', heading: 'C', line: 9, ordinal: 2 },
      { lang: 'ts', code: '3\n', heading: 'D', line: 13, ordinal: 1 },
    ]],
  ])('%s', (_name, markdown, expected) => {
    expect(fencedBlocks(markdown)).toEqual(expected);
  });

  it('rejects a block that is never closed, naming its line', () => {
    expect(() => fencedBlocks('text\n```ts\nconst a = 1;\n')).toThrow(/opened on line 2 expected a closing ```/);
  });
});
