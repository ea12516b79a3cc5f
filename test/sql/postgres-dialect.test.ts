/**
 * The postgres dialect on a real PostgreSQL (PGlite, in-process): the exported script, with the
 * example facts inserted, gives the in-process engine's status, due date and missing facts for
 * every subject and rule, in the same order.
 */
import { PGlite } from '@electric-sql/pglite';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { loadFacts } from '../../src/loader/load-facts.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { lowerPolicy } from '../../src/lower/lower.js';
import { DIALECTS } from '../../src/sql/dialects.js';
import { factTablesDdl, resultQuery } from '../../src/sql/print-sql.js';
import { factInserts } from '../../src/sql/fact-inserts.js';
import type { Facts } from '../../src/facts/facts.js';
import type { Policy } from '../../src/model/types.js';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const pg = DIALECTS.postgres;
const CASES = [
  { policy: 'policies/yunnan-social-work/2021', facts: 'policies/yunnan-social-work/examples/province.yaml', dates: ['2021-06-15', '2022-06-01', '2023-03-01'] },
  { policy: 'policies/yunnan-social-work/supplements/kunming', facts: 'policies/yunnan-social-work/examples/kunming-schools.yaml', dates: ['2023-03-01'] },
];

let db: PGlite;
beforeAll(async () => {
  db = new PGlite();
  await db.waitReady;
}, 60_000);
afterAll(async () => {
  await db?.close();
});

async function load(policy: Policy, facts: Facts, schema: string): Promise<void> {
  const kinds = lowerPolicy(policy, { asOf: '2023-01-01' }).kinds;
  await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; SET search_path TO ${schema};`);
  for (const ddl of factTablesDdl(kinds, pg)) await db.exec(ddl);
  const { statements, diagnostics } = factInserts(kinds, facts, pg);
  expect(diagnostics).toEqual([]);
  for (const s of statements) await db.exec(s);
}

describe('the postgres dialect on PostgreSQL (PGlite)', () => {
  CASES.forEach((c, i) => {
    const policy = loadPolicy(root(c.policy)).policy!;
    const facts = loadFacts(policy, root(c.facts)).facts!;
    it(`${c.policy}: ${c.dates.join(', ')}`, async () => {
      await load(policy, facts, `case${i}`);
      for (const asOf of c.dates) {
        const lowered = lowerPolicy(policy, { asOf });
        expect(lowered.unsupported).toEqual([]);
        const rows = (await db.query<Record<string, unknown>>(resultQuery(lowered, pg))).rows;
        const got = rows.map((r) => ({ kind: r.subject_kind, id: r.subject_id, rule: r.rule, status: r.status, due: r.due, missing: r.missing }));
        const want = evaluate(policy, facts, { asOf }).results.map((r) => ({ kind: r.subject.kind, id: r.subject.id, rule: r.rule, status: r.status, due: r.due, missing: [...r.missing] }));
        expect(got).toEqual(want);
      }
    }, 60_000);
  });
});
