import { fencedBlocks } from './markdown-blocks.js';

/** One command of the README's Install block, with the use its comment names. */
export interface InstallLine {
  /** The key before the colon of the comment above it: `# train: ...` gives 'train'. */
  use: string;
  /** The command as the README prints it. */
  command: string;
  /** Environment assignments in front of `npm` (`ONNXRUNTIME_NODE_INSTALL=skip npm install ...`). */
  env: Record<string, string>;
  /** For `npm install`: the package specs it names (flags left out); otherwise empty. */
  packages: string[];
}

export const INSTALL_HEADING = 'Install';

/**
 * The commands of the first ```sh block under the README's "Install" heading. Every
 * command line must follow a `# use: ...` comment, so the test can tell which use
 * each list serves.
 */
export function installLines(readme: string): InstallLine[] {
  const block = fencedBlocks(readme).find((b) => b.heading === INSTALL_HEADING && b.lang === 'sh');
  if (block === undefined) throw new Error(`installLines: expected a \`\`\`sh block under the heading "## ${INSTALL_HEADING}" in README.md, found none`);
  const lines: InstallLine[] = [];
  let use: string | null = null;
  for (const raw of block.code.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const comment = /^#\s*([a-z0-9-]+):/.exec(line);
    if (comment !== null) {
      use = comment[1];
      continue;
    }
    if (line.startsWith('#')) throw new Error(`installLines: expected a comment of the form "# use: what it is for", received "${line}"`);
    if (use === null) throw new Error(`installLines: expected a "# use: ..." comment above "${line}", received none`);
    const command = line.replace(/\s+#.*$/, '');
    const words = command.split(/\s+/);
    const env: Record<string, string> = {};
    while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
      const [name, ...value] = words.shift()!.split('=');
      env[name] = value.join('=');
    }
    const packages = words[0] === 'npm' && (words[1] === 'install' || words[1] === 'i') && !command.includes('&&')
      ? words.slice(2).filter((w) => !w.startsWith('-'))
      : [];
    lines.push({ use, command, env, packages });
  }
  return lines;
}

/** A spec's package name: `@scope/name@1.2.3` -> `@scope/name`, `sharp@^0.35` -> `sharp`. */
export function specName(spec: string): string {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  return at === -1 ? spec : spec.slice(0, at);
}
