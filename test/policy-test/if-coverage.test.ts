/**
 * Branch coverage of `if`: each arm of every `if` (an `else if` chain arm by arm) is covered
 * only by a checked result that took it; uncovered arms are named with file:line:col; an `if`
 * in a definition used by several rules is one `if`; and the bundled allowance measure's own
 * tests cover every arm.
 */
import { describe, expect, it } from 'vitest';
import { compileSources } from '../../src/policy-sources.js';
import { hasErrors } from '../../src/model/diagnostics.js';
import type { Policy } from '../../src/model/types.js';
import { computeCoverage } from '../../src/policy-test/coverage.js';
import { IfBranchTracker } from '../../src/policy-test/if-coverage.js';
import { parsePolicyTests } from '../../src/policy-test/parse-tests.js';
import { runPolicyTests } from '../../src/policy-test/runner.js';
import { coverageToText } from '../../src/policy-test/render.js';
import { cli } from './helpers.js';

const POLICY = `policy p version "1"
kind unit from units {
  n: integer
  flag: boolean
}
define band(u: unit) =
  if u.n >= 10 then 3
  else if u.n >= 5 then 2
  else 1
rule level "等级" cite "一" for unit u
  compute = band(u) + (if u.flag then 1 else 0)
rule twice "两倍" cite "二" for unit u
  compute = band(u) * 2
`;

function policyOf(): Policy {
  const loaded = compileSources([{ path: 'p.clause', text: POLICY }], { readSource: (r) => ({ path: r }), loadBase: () => ({ diagnostics: [] }) });
  if (!loaded.policy || hasErrors(loaded.diagnostics)) throw new Error(JSON.stringify(loaded.diagnostics.map((d) => [d.code, d.args])));
  return loaded.policy;
}

function coverageOf(units: string, checks: string) {
  const policy = policyOf();
  const parsed = parsePolicyTests(policy, 'tests.yaml', `as_of: 2024-01-01\ntests:\n  - name: c\n    facts:\n      units: ${units}\n    expect: ${checks}\n`);
  if (!parsed.suite) throw new Error(JSON.stringify(parsed.diagnostics.map((d) => [d.code, d.args])));
  const tracker = new IfBranchTracker(policy);
  const run = runPolicyTests(policy, [parsed.suite], { ifBranches: tracker });
  expect(run.failures).toEqual([]);
  return computeCoverage(policy, run.observations, tracker.sites);
}

describe('if arms taken by checked results', () => {
  it.each([
    // [note, units, checks, [then, else] per if in source order: n >= 10, n >= 5, flag]
    ['results no check looks at cover nothing', '[{ id: a, n: 12, flag: true }, { id: b, n: 1, flag: false }]', '[{ subject: a, rule: twice, status: computed, value: 6 }]', [[1, 0], [0, 0], [0, 0]]],
    ['one result takes one arm of each if it reaches', '[{ id: a, n: 12, flag: true }]', '[{ subject: a, rule: level, status: computed, value: 4 }]', [[1, 0], [0, 0], [1, 0]]],
    ['an else-if chain is covered arm by arm', '[{ id: a, n: 12, flag: false }, { id: b, n: 7, flag: false }, { id: c, n: 1, flag: true }]',
      '[{ subject: a, rule: level, status: computed, value: 3 }, { subject: b, rule: level, status: computed, value: 2 }, { subject: c, rule: level, status: computed, value: 2 }]',
      [[1, 2], [1, 1], [1, 2]]],
    ['a definition\'s if is one if, whichever rule takes it', '[{ id: a, n: 12, flag: false }, { id: b, n: 1, flag: false }]',
      '[{ subject: a, rule: twice, status: computed, value: 6 }, { subject: b, rule: level, status: computed, value: 1 }]',
      [[1, 1], [0, 1], [0, 1]]],
    ['an unknown condition takes no arm', '[{ id: a, flag: true }]', '[{ subject: a, rule: twice, status: unknown }]', [[0, 0], [0, 0], [0, 0]]],
  ] as const)('%s', (_note, units, checks, want) => {
    const coverage = coverageOf(units, checks);
    expect(coverage.ifs!.sites.map((s) => [s.then, s.else])).toEqual(want);
    const covered = want.flat().filter((n) => n > 0).length;
    expect([coverage.ifs!.covered, coverage.ifs!.total]).toEqual([covered, 6]);
  });

  it('names each missed arm with file:line:col, the condition and the rules', () => {
    const coverage = coverageOf('[{ id: a, n: 12, flag: true }]', '[{ subject: a, rule: level, status: computed, value: 4 }]');
    const text = coverageToText(coverage, 'en', new Map([['p.clause', POLICY]]));
    expect(text).toContain('if branches: 2/6 (33.3%)');
    expect(text).toContain('p.clause:8:8: else of if u.n >= 10 (rules level, twice)');
    expect(text).toContain('p.clause:8:25: then of if u.n >= 5 (rules level, twice)');
    expect(text).toContain('p.clause:11:46: else of if u.flag (rules level)');
    expect(coverageToText(coverage, 'zh', new Map([['p.clause', POLICY]]))).toContain('p.clause:8:8: 条件不成立（else），条件 u.n >= 10（规则 level、twice）');
  });
});

describe('the bundled allowance measure', () => {
  // The lowest tier is the last `else`: every rule reaching the tiers applies to certified
  // workers only (payable), so an `else 0` after the assistant tier could never be taken.
  it('the bundled measure\'s tests cover every arm of every if and every branch of its own rules', async () => {
    const r = await cli(['test', 'policies/community-worker-allowance/2024', '--coverage']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('if 分支：8/8（100%）');
    expect(r.stdout).not.toContain('未覆盖的 if 分支');
    expect(r.stdout).toContain('覆盖率：规则 3/3（100%），分支 9/9（100%）\n  只计本政策自己的 3 条规则；所继承的 32 条规则未计入（加 --inherited 一并计入）');
  });
});

describe('coverage of an extending policy', () => {
  it.each([
    // [note, extra argv, rules line, scope, inherited rules left out]
    ['counts its own rules by default and says so', [], '覆盖率：规则 3/3（100%）', 'own', 32],
    ['--inherited counts the inherited ones too', ['--inherited'], '覆盖率：规则 3/35（8.5%）', 'all', 0],
  ] as const)('%s', async (_note, extra, line, scope, inherited) => {
    const text = await cli(['test', 'policies/community-worker-allowance/2024', '--coverage', ...extra]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(line);
    const json = await cli(['test', 'policies/community-worker-allowance/2024', '--coverage', '--format', 'json', ...extra]);
    const coverage = JSON.parse(json.stdout).coverage as { scope: string; inheritedRules: number; byRule: unknown[] };
    expect([coverage.scope, coverage.inheritedRules, coverage.byRule.length]).toEqual([scope, inherited, 35 - inherited]);
  });
});
