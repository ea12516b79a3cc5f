/**
 * Coverage: the branch each status comes from, which branches a rule has and which no facts
 * can reach, and the counts and percentages.
 */
import { describe, expect, it } from 'vitest';
import { compileSources } from '../../src/policy-sources.js';
import { hasErrors } from '../../src/model/diagnostics.js';
import { STATUSES, type Status } from '../../src/model/result.js';
import type { Policy } from '../../src/model/types.js';
import { branchOf, computeCoverage, type BranchState } from '../../src/policy-test/coverage.js';

function policyOf(rules: string): Policy {
  const text = `policy p version "1"
  effective 2021-01-01
kind unit from units {
  flag: boolean
  n: integer
  due: date
}
param set_param: integer = 2
param unset_param: integer
param later_param: integer = 1 from 2022-01-01
param from_start: integer = 1 from 2021-01-01
${rules}`;
  const loaded = compileSources([{ path: 'p.clause', text }], {
    readSource: (relative) => ({ path: relative }),
    loadBase: () => ({ diagnostics: [] }),
  });
  if (!loaded.policy || hasErrors(loaded.diagnostics)) throw new Error(JSON.stringify(loaded.diagnostics.map((d) => [d.code, d.args])));
  return loaded.policy;
}

describe('branchOf', () => {
  it.each([
    ['not_applicable', 'not_applicable'],
    ['compliant', 'met'],
    ['eligible', 'met'],
    ['violation', 'unmet'],
    ['pending', 'unmet'],
    ['advisory', 'unmet'],
    ['ineligible', 'unmet'],
    ['unknown', 'unknown'],
  ] as const)('%s -> %s', (status, branch) => {
    expect(branchOf(status)).toBe(branch);
  });

  it('maps every status', () => {
    for (const s of STATUSES) expect(branchOf(s)).toBeDefined();
  });
});

describe('branches a rule has', () => {
  const rule = (body: string) => `rule r cite "一" for unit u ${body}`;
  it.each([
    // [note, rule body, [not_applicable, met, unmet, unknown] before any test]
    ['a rule reading facts has all four', 'where u.flag must u.n > 1', ['missed', 'missed', 'missed', 'missed']],
    ['no where: no not_applicable branch', 'must u.n > 1', ['none', 'missed', 'missed', 'missed']],
    ['where always true: impossible', 'where true must u.n > 1', ['impossible', 'missed', 'missed', 'missed']],
    ['a requirement always true cannot be unmet', 'where u.flag must true', ['missed', 'missed', 'impossible', 'missed']],
    ['a requirement always false cannot be met', 'where u.flag must false', ['missed', 'impossible', 'missed', 'missed']],
    ['only the id and set parameters: never unknown', 'must u.id != "x" and set_param > 1', ['none', 'missed', 'missed', 'impossible']],
    ['an unset parameter can be unknown', 'must u.id != "x" and unset_param > 1', ['none', 'missed', 'missed', 'missed']],
    ['a parameter set only later can be unknown', 'must u.id != "x" and later_param > 1', ['none', 'missed', 'missed', 'missed']],
    ['a parameter set from the effective date cannot', 'must u.id != "x" and from_start > 1', ['none', 'missed', 'missed', 'impossible']],
    ['dividing by a variable can be unknown', 'must 10 / set_param > 1', ['none', 'missed', 'missed', 'missed']],
    ['dividing by a constant cannot', 'must set_param / 2 > 1', ['none', 'missed', 'missed', 'impossible']],
    ['an unknown deadline makes a failed must unknown', 'must set_param > 1 by u.due', ['none', 'missed', 'missed', 'missed']],
  ])('%s', (_note, body, states) => {
    const c = computeCoverage(policyOf(rule(body)), []);
    expect(c.byRule[0].branches.map((b) => b.state)).toEqual(states as BranchState[]);
    const impossible = c.byRule[0].branches.filter((b) => b.state === 'impossible' || b.state === 'none');
    for (const b of impossible) expect(b.reason?.en).toBeTruthy();
  });
});

describe('counts', () => {
  const policy = policyOf(`
rule a cite "一" for unit u where u.flag must u.n > 1
rule b cite "一" for unit u must u.n > 1
rule c cite "一" for unit u where u.id != "y" must u.id != "x"
`);
  const obs = (rule: string, ...statuses: Status[]) => statuses.map((status) => ({ rule, status }));

  it('counts rules with a check and branches taken; impossible ones apart', () => {
    const c = computeCoverage(policy, [...obs('a', 'compliant', 'pending', 'violation', 'not_applicable'), ...obs('b', 'unknown')]);
    expect(c.rules).toEqual({ covered: 2, total: 3, percent: 66.6 });
    // a: 4 branches, b: 3 (no where), c: 3 (unknown impossible)
    expect(c.branches).toEqual({ covered: 4, total: 10, percent: 40, impossible: 1 });
    expect(c.byRule.map((r) => r.checks)).toEqual([4, 1, 0]);
    expect(c.byRule[0].branches.map((b) => b.checks)).toEqual([1, 1, 2, 0]);
  });

  it('rounds down, so 90% means at least 90%', () => {
    const c = computeCoverage(policy, [...obs('a', 'compliant', 'violation', 'not_applicable', 'unknown'), ...obs('b', 'compliant', 'violation', 'unknown'), ...obs('c', 'compliant', 'violation')]);
    expect(c.branches).toEqual({ covered: 9, total: 10, percent: 90, impossible: 1 });
    const d = computeCoverage(policy, [...obs('a', 'compliant', 'violation', 'not_applicable', 'unknown'), ...obs('b', 'compliant', 'violation')]);
    expect(d.branches.percent).toBe(60);
  });

  it('a not_applicable seen on a rule without where does not count', () => {
    const c = computeCoverage(policy, obs('b', 'not_applicable'));
    expect(c.branches.covered).toBe(0);
    expect(c.byRule[1].branches[0]).toMatchObject({ branch: 'not_applicable', state: 'none', checks: 1 });
  });

  it('nothing to cover is 100%', () => {
    expect(computeCoverage(policyOf(''), []).rules).toEqual({ covered: 0, total: 0, percent: 100 });
  });
});
