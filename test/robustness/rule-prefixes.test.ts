/**
 * Every truncation of the bundled policy: each `.clause` file is tokenised with `clauseLexer`,
 * and every prefix of its token texts joined by spaces (all of them: N = 1) is parsed; a prefix
 * that parses cleanly is then checked together with the other bundled files. The YAML file is
 * cut at every character. Nothing may throw; every span must lie inside its text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../src/model/diagnostics.js';
import { compileSources, type PolicySourceFile } from '../../src/policy-sources.js';
import { parseClauseFile } from '../../src/syntax/parse.js';
import { clauseLexer } from '../../src/syntax/tokens.js';
import { parseYamlPolicyFile } from '../../src/yaml/load-yaml.js';
import { expectPlaced, POLICY } from './harness.js';

const files: PolicySourceFile[] = readdirSync(POLICY)
  .filter((n) => n.endsWith('.clause') || (n.endsWith('.yaml') && n !== 'tests.yaml'))
  .sort()
  .map((n) => ({ path: join(POLICY, n), text: readFileSync(join(POLICY, n), 'utf8') }));
const source = readFileSync(join(POLICY, 'source.txt'), 'utf8');

function compileWith(replaced: PolicySourceFile) {
  return compileSources(files.map((f) => (f.path === replaced.path ? replaced : f)), {
    readSource: () => ({ path: join(POLICY, 'source.txt'), text: source }),
    loadBase: () => ({ diagnostics: [] }),
  });
}

describe('every token prefix of the bundled .clause files', () => {
  it.each(files.filter((f) => f.path.endsWith('.clause')).map((f) => [f.path, f] as const))('%s', (_path, file) => {
    const tokens = clauseLexer.tokenize(file.text).tokens.map((t) => t.image);
    let clean = 0;
    const t0 = performance.now();
    for (let k = 0; k <= tokens.length; k++) {
      const text = tokens.slice(0, k).join(' ');
      const parsed = parseClauseFile(file.path, text);
      expectPlaced(parsed.diagnostics, text);
      if (hasErrors(parsed.diagnostics)) continue;
      clean++;
      // Checked with the rest of the policy: a half-written file must not crash the checker.
      const loaded = compileWith({ path: file.path, text });
      expectPlaced(loaded.diagnostics, loaded.texts ?? new Map());
    }
    console.log(`[robustness figures] ${file.path}: ${tokens.length + 1} prefixes, ${clean} parsed cleanly and were checked, ${(performance.now() - t0).toFixed(0)} ms`);
    // The whole file is clean, so at least the last prefix was checked.
    expect(clean).toBeGreaterThan(0);
  });
});

describe('every character prefix of the bundled YAML rule file', () => {
  it.each(files.filter((f) => f.path.endsWith('.yaml')).map((f) => [f.path, f] as const))('%s', (_path, file) => {
    for (let k = 0; k <= file.text.length; k++) {
      const text = file.text.slice(0, k);
      const parsed = parseYamlPolicyFile(file.path, text);
      expectPlaced(parsed.diagnostics, text);
      // Only where a line ends (most cuts leave a syntax or schema error).
      if (text.endsWith('\n') && !hasErrors(parsed.diagnostics)) {
        const loaded = compileWith({ path: file.path, text });
        expectPlaced(loaded.diagnostics, loaded.texts ?? new Map());
      }
    }
  });
});
