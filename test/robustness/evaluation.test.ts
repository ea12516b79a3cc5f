/**
 * Evaluation at the edges of arithmetic and time: division by zero, percentages over 100%,
 * negative counts, a deadline before the effective date, an as-of date before any parameter
 * value exists (or before the policy, or at the ends of the calendar). Each ends in the status
 * the semantics define, with an explanation that says why, or in a diagnostic.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/eval/evaluate.js';
import { loadFactsText } from '../../src/facts/parse-facts.js';
import { compileMemory, PRELUDE } from '../helpers/policy.js';
import { cli, errorCodes, expectDiagnostic, expectNoCrash, POLICY, put, tempDir } from './harness.js';

const dir = tempDir('eval');

interface Got {
  readonly status: string;
  readonly due: string | null;
  readonly missing: readonly string[];
  readonly explanation: string;
}

function run(rules: string, facts: string, asOf: string, prelude = PRELUDE): Record<string, Got> {
  const loaded = compileMemory({ 'p.clause': prelude + rules });
  expect(errorCodes(loaded.diagnostics), JSON.stringify(loaded.diagnostics)).toEqual([]);
  const f = loadFactsText(loaded.policy!, 'f.yaml', facts, 'yaml');
  expect(errorCodes(f.diagnostics)).toEqual([]);
  const out: Record<string, Got> = {};
  for (const r of evaluate(loaded.policy!, f.facts!, { asOf, lang: 'en' }).results) {
    expect(r.explanation).not.toMatch(/NaN|Infinity|undefined|\[object/);
    out[r.subject.id] = { status: r.status, due: r.due, missing: r.missing, explanation: r.explanation };
  }
  return out;
}

describe('division by zero', () => {
  it('a share of zero posts is unknown, and the explanation names the division', () => {
    const got = run('rule q cite "一" for unit u must u.posts.social_work / u.posts.total >= 70%', 'units:\n  - { id: A, posts: { total: 0, social_work: 0 } }\n  - { id: B, posts: { total: 0, social_work: 5 } }\n  - { id: C, posts: { total: 10, social_work: 7 } }\n', '2023-01-01');
    expect(got.A.status).toBe('unknown');
    expect(got.A.explanation).toContain('division by zero');
    expect(got.A.explanation).toContain('u.posts.social_work / u.posts.total');
    expect(got.B.status).toBe('unknown');
    expect(got.C.status).toBe('compliant');
  });

  it('a constant division by zero, inside `or`, inside an aggregate, and by a zero ratio', () => {
    expect(run('rule q cite "一" for unit u must 1 / 0 > 0', 'units: [{ id: A }]', '2023-01-01').A.status).toBe('unknown');
    // Kleene logic: `true or unknown` is true, `false and unknown` is false.
    expect(run('rule q cite "一" for unit u must true or 1 / 0 > 0', 'units: [{ id: A }]', '2023-01-01').A.status).toBe('compliant');
    expect(run('rule q cite "一" for unit u must false and 1 / 0 > 0', 'units: [{ id: A }]', '2023-01-01').A.status).toBe('violation');
    expect(run('rule q cite "一" for unit u must sum(x in {0, 1} : 1 / x) > 0', 'units: [{ id: A }]', '2023-01-01').A.status).toBe('unknown');
    expect(run('param r: ratio = 0:1\nrule q cite "一" for unit u must u.posts.total / r > 0', 'units: [{ id: A, posts: { total: 1 } }]', '2023-01-01').A.status).toBe('unknown');
  });

  it('through the CLI: exit 0, the result unknown', async () => {
    const policyDir = put(dir, 'div/p.clause', `${PRELUDE}rule q cite "一" for unit u must u.posts.social_work / u.posts.total >= 70%\n`).replace(/\/p\.clause$/, '');
    const facts = put(dir, 'div.yaml', 'units: [{ id: A, posts: { total: 0, social_work: 0 } }]\n');
    const r = await cli(['eval', policyDir, '--facts', facts, '--as-of', '2023-01-01', '--format', 'json']);
    expectNoCrash(r);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results[0].status).toBe('unknown');
  });
});

describe('percentages over 100%, negative counts, extreme magnitudes', () => {
  it('a 150% quota is exact at its boundary', () => {
    const got = run('param s: percent = 150%\nrule q cite "一" for unit u must u.posts.social_work >= s * u.posts.total', 'units:\n  - { id: A, posts: { total: 10, social_work: 15 } }\n  - { id: B, posts: { total: 10, social_work: 14 } }\n  - { id: C, posts: { total: 3, social_work: 5 } }\n', '2023-01-01');
    expect([got.A.status, got.B.status, got.C.status]).toEqual(['compliant', 'violation', 'compliant']);
  });

  it('a percent fact over 100% and a negative percent are numbers like any other', () => {
    const prelude = PRELUDE.replace('ratio: number "比率"', 'ratio: number "比率"\n  share: percent "占比"');
    const got = run('rule q cite "一" for unit u must u.share <= 100%', 'units:\n  - { id: A, share: "250%" }\n  - { id: B, share: -0.5 }\n  - { id: C, share: "100%" }\n', '2023-01-01', prelude);
    expect([got.A.status, got.B.status, got.C.status]).toEqual(['violation', 'compliant', 'compliant']);
  });

  it('negative counts are computed exactly (70% of -10 is -7)', () => {
    const got = run('rule q cite "一" for unit u must u.posts.social_work >= 70% * u.posts.total', 'units:\n  - { id: A, posts: { total: -10, social_work: -7 } }\n  - { id: B, posts: { total: 10, social_work: -1 } }\n  - { id: C, posts: { total: -10, social_work: -8 } }\n', '2023-01-01');
    expect([got.A.status, got.B.status, got.C.status]).toEqual(['compliant', 'violation', 'violation']);
    expect(got.B.explanation).toContain('short by 8');
  });

  it('ceil of a negative share, and sums near 2^53', () => {
    const got = run('rule q cite "一" for unit u must u.posts.social_work >= ceil(u.posts.total * 1:3)', 'units:\n  - { id: A, posts: { total: -10, social_work: -3 } }\n  - { id: B, posts: { total: 9007199254740991, social_work: 3002399751580331 } }\n', '2023-01-01');
    expect(got.A.status).toBe('compliant');
    expect(got.B.status).toBe('compliant');
  });
});

describe('dates: deadlines, effective dates, parameter histories', () => {
  const EFFECTIVE = PRELUDE.replace('policy t version "1"', 'policy t version "1" effective 2021-01-01');

  it('a deadline before the policy takes effect is a check error (C0009), literal or parameter', async () => {
    for (const body of ['rule q cite "一" for unit u must u.flag by 2020-12-31', 'param d: date = 2000-01-01\nrule q cite "一" for unit u must u.flag by d']) {
      const loaded = compileMemory({ 'p.clause': `${EFFECTIVE}${body}\n` });
      expect(errorCodes(loaded.diagnostics)).toEqual(['C0009']);
      const policyDir = put(dir, `deadline-${body.length}/p.clause`, `${EFFECTIVE}${body}\n`).replace(/\/p\.clause$/, '');
      expectDiagnostic(await cli(['check', policyDir]), 1, 'C0009', '\\S+p\\.clause:\\d+:\\d+');
    }
  });

  it('without an effective date, a deadline long past is a violation with its due date', () => {
    const got = run('rule q cite "一" for unit u must u.flag by 2000-01-01', 'units: [{ id: A, flag: false }]', '2023-01-01');
    expect(got.A).toMatchObject({ status: 'violation', due: '2000-01-01' });
  });

  it('as of a date before the policy takes effect: not applicable', () => {
    const got = run('rule q cite "一" for unit u must u.flag by 2022-12-31', 'units: [{ id: A, flag: false }]', '2020-06-01', EFFECTIVE);
    expect(got.A.status).toBe('not_applicable');
  });

  it('as of a date before any value of a parameter exists: unknown, naming the parameter', () => {
    const got = run('param s: percent = 70% from 2021-01-01, 75% from 2025-01-01\nrule q cite "一" for unit u must u.posts.social_work >= s * u.posts.total', 'units: [{ id: A, posts: { total: 10, social_work: 7 } }]', '2020-06-01');
    expect(got.A).toMatchObject({ status: 'unknown', missing: ['param s'] });
    expect(run('param s: percent = 70% from 2021-01-01\nrule q cite "一" for unit u must u.posts.social_work >= s * u.posts.total', 'units: [{ id: A, posts: { total: 10, social_work: 7 } }]', '2021-01-01').A.status).toBe('compliant');
  });

  it('a deadline parameter with no value yet: unknown, not a crash', () => {
    const got = run('param d: date = 2030-01-01 from 2029-01-01\nrule q cite "一" for unit u must u.flag by d', 'units: [{ id: A, flag: false }]', '2023-01-01');
    expect(got.A.status).toBe('unknown');
  });

  it('date arithmetic at the ends of the calendar', () => {
    for (const asOf of ['0001-01-01', '9999-12-31']) {
      const got = run('rule q cite "一" for unit u must u.opened + 100y < today', 'units: [{ id: A, opened: 9999-12-31 }, { id: B, opened: 0001-01-01 }]', asOf);
      for (const g of Object.values(got)) expect(['compliant', 'violation', 'unknown']).toContain(g.status);
    }
  });

  it('--as-of that is not a date, or does not exist: usage error X0004, exit 2', async () => {
    for (const asOf of ['2021-02-29', '2022-13-01', '22-6-1', 'yesterday', '']) {
      const r = await cli(['eval', POLICY, '--facts', 'policies/yunnan-social-work/examples/province.yaml', '--as-of', asOf]);
      expectNoCrash(r);
      expect(r.code, asOf).toBe(2);
      expect(r.stderr).toContain('X0004');
    }
  });

  it('the bundled policy as of 0001-01-01 and 9999-12-31 evaluates the example province', async () => {
    for (const asOf of ['0001-01-01', '9999-12-31']) {
      const r = await cli(['eval', POLICY, '--facts', 'policies/yunnan-social-work/examples/province.yaml', '--as-of', asOf, '--format', 'json']);
      expectNoCrash(r);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      if (asOf === '0001-01-01') expect(out.summary.not_applicable).toBe(out.results.length);
    }
  });
});
