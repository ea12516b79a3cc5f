/**
 * Golden outputs of `clausal diff`: one fixture pair per kind of change
 * (`fixtures/<case>/{old,new}/`, with `facts.yaml` when the case has an impact), rendered in
 * the formats listed per case. Regenerate with `UPDATE_GOLDEN=1 npx vitest run test/diff`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from './run-cli.js';

const FIXTURES = 'test/diff/fixtures';
const GOLDEN = 'test/diff/golden';
const YUNNAN = 'policies/yunnan-social-work';

type Output = 'zh' | 'en' | 'json' | 'md';

interface Case {
  readonly name: string;
  readonly note: string;
  readonly old: string;
  readonly new: string;
  readonly facts?: string;
  readonly asOf?: string;
  readonly outputs: readonly Output[];
}

const fixture = (name: string, note: string, outputs: readonly Output[] = ['zh', 'json'], asOf?: string): Case => {
  const facts = join(FIXTURES, name, 'facts.yaml');
  return { name, note, old: join(FIXTURES, name, 'old'), new: join(FIXTURES, name, 'new'), outputs, ...(existsSync(facts) ? { facts, asOf } : {}) };
};

const CASES: readonly Case[] = [
  fixture('layout-only', 'reformatting, comments, reordering, moved declarations, parentheses, number spelling and variable names are not changes'),
  fixture('yaml-form', 'the YAML form of the same rules and table is not a change'),
  fixture('params', 'parameter value, dated history, type and label changed; one added, one removed', ['zh', 'en', 'json', 'md']),
  fixture('deadlines', 'a date parameter used as a deadline moved later; a literal `by` date moved earlier'),
  fixture('rules-added-removed', 'a rule added and a rule removed'),
  fixture('rule-renamed', 'rules renamed under the same cite: one otherwise untouched, one also edited', ['zh', 'en', 'json']),
  fixture('conditions', 'a `where` condition and a requirement changed, printed before and after'),
  fixture('modality', 'should -> must'),
  fixture('quotes', 'a quote, a cite, a title and an explanation changed'),
  fixture('tables', 'table rows added, removed and changed; a table whose signature changed'),
  fixture('schema', 'kinds, fields, relations and enums added, removed, retyped and relabelled', ['zh', 'en', 'json']),
  fixture('sets-definitions', 'set members and a definition body changed; a formal renamed only'),
  fixture('policy-header', 'the effective window changed'),
  fixture('impact', 'a raised share, a renamed and hardened rule, a removed and an added rule, on facts with two prefectures', ['zh', 'en', 'json', 'md'], '2024-06-01'),
  {
    name: 'yunnan-2025-draft',
    note: 'the illustrative 2025 amendment of the bundled policy, with its impact on the example province',
    old: `${YUNNAN}/2021`,
    new: `${YUNNAN}/2025-draft`,
    facts: `${YUNNAN}/examples/province.yaml`,
    asOf: '2025-06-01',
    outputs: ['zh', 'en', 'json', 'md'],
  },
  {
    name: 'cw-2026-draft',
    note: 'the allowance measure\'s 2026 draft raises the amounts: the change of every value and of the county budgets, the cost of the amendment',
    old: 'policies/community-worker-allowance/2024',
    new: 'policies/community-worker-allowance/2026-draft',
    facts: 'policies/community-worker-allowance/examples/city.yaml',
    asOf: '2026-06-01',
    outputs: ['zh', 'en', 'json', 'md'],
  },
];

const EXT: Record<Output, string> = { zh: 'zh.txt', en: 'en.txt', json: 'json', md: 'md' };

function argvOf(c: Case, output: Output): string[] {
  const argv = ['diff', c.old, c.new];
  if (c.facts) argv.push('--facts', c.facts, '--as-of', c.asOf!);
  if (output === 'json') argv.push('--format', 'json');
  if (output === 'md') argv.push('--format', 'markdown');
  if (output === 'en') argv.push('--lang', 'en');
  return argv;
}

describe('clausal diff golden outputs', () => {
  for (const c of CASES) {
    for (const output of c.outputs) {
      test(`${c.name} (${output}): ${c.note}`, async () => {
        const run = await runCli(argvOf(c, output));
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        const path = join(GOLDEN, `${c.name}.${EXT[output]}`);
        if (process.env.UPDATE_GOLDEN === '1') {
          mkdirSync(GOLDEN, { recursive: true });
          writeFileSync(path, run.stdout);
        }
        expect(existsSync(path), `${path} missing: run with UPDATE_GOLDEN=1`).toBe(true);
        expect(run.stdout).toBe(readFileSync(path, 'utf8'));
      });
    }
  }

  test('the layout-only and yaml-form fixtures report no change in JSON either', async () => {
    for (const name of ['layout-only', 'yaml-form']) {
      const run = await runCli(['diff', join(FIXTURES, name, 'old'), join(FIXTURES, name, 'new'), '--format', 'json']);
      expect(JSON.parse(run.stdout).changes).toEqual([]);
    }
  });

  test('every fixture case has a golden output and no golden output is orphaned', () => {
    const expected = CASES.flatMap((c) => c.outputs.map((o) => `${c.name}.${EXT[o]}`)).sort();
    if (process.env.UPDATE_GOLDEN === '1') return;
    const present = existsSync(GOLDEN) ? readdirSync(GOLDEN).sort() : [];
    expect(present).toEqual(expected);
    // Every fixture pair is exercised by a case.
    expect(readdirSync(FIXTURES).sort()).toEqual(CASES.filter((c) => c.old.startsWith(FIXTURES)).map((c) => c.name).sort());
  });
});

