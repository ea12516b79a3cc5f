/**
 * Value rules (`compute`) in SQL (test/sql/fixtures/value-policy: if/else-if amounts, a cap by
 * min, prorating rounded to a cent half up and half to even, a date value, a sum over a relation
 * of rounded amounts): on fast-check facts (absent and `null` facts, none values) `--engine
 * duckdb` gives the in-process results byte for byte (status `computed`, `value`, `unit`,
 * explanations); the postgres dialect gives the same statuses, values and units on PGlite; the
 * Trino query parses. A rule whose SQL would grow past the printers' bound is refused by name.
 */
import { PGlite } from '@electric-sql/pglite';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import sqlParser from 'node-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { loadFactsText } from '../../src/facts/parse-facts.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { evaluateWithDuckDb } from '../../src/sql/duckdb-engine.js';
import { sqlLowering } from '../../src/sql/unsupported.js';
import { DIALECTS } from '../../src/sql/dialects.js';
import { factTablesDdl, resultQuery } from '../../src/sql/print-sql.js';
import { factInserts } from '../../src/sql/fact-inserts.js';
import type { Facts } from '../../src/facts/facts.js';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const policy = loadPolicy(root('test/sql/fixtures/value-policy')).policy!;
const DATES = ['2024-06-30', '2025-07-01'];

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(fc.constant(undefined), fc.constant(null), arb);
const member = fc.record({
  team: fc.option(fc.nat(2), { nil: undefined }),
  grade: maybe(fc.constantFrom('junior', 'middle', 'senior')),
  months: maybe(fc.integer({ min: -3, max: 12 })),
  extra: maybe(fc.constantFrom(0, 50, 500)),
  started: maybe(fc.constantFrom('2023-02-28', '2024-02-29', '2024-12-31')),
  paused: maybe(fc.boolean()),
});
type Member = typeof member extends fc.Arbitrary<infer T> ? T : never;

function load(members: Member[]): Facts {
  const text = JSON.stringify({ teams: [{ id: 'T0' }, { id: 'T1' }, { id: 'T2' }], members: members.map((m, i) => ({ ...m, id: `M${i}`, team: m.team === undefined ? undefined : `T${m.team}` })) });
  const loaded = loadFactsText(policy, 'facts.json', text, 'json');
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loaded.facts!;
}

describe('value rules in SQL', () => {
  it('lower whole, and every Trino query parses', () => {
    for (const asOf of DATES) {
      const lowered = sqlLowering(policy, asOf);
      expect(lowered.unsupported).toEqual([]);
      const ast = new sqlParser.Parser().astify(resultQuery(lowered, DIALECTS.trino), { database: 'trino' });
      expect(Array.isArray(ast) ? ast.length : 1).toBe(1);
    }
  });

  it('--engine duckdb gives the in-process results on fast-check facts', async () => {
    let computed = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(member, { maxLength: 25 }), fc.constantFrom(...DATES), async (members, asOf) => {
        const facts = load(members);
        const run = await evaluateWithDuckDb(policy, facts, { asOf });
        expect(run.diagnostics).toEqual([]);
        const want = evaluate(policy, facts, { asOf }).results;
        expect(JSON.stringify(run.results, null, 1)).toBe(JSON.stringify(want, null, 1));
        computed += want.filter((r) => r.status === 'computed').length;
      }),
      process.env.CLAUSAL_SLOW ? { numRuns: 40 } : { numRuns: 5, seed: 1818 },
    );
    expect(computed).toBeGreaterThan(20);
  }, process.env.CLAUSAL_SLOW ? 1_200_000 : 120_000);

  it('refuses, by name, allowance rules whose SQL would grow past the bound', () => {
    const allowance = loadPolicy(root('policies/community-worker-allowance/2024')).policy!;
    const lowered = sqlLowering(allowance, '2024-06-30');
    expect(lowered.unsupported.map((u) => [u.rule, u.reason])).toEqual([['yearly-allowance', 'sql-size'], ['county-allowance-budget', 'sql-size']]);
    expect(lowered.rules.map((r) => r.id)).toContain('monthly-allowance');
  });
});

describe('value rules on PostgreSQL (PGlite)', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = new PGlite();
    await db.waitReady;
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it('gives the in-process status, value and unit', async () => {
    const pg = DIALECTS.postgres;
    const facts = load(fc.sample(fc.array(member, { minLength: 40, maxLength: 40 }), { numRuns: 1, seed: 18 })[0]);
    const kinds = sqlLowering(policy, DATES[0]).kinds;
    for (const ddl of factTablesDdl(kinds, pg)) await db.exec(ddl);
    const { statements } = factInserts(kinds, facts, pg);
    for (const s of statements) await db.exec(s);
    for (const asOf of DATES) {
      const rows = (await db.query<Record<string, unknown>>(resultQuery(sqlLowering(policy, asOf), pg))).rows;
      const got = rows.map((r) => ({ id: r.subject_id, rule: r.rule, status: r.status, missing: r.missing, value: r.value, unit: r.unit }));
      const want = evaluate(policy, facts, { asOf }).results.map((r) => ({ id: r.subject.id, rule: r.rule, status: r.status, missing: [...r.missing], value: r.value ?? null, unit: r.status === 'computed' ? r.unit ?? null : null }));
      expect(got).toEqual(want);
    }
  }, 60_000);
});
