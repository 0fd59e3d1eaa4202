import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Packages the module loads at run time, following relative imports (type-only imports are erased). */
function runtimePackages(file: string, seen = new Set<string>(), out = new Set<string>()): Set<string> {
  if (seen.has(file)) return out;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^(import|export)(?!\s+type\b)[^;]*?from '([^']+)'/gms)) {
    const target = m[2];
    if (target.startsWith('.')) runtimePackages(normalize(join(dirname(file), target.replace(/\.js$/, '.ts'))), seen, out);
    else out.add(target);
  }
  return out;
}

describe('the package root', () => {
  it('does not load @cnnkit/layers (an optional peer, only needed to train)', () => {
    const packages = runtimePackages(join(src, 'index.ts'));
    expect(packages).not.toContain('@cnnkit/layers');
    expect(packages).toContain('@cnnkit/tensor-core');
  });
  it('the training entry point does (so the check above can tell)', () => {
    expect(runtimePackages(join(src, 'training', 'index.ts'))).toContain('@cnnkit/layers');
  });
});
