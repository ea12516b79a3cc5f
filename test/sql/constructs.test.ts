/**
 * The constructs SQL gained after the first edge policy (test/sql/fixtures/constructs-policy):
 * facts through references, if/else-if, abs/min/max, rounding half-up, half-even and to a step,
 * whole years and days between dates, date arithmetic on facts, lists of numbers, fractional
 * table cells and aggregate bodies, membership of decimals, sets written from facts as sources
 * (each value once, unknown items). On fast-check facts (absent,
 * `null` and present fields, references absent, `null` or dangling nowhere, values at the .5
 * rounding boundaries) `--engine duckdb` gives the in-process results byte for byte; the
 * postgres dialect on PGlite gives the same status, due and missing; every Trino query parses.
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
import { lowerPolicy } from '../../src/lower/lower.js';
import { DIALECTS } from '../../src/sql/dialects.js';
import { factTablesDdl, resultQuery } from '../../src/sql/print-sql.js';
import { factInserts } from '../../src/sql/fact-inserts.js';
import type { Facts } from '../../src/facts/facts.js';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const policy = loadPolicy(root('test/sql/fixtures/constructs-policy')).policy!;
const DATES = ['2021-06-30', '2022-02-28', '2024-02-29'];

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(fc.constant(undefined), fc.constant(null), arb);
const day = fc.constantFrom('2019-02-28', '2020-02-29', '2020-08-31', '2021-01-01', '2021-03-01', '2022-02-28');

const group = fc.record({ parent: fc.option(fc.nat(4), { nil: undefined }), open: maybe(fc.boolean()), since: maybe(day) });
const unit = fc.record({
  group: fc.oneof(fc.constant(undefined), fc.constant(null), fc.nat(4)),
  category: maybe(fc.constantFrom('a', 'b', 'c')),
  posts: fc.oneof(fc.constant(undefined), fc.constant(null), fc.record({ total: maybe(fc.integer({ min: -7, max: 9 })), social_work: maybe(fc.integer({ min: -3, max: 9 })) })),
  flag: maybe(fc.boolean()),
  opened: maybe(day),
  closed: maybe(day),
  score: maybe(fc.constantFrom(1.5, -1.5, 1.4999, 0, -3, 2.25)),
  scores: maybe(fc.array(fc.integer({ min: -2, max: 7 }), { maxLength: 4 })),
});
type Group = typeof group extends fc.Arbitrary<infer T> ? T : never;
type Unit = typeof unit extends fc.Arbitrary<infer T> ? T : never;

/** Facts JSON: absent fields left out, `null` kept; references point only at groups that exist, parents at earlier ones (no cycles). */
function factsText(groups: Group[], units: Unit[]): string {
  return JSON.stringify({
    groups: groups.map((g, i) => ({ ...g, id: `G${i}`, parent: g.parent !== undefined && g.parent < i ? `G${g.parent}` : undefined })),
    units: units.map((u, i) => ({ ...u, id: `U${i}`, group: typeof u.group === 'number' ? (u.group < groups.length ? `G${u.group}` : undefined) : u.group })),
  });
}

function load(text: string): Facts {
  const loaded = loadFactsText(policy, 'facts.json', text, 'json');
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loaded.facts!;
}

async function sameInDuckDb(text: string, asOf: string): Promise<void> {
  const facts = load(text);
  const run = await evaluateWithDuckDb(policy, facts, { asOf });
  expect(run.diagnostics).toEqual([]);
  expect(JSON.stringify(run.results, null, 1)).toBe(JSON.stringify(evaluate(policy, facts, { asOf }).results, null, 1));
}

describe('the constructs policy lowers whole', () => {
  it.each(DATES)('as of %s, and every Trino query parses', (asOf) => {
    const lowered = lowerPolicy(policy, { asOf });
    expect(lowered.unsupported).toEqual([]);
    const ast = new sqlParser.Parser().astify(resultQuery(lowered, DIALECTS.trino), { database: 'trino' });
    expect(Array.isArray(ast) ? ast.length : 1).toBe(1);
  });
});

describe('--engine duckdb on the constructs policy', () => {
  it('gives the in-process results on fast-check facts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(group, { minLength: 1, maxLength: 5 }), fc.array(unit, { maxLength: 30 }), fc.constantFrom(...DATES),
        async (groups, units, asOf) => sameInDuckDb(factsText(groups, units), asOf)),
      process.env.CLAUSAL_SLOW ? { numRuns: 60 } : { numRuns: 6, seed: 1818 },
    );
  }, process.env.CLAUSAL_SLOW ? 1_200_000 : 120_000);

  it('rounds half up and half to even exactly at .5, and to a step', async () => {
    // total/2 and social_work/4 land on .5 and on .25/.75; -7/2 rounds to -4 (half up) and -4 (even).
    const units = [-7, -5, -3, -1, 1, 3, 5, 7, 9].map((t, i) => ({ id: `U${i}`, posts: { total: t, social_work: t + 2 } }));
    const text = JSON.stringify({ groups: [], units });
    await sameInDuckDb(text, '2022-02-28');
    const results = evaluate(policy, load(text), { asOf: '2022-02-28' }).results;
    expect(new Set(results.filter((r) => r.rule === 'rounding' || r.rule === 'rounding-step').map((r) => r.status))).toEqual(new Set(['compliant', 'violation']));
  });
});

describe('the postgres dialect on PGlite', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = new PGlite();
    await db.waitReady;
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it('gives the in-process status, due and missing', async () => {
    const pg = DIALECTS.postgres;
    const [groups, units] = fc.sample(fc.tuple(fc.array(group, { minLength: 3, maxLength: 5 }), fc.array(unit, { minLength: 60, maxLength: 60 })), { numRuns: 1, seed: 18 })[0];
    const facts = load(factsText(groups, units));
    const kinds = lowerPolicy(policy, { asOf: DATES[0] }).kinds;
    for (const ddl of factTablesDdl(kinds, pg)) await db.exec(ddl);
    const { statements, diagnostics } = factInserts(kinds, facts, pg);
    expect(diagnostics).toEqual([]);
    for (const s of statements) await db.exec(s);
    for (const asOf of DATES) {
      const rows = (await db.query<Record<string, unknown>>(resultQuery(lowerPolicy(policy, { asOf }), pg))).rows;
      const got = rows.map((r) => ({ id: r.subject_id, rule: r.rule, status: r.status, due: r.due, missing: r.missing }));
      const want = evaluate(policy, facts, { asOf }).results.map((r) => ({ id: r.subject.id, rule: r.rule, status: r.status, due: r.due, missing: [...r.missing] }));
      expect(got).toEqual(want);
    }
  }, 60_000);
});
