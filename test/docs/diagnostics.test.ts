/**
 * The diagnostic-codes pages (docs/guide/diagnostics.md and .en.md) are generated from the
 * catalogue and docs/guide/diagnostics-examples.yaml; this test regenerates them in memory and
 * fails when the committed pages are stale (UPDATE_GOLDEN=1, or `npm run docs:diagnostics`,
 * rewrites them), when a code has no example, or when an example does not produce its code.
 * Examples too large or too binary for a page are built here instead.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FACTS_LIMITS } from '../../src/facts/facts.js';
import { loadFactsText } from '../../src/facts/parse-facts.js';
import { loadFacts } from '../../src/loader/load-facts.js';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { csvSetFacts } from '../../src/loader/spreadsheet-intake.js';
import { checkPickedFiles } from '../../src/selfcheck/facts-intake.js';
import { readPageAssets } from '../../src/cli/cmd-bundle.js';
import { CATALOGUE, type Lang } from '../../src/model/diagnostics.js';
import { expectGolden } from '../helpers/golden.js';
import { generateDiagnosticsPage, loadExamples, PAGE_PATH } from './diagnostics-page.js';
import { REPO } from './runner.js';
import { RECORDS_SCENARIOS } from '../records/scenarios.js';

const examples = loadExamples();

describe('diagnostic codes pages', () => {
  it('has an example and a fix, in both languages, for every code of the catalogue', () => {
    const codes = Object.keys(CATALOGUE);
    expect(codes.filter((c) => !examples.has(c)), `add them to docs/guide/diagnostics-examples.yaml`).toEqual([]);
    expect([...examples.keys()].filter((c) => !codes.includes(c)), 'examples of codes the catalogue does not have').toEqual([]);
    for (const [code, spec] of examples) {
      expect(spec.fix?.zh, `${code} fix.zh`).toBeTruthy();
      expect(spec.fix?.en, `${code} fix.en`).toBeTruthy();
    }
  });

  it.each(['zh', 'en'] as Lang[])('%s page is generated from the catalogue and its examples produce their codes', async (lang) => {
    const { text, problems } = await generateDiagnosticsPage(lang);
    // Written before the problems are asserted, so a regenerated page shows what went wrong.
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(join(REPO, PAGE_PATH[lang]), text);
    expect(problems, problems.join('\n\n')).toEqual([]);
    expectGolden(join(REPO, PAGE_PATH[lang]), text);
  });
});

const POLICY_DIR = join(REPO, 'policies/yunnan-social-work/2021');

/** Runs `fn` on a fresh temporary directory, removed afterwards. */
function inTemp<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'clausal-diag-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Latin-1 bytes: what a file saved in a legacy encoding looks like to a UTF-8 reader. */
function latin1(text: string): Uint8Array {
  return Uint8Array.from([...text].map((c) => c.charCodeAt(0) & 0xff));
}

/** Inputs that cannot be shown on a page, built here: each must produce its code. */
const BUILT: Record<string, () => string[] | Promise<string[]>> = {
  ...RECORDS_SCENARIOS,
  'large-rule-file': () =>
    inTemp((dir) => {
      writeFileSync(join(dir, 'p.clause'), `policy t version "1"\n${'#'.repeat(4 * 1024 * 1024)}\n`);
      return loadPolicy(dir).diagnostics.map((d) => d.code);
    }),
  'invalid-utf8-rule-file': () =>
    inTemp((dir) => {
      writeFileSync(join(dir, 'p.clause'), latin1('policy t version "1"\nparam p: string = "Bj\u00f6rk"\n'));
      return loadPolicy(dir).diagnostics.map((d) => d.code);
    }),
  'many-tokens': () =>
    inTemp((dir) => {
      writeFileSync(join(dir, 'p.clause'), `policy t version "1"\ndefine x = 1${' + 1'.repeat(120_000)}\n`);
      return loadPolicy(dir).diagnostics.map((d) => d.code);
    }),
  'special-rule-file': () =>
    inTemp((dir) => {
      writeFileSync(join(dir, '00.clause'), 'policy t version "1"\n');
      symlinkSync('/dev/zero', join(dir, '10.clause'));
      return loadPolicy(dir).diagnostics.map((d) => d.code);
    }),
  'special-facts-file': () =>
    inTemp((dir) => {
      const policy = loadPolicy(POLICY_DIR).policy!;
      symlinkSync('/dev/urandom', join(dir, 'facts.yaml'));
      return loadFacts(policy, join(dir, 'facts.yaml')).diagnostics.map((d) => d.code);
    }),
  'compiled-size': () =>
    inTemp((dir) => {
      // The default budget is 1,000,000 nodes; the same check with a budget of 50.
      const rules = Array.from({ length: 20 }, (_, i) => `rule r${i} cite "一" for unit u must u.n + ${i} >= 3\n`).join('');
      writeFileSync(join(dir, 'p.clause'), `policy t version "1"\nkind unit from units { n: integer }\n${rules}`);
      return loadPolicy(dir, { maxCompiledSize: 50 }).diagnostics.map((d) => d.code);
    }),
  'many-errors': () => {
    const policy = loadPolicy(POLICY_DIR).policy!;
    const lines = Array.from({ length: 60 }, (_, i) => `  - { id: X-${i}, category: no_such_category }`);
    return loadFactsText(policy, 'facts.yaml', `institutions:\n${lines.join('\n')}\n`, 'yaml').diagnostics.map((d) => d.code);
  },
  'invalid-utf8-facts': () =>
    inTemp((dir) => {
      const policy = loadPolicy(POLICY_DIR).policy!;
      writeFileSync(join(dir, 'facts.yaml'), latin1('regions:\n  - { id: "1", name: "Bj\u00f6rk", level: province }\n'));
      return loadFacts(policy, join(dir, 'facts.yaml')).diagnostics.map((d) => d.code);
    }),
  'undecodable-csv': () => {
    const policy = loadPolicy(POLICY_DIR).policy!;
    // 0x80 then 0xff: a character in neither UTF-8 nor GB18030.
    const bytes = new Uint8Array([...new TextEncoder().encode('id,name\r\n1,'), 0x80, 0xff, 0x0d, 0x0a]);
    return csvSetFacts(policy, 'facts', [{ path: 'regions.csv', bytes }]).diagnostics.map((d) => d.code);
  },
  'mixed-picked-files': () => {
    const d = checkPickedFiles([{ path: '昆明.xlsx', bytes: new Uint8Array() }, { path: 'regions.csv', bytes: new Uint8Array() }]);
    return d ? [d.code] : [];
  },
  'self-check-not-built': () => {
    const r = readPageAssets(join(tmpdir(), 'clausal-no-such-dir'));
    return 'code' in r ? [r.code] : [];
  },
  'deep-reference-chain': () => {
    // The default limit is 100 levels; the same check with a limit of 2.
    const policy = loadPolicy(POLICY_DIR).policy!;
    const regions = ['  - { id: "1", level: province }', ...[2, 3, 4, 5].map((i) => `  - { id: "${i}", level: county, parent: "${i - 1}" }`)];
    return loadFactsText(policy, 'facts.yaml', `regions:\n${regions.join('\n')}\n`, 'yaml', { ...DEFAULT_FACTS_LIMITS, maxChainDepth: 2 }).diagnostics.map((d) => d.code);
  },
};

/** Codes the workbench emits, found in its sources (its own tests run it over HTTP). */
function workbenchCodes(): string {
  const dir = join(REPO, 'src/serve');
  return [...readdirSync(dir).map((f) => join(dir, f)), join(REPO, 'src/cli/cmd-serve.ts')].map((f) => readFileSync(f, 'utf8')).join('\n');
}

describe('examples not shown on the page', () => {
  const hidden = [...examples].filter(([, s]) => s.shown === false);
  it.each(hidden.map(([code, spec]) => [code, spec.verify ?? '?'] as const))('%s (%s)', async (code, verify) => {
    if (verify === 'workbench') {
      expect(workbenchCodes()).toContain(`'${code}'`);
      return;
    }
    if (verify === 'api') {
      // The decision API's own tests (test/api) send these requests over HTTP.
      const sources = ['src/api/server.ts', 'src/cli/cmd-api.ts'].map((f) => readFileSync(join(REPO, f), 'utf8')).join('\n');
      expect(sources).toContain(`'${code}'`);
      return;
    }
    const build = BUILT[verify];
    expect(build, `no builder for \`${verify}\``).toBeDefined();
    expect(await build()).toContain(code);
  }, 60_000);
});
