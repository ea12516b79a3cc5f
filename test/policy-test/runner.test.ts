/**
 * The runner: what a check compares (status, missing as a set, due, explanation fragments per
 * language), parameter overrides as DSL literals, and facts files next to the test file.
 */
import { describe, expect, it } from 'vitest';
import { parsePolicyTests } from '../../src/policy-test/parse-tests.js';
import { runPolicyTests, type TestRun } from '../../src/policy-test/runner.js';
import type { Lang } from '../../src/model/diagnostics.js';
import { fixturePolicy } from './helpers.js';

const policy = fixturePolicy();

/** Parses a test file that must be free of errors, and runs it. */
function runText(text: string, lang: Lang = 'zh', files: Record<string, string> = {}): TestRun {
  const parsed = parsePolicyTests(policy, 'tests.yaml', text, {
    readFacts: (relative) => ({ path: relative, text: files[relative], problem: files[relative] === undefined ? 'ENOENT' : undefined }),
  });
  if (!parsed.suite) throw new Error(JSON.stringify(parsed.diagnostics.map((d) => [d.code, d.args])));
  return runPolicyTests(policy, [parsed.suite], { lang });
}

/** One case over one unit, with one check. */
function oneCheck(unit: string, check: string, extra = ''): string {
  return `as_of: 2022-06-01
tests:
  - name: one
${extra}    facts:
      units:
        - ${unit}
    expect:
      - ${check}
`;
}

const U70 = '{ id: U, category: a, flag: true, posts: { total: 10, social_work: 7 } }';
const U60 = '{ id: U, category: a, flag: true, posts: { total: 10, social_work: 6 } }';
const UB = '{ id: U, category: b, posts: { total: 10, social_work: 6 } }';

describe('what a check compares', () => {
  it.each([
    // [note, unit, check, extra case lines, failed mismatches]
    ['status holds', U70, '{ rule: share-rule, status: compliant }', '', []],
    ['status differs', U60, '{ rule: share-rule, status: compliant }', '', ['status']],
    ['due holds', U60, '{ rule: share-rule, status: pending, due: 2022-12-31 }', '', []],
    ['due differs', U60, '{ rule: share-rule, status: pending, due: 2022-12-30 }', '', ['due']],
    ['no deadline is null', U60, '{ rule: flag-rule, status: compliant, due: null }', '', []],
    ['a deadline is not null', U60, '{ rule: share-rule, status: pending, due: null }', '', ['due']],
    ['missing is a set', UB, '{ rule: ratio-rule, status: unknown, missing: [param per_post] }', '', []],
    ['missing differs', UB, '{ rule: ratio-rule, status: unknown, missing: [] }', '', ['missing']],
    ['missing lists two', '{ id: U, category: a }', '{ rule: share-rule, status: unknown, missing: ["units[U].posts.total", "units[U].posts.social_work"] }', '', []],
    ['a zh fragment', U70, '{ rule: share-rule, status: compliant, explanation: 社会工作岗位数 7 }', '', []],
    ['a zh fragment absent', U70, '{ rule: share-rule, status: compliant, explanation: [社会工作岗位数 7, 不存在] }', '', ['explanation']],
    ['an en fragment', U70, '{ rule: share-rule, status: compliant, explanation: { en: social-work posts 7 } }', '', []],
    ['a fragment in the wrong language', U70, '{ rule: share-rule, status: compliant, explanation: { zh: social-work posts 7 } }', '', ['explanation']],
    ['several at once', U60, '{ rule: share-rule, status: violation, due: 2021-12-31, explanation: x }', '', ['status', 'due', 'explanation']],
  ] as const)('%s', (_note, unit, check, extra, mismatches) => {
    const run = runText(oneCheck(unit, check, extra));
    expect(run.summary.checks).toBe(1);
    expect(run.failures.flatMap((f) => f.mismatches)).toEqual(mismatches);
  });

  it('reports what was expected and what was decided', () => {
    const run = runText(oneCheck(U60, '{ rule: share-rule, status: violation, missing: [x], explanation: { zh: 甲, en: [zzz, social-work posts 6] } }'), 'en');
    expect(run.failures).toHaveLength(1);
    const f = run.failures[0];
    expect(f.at).toEqual({ file: 'tests.yaml', line: 8, column: 9 });
    expect(f.case).toBe('one');
    expect(f.subject).toEqual({ kind: 'unit', id: 'U' });
    expect(f.expected).toEqual({ status: 'violation', missing: ['x'], explanation: { zh: ['甲'], en: ['zzz'] } });
    expect(f.actual.status).toBe('pending');
    expect(f.actual.due).toBe('2022-12-31');
    expect(f.actual.missing).toEqual([]);
    // the explanation shown is in the requested language
    expect(f.actual.explanation).toContain('social-work posts 6');
  });

  it('counts cases, checks and failures, and records the branch each check took', () => {
    const run = runText(`as_of: 2022-06-01
tests:
  - name: a
    facts: { units: [${U70}, { id: V, category: b, flag: false }] }
    expect:
      - { subject: U, rule: share-rule, status: compliant }
      - { subject: V, rule: share-rule, status: compliant }
      - { subject: V, rule: flag-rule, status: violation }
  - name: b
    facts: { units: [${U60}] }
    expect:
      - { rule: share-rule, status: pending }
`);
    expect(run.summary).toEqual({ files: 1, cases: 2, checks: 4, passed: 3, failed: 1 });
    expect(run.cases.map((c) => [c.name, c.checks, c.failed])).toEqual([['a', 3, 1], ['b', 1, 0]]);
    expect(run.observations).toEqual([
      { rule: 'share-rule', status: 'compliant' },
      { rule: 'share-rule', status: 'not_applicable' },
      { rule: 'flag-rule', status: 'violation' },
      { rule: 'share-rule', status: 'pending' },
    ]);
  });
});

describe('dates and parameter overrides', () => {
  const at = (asOf: string, params = '') => `as_of: ${asOf}
${params}tests:
  - name: d
    facts: { units: [${U60}] }
    expect:
      - { rule: share-rule, status: pending }
`;
  it.each([
    ['the day before the deadline', at('2022-12-30'), 'pending'],
    ['the deadline day', at('2022-12-31'), 'pending'],
    ['the day after', at('2023-01-01'), 'violation'],
    ['before the policy takes effect', at('2020-12-31'), 'not_applicable'],
    ['a later deadline as a date literal', at('2023-01-01', 'params: { deadline: 2023-03-31 }\n'), 'pending'],
    ['a lower share as a percentage', at('2023-01-01', 'params: { share: 60% }\n'), 'compliant'],
    ['a lower share as a decimal', at('2023-01-01', 'params: { share: 0.6 }\n'), 'compliant'],
    ['a share a hair above 60%', at('2023-01-01', 'params: { share: 60.01% }\n'), 'violation'],
  ])('%s', (_note, text, status) => {
    const run = runText(text);
    expect(run.failures.map((f) => f.actual.status)).toEqual(status === 'pending' ? [] : [status]);
  });

  it('a case override wins over the file override', () => {
    const run = runText(`as_of: 2023-01-01
params: { share: 60% }
tests:
  - name: file level
    facts: { units: [${U60}] }
    expect: [{ rule: share-rule, status: compliant }]
  - name: case level
    params: { share: 65% }
    facts: { units: [${U60}] }
    expect: [{ rule: share-rule, status: violation }]
`);
    expect(run.failures).toEqual([]);
  });

  it.each([
    ['a ratio', '"1:2"', 'compliant', 6],
    ['a ratio that needs more posts', '"2:3"', 'advisory', 6],
    ['a ratio at the boundary', '"3:5"', 'compliant', 6],
    ['a decimal ratio', '0.7', 'advisory', 6],
  ])('ratio override %s', (_note, literal, status, posts) => {
    const run = runText(oneCheck(`{ id: U, category: b, posts: { total: 10, social_work: ${posts} } }`, `{ rule: ratio-rule, status: ${status} }`, `    params: { per_post: ${literal} }\n`));
    expect(run.failures).toEqual([]);
  });

  it('a string parameter may be written without DSL quotes, or with them', () => {
    for (const literal of ['U', '\'"U"\'']) {
      const run = runText(oneCheck(U70, '{ rule: named-rule, status: advisory }', `    params: { label: ${literal} }\n`));
      expect(run.failures).toEqual([]);
    }
  });
});

describe('facts files', () => {
  it('are read relative to the test file, once per file', () => {
    let reads = 0;
    const text = `as_of: 2022-06-01
tests:
  - { name: a, facts: f/units.yaml, expect: [{ subject: U, rule: share-rule, status: compliant }] }
  - { name: b, facts: f/units.yaml, expect: [{ subject: U, rule: flag-rule, status: compliant }] }
`;
    const parsed = parsePolicyTests(policy, 'tests.yaml', text, {
      readFacts: (relative) => {
        reads++;
        return { path: `dir/${relative}`, text: `units:\n  - ${U70}\n` };
      },
    });
    expect(parsed.diagnostics).toEqual([]);
    expect(reads).toBe(1);
    expect([...parsed.texts.keys()]).toEqual(['tests.yaml', 'dir/f/units.yaml']);
    expect(runPolicyTests(policy, [parsed.suite!]).summary.failed).toBe(0);
  });
});
