/**
 * Value rules (`compute`) in SQL (test/sql/fixtures/value-policy: if/else-if amounts, a cap by
 * min, prorating rounded to a cent half up and half to even, a date value, a sum over a relation
 * of rounded amounts): on fast-check facts (absent and `null` facts, none values) `--engine
 * duckdb` gives the in-process results byte for byte (status `computed`, `value`, `unit`,
 * explanations); the postgres dialect gives the same statuses, values and units on PGlite; the
 * Trino query parses. The same for policies/community-worker-allowance, whose definitions nest.
 */
import { PGlite } from '@electric-sql/pglite';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});

/*
 * policies/community-worker-allowance: tiers by if/else-if, a cap by min, a yearly amount
 * prorated and rounded to a cent, and a county budget summing it over institutions and all
 * sub-regions. Its definitions nest (yearly -> monthly -> tier), and each SQL node repeats its
 * operands: the printer binds them to derived columns, so its SQL stays small and every rule runs.
 */
const allowance = loadPolicy(root('policies/community-worker-allowance/2024')).policy!;
const ALLOWANCE_DATES = ['2023-12-31', '2024-06-30', '2025-07-01', '2026-01-01'];
const CITY = root('policies/community-worker-allowance/examples/city.yaml');
const VALUE_RULES = ['monthly-allowance', 'yearly-allowance', 'county-allowance-budget'];

const worker = fc.record({
  institution: fc.option(fc.nat(3), { nil: undefined }),
  qualification: maybe(fc.constantFrom('none', 'assistant', 'intermediate', 'senior')),
  community_worker: maybe(fc.boolean()),
  months_served: maybe(fc.integer({ min: 0, max: 12 })),
  hard_area_years: maybe(fc.constantFrom(0, 2.5, 3, 7)),
  other_allowance: maybe(fc.boolean()),
  disciplined: maybe(fc.boolean()),
});
type Worker = typeof worker extends fc.Arbitrary<infer T> ? T : never;

function city(workers: Worker[]): Facts {
  const regions = [
    { id: 'P', level: 'province' }, { id: 'C1', level: 'county', parent: 'P' }, { id: 'T1', level: 'township', parent: 'C1' },
    { id: 'C2', level: 'county', parent: 'P' },
  ];
  const institutions = [{ id: 'I0', region: 'C1' }, { id: 'I1', region: 'T1' }, { id: 'I2', region: 'C2' }, { id: 'I3', region: 'P' }];
  const text = JSON.stringify({ regions, institutions, workers: workers.map((w, i) => ({ ...w, id: `W${i}`, institution: w.institution === undefined ? undefined : `I${w.institution}` })) });
  const loaded = loadFactsText(allowance, 'facts.json', text, 'json');
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loaded.facts!;
}

describe('policies/community-worker-allowance in SQL', () => {
  it('lowers whole, and its Trino queries parse', () => {
    for (const asOf of ALLOWANCE_DATES.slice(1, 3)) {
      const lowered = sqlLowering(allowance, asOf);
      expect(lowered.unsupported).toEqual([]);
      expect(lowered.rules.map((r) => r.id)).toContain('county-allowance-budget');
      // The measure's own rules (the province's are parsed in trino-dialect.test.ts).
      const own = { ...lowered, rules: lowered.rules.filter((r) => VALUE_RULES.includes(r.id)) };
      const ast = new sqlParser.Parser().astify(resultQuery(own, DIALECTS.trino), { database: 'trino' });
      expect(Array.isArray(ast) ? ast.length : 1).toBe(1);
    }
  });

  it('--engine duckdb gives the in-process results on the city example at four dates', async () => {
    const loaded = loadFactsText(allowance, CITY, readFileSync(CITY, 'utf8'), 'yaml');
    let computed = 0;
    for (const asOf of ALLOWANCE_DATES) {
      const run = await evaluateWithDuckDb(allowance, loaded.facts!, { asOf });
      expect(run.diagnostics).toEqual([]);
      const want = evaluate(allowance, loaded.facts!, { asOf }).results;
      expect(JSON.stringify(run.results, null, 1)).toBe(JSON.stringify(want, null, 1));
      computed += want.filter((r) => r.rule === 'county-allowance-budget' && r.status === 'computed').length;
    }
    // Two counties at each of the three dates the measure is in force.
    expect(computed).toBe(6);
  }, 120_000);

  it('--engine duckdb gives the in-process results on fast-check facts', async () => {
    let unknown = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(worker, { maxLength: 12 }), fc.constantFrom(...ALLOWANCE_DATES.slice(1)), async (workers, asOf) => {
        const facts = city(workers);
        const run = await evaluateWithDuckDb(allowance, facts, { asOf });
        expect(run.diagnostics).toEqual([]);
        const want = evaluate(allowance, facts, { asOf }).results;
        expect(JSON.stringify(run.results, null, 1)).toBe(JSON.stringify(want, null, 1));
        unknown += want.filter((r) => r.rule === 'yearly-allowance' && r.status === 'unknown').length;
      }),
      process.env.CLAUSAL_SLOW ? { numRuns: 30 } : { numRuns: 3, seed: 1819 },
    );
    expect(unknown).toBeGreaterThan(0);
  }, process.env.CLAUSAL_SLOW ? 1_200_000 : 120_000);

  it('prints SQL that grows linearly with nested definitions, and runs it', async () => {
    // Each level is an if/else whose branches read the level below three times, one of them
    // rounded: printed inline, every level would multiply the text by about ten.
    const results = await Promise.all([4, 8].map(async (depth) => {
      const defs = Array.from({ length: depth }, (_, i) => `define f${i + 1}(w: worker) = if f${i}(w) >= 500 then round(f${i}(w) * 1.05, 0.01) else f${i}(w) + w.months\n`).join('');
      const dir = mkdtempSync(join(tmpdir(), 'clausal-linear-'));
      writeFileSync(join(dir, 'p.clause'), `policy lin version "1"
enum grade { a "甲" b "乙" c "丙" }
kind worker from workers "人" {
  grade: grade "等级"
  months: integer "月数"
}
define f0(w: worker) = if w.grade == a then 300 else if w.grade == b then 500 else 800
${defs}
rule nested cite "一" for worker w
  compute in 元 step 0.01 = f${depth}(w)
`);
      const loaded = loadPolicy(dir);
      expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const lowered = sqlLowering(loaded.policy!, '2024-06-30');
      expect(lowered.unsupported).toEqual([]);
      const workers = [{ id: 'W1', grade: 'a', months: 150 }, { id: 'W2', grade: 'b', months: 3 }, { id: 'W3', grade: 'c' }, { id: 'W4', months: 7 }, { id: 'W5', grade: null, months: 1 }];
      const facts = loadFactsText(loaded.policy!, 'facts.json', JSON.stringify({ workers }), 'json').facts!;
      const run = await evaluateWithDuckDb(loaded.policy!, facts, { asOf: '2024-06-30' });
      expect(JSON.stringify(run.results)).toBe(JSON.stringify(evaluate(loaded.policy!, facts, { asOf: '2024-06-30' }).results));
      return { size: resultQuery(lowered, DIALECTS.duckdb).length, values: run.results!.map((r) => r.value ?? r.status) };
    }));
    // W4's grade is absent (unknown); a none grade takes the else branch.
    expect(results[1].values.filter((v) => /^\d+\.\d\d$/.test(v)).length).toBe(4);
    expect(results[1].size / results[0].size).toBeLessThan(2.5);
  }, 60_000);
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

  it('gives the in-process status, value and unit for policies/community-worker-allowance', async () => {
    const pg = DIALECTS.postgres;
    const facts = loadFactsText(allowance, CITY, readFileSync(CITY, 'utf8'), 'yaml').facts!;
    const kinds = sqlLowering(allowance, ALLOWANCE_DATES[0]).kinds;
    for (const ddl of factTablesDdl(kinds, pg)) await db.exec(ddl);
    for (const s of factInserts(kinds, facts, pg).statements) await db.exec(s);
    for (const asOf of ALLOWANCE_DATES.slice(2, 3)) {
      // The measure's own rules (the province's run on PostgreSQL in postgres-dialect.test.ts).
      const lowered = sqlLowering(allowance, asOf);
      const own = { ...lowered, rules: lowered.rules.filter((r) => VALUE_RULES.includes(r.id)) };
      const rows = (await db.query<Record<string, unknown>>(resultQuery(own, pg))).rows;
      const got = rows.map((r) => ({ id: r.subject_id, rule: r.rule, status: r.status, missing: r.missing, value: r.value, unit: r.unit }));
      const want = evaluate(allowance, facts, { asOf }).results.filter((r) => VALUE_RULES.includes(r.rule)).map((r) => ({ id: r.subject.id, rule: r.rule, status: r.status, missing: [...r.missing], value: r.value ?? null, unit: r.status === 'computed' ? r.unit ?? null : null }));
      expect(got).toEqual(want);
    }
  }, 60_000);
});
