import { describe, expect, it } from 'vitest';
import { installLines, specName } from './install-lines.js';

const readme = (sh: string) => `# x\n\n## Install\n\nText.\n\n\`\`\`sh\n${sh}\`\`\`\n`;

describe('installLines', () => {
  it('reads each command with the use of the comment above it, its env prefix and its packages', () => {
    const lines = installLines(readme(
      '# project: an ES module\nnpm init -y && npm pkg set type=module\n# export: the writer\n' +
      'ONNXRUNTIME_NODE_INSTALL=skip npm install @cnnkit/a @cnnkit/b   # trailing note\n' +
      '# typescript: types\nnpm install --save-dev typescript @types/node@^20\n',
    ));
    expect(lines).toEqual([
      { use: 'project', command: 'npm init -y && npm pkg set type=module', env: {}, packages: [] },
      { use: 'export', command: 'ONNXRUNTIME_NODE_INSTALL=skip npm install @cnnkit/a @cnnkit/b', env: { ONNXRUNTIME_NODE_INSTALL: 'skip' }, packages: ['@cnnkit/a', '@cnnkit/b'] },
      { use: 'typescript', command: 'npm install --save-dev typescript @types/node@^20', env: {}, packages: ['typescript', '@types/node@^20'] },
    ]);
  });

  it.each([
    ['no Install block', '# x\n```sh\nnpm install a\n```\n', /expected a ```sh block under the heading "## Install"/],
    ['a command without a use', readme('npm install a\n'), /expected a "# use: \.\.\." comment above "npm install a"/],
    ['a comment without a use key', readme('# just words\nnpm install a\n'), /expected a comment of the form "# use: what it is for", received "# just words"/],
  ])('rejects %s', (_name, markdown, message) => {
    expect(() => installLines(markdown)).toThrow(message);
  });

  it.each([
    ['@cnnkit/layers', '@cnnkit/layers'],
    ['@tensorflow/tfjs-node-gpu@4.22.0', '@tensorflow/tfjs-node-gpu'],
    ['sharp@^0.35.0', 'sharp'],
    ['sharp', 'sharp'],
  ])('specName(%s) is %s', (spec, name) => {
    expect(specName(spec)).toBe(name);
  });
});
