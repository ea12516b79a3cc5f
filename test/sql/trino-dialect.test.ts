/**
 * The trino dialect: every query it prints for the bundled policies (at dates on both sides of
 * their parameter changes) and for the edge-construct policy parses with node-sql-parser in
 * Trino mode. (No Trino runs here: see docs/embedding/beyond-one-machine.en.md.)
 */
import { fileURLToPath } from 'node:url';
import sqlParser from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { lowerPolicy } from '../../src/lower/lower.js';
import { DIALECTS } from '../../src/sql/dialects.js';
import { resultQuery } from '../../src/sql/print-sql.js';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const POLICIES = ['policies/yunnan-social-work/2021', 'policies/yunnan-social-work/2025-draft', 'policies/yunnan-social-work/supplements/kunming', 'test/sql/fixtures/edge-policy'];
const DATES = ['2021-06-15', '2025-01-01'];

describe('every Trino query parses', () => {
  const parser = new sqlParser.Parser();
  it.each(POLICIES)('%s', (dir) => {
    const policy = loadPolicy(root(dir)).policy!;
    for (const asOf of DATES) {
      const lowered = lowerPolicy(policy, { asOf });
      expect(lowered.unsupported).toEqual([]);
      const sql = resultQuery(lowered, DIALECTS.trino);
      const ast = parser.astify(sql, { database: 'trino' });
      expect(Array.isArray(ast) ? ast.length : 1).toBe(1);
    }
  });
});
