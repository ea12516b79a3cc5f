/**
 * Differential test of `--engine duckdb`: on the example facts, at dates on both sides of every
 * deadline of the bundled policies, the DuckDB engine's results equal the in-process engine's,
 * field for field (status, due, missing, explanation, figures, shortfall), in the same order.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { loadFacts } from '../../src/loader/load-facts.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { evaluateWithDuckDb } from '../../src/sql/duckdb-engine.js';
import { emptySummary } from '../../src/model/result.js';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const DATES = ['2020-12-31', '2021-06-15', '2021-06-30', '2022-06-01', '2023-03-01', '2026-01-01'];
const CASES = [
  { policy: 'policies/yunnan-social-work/2021', facts: 'policies/yunnan-social-work/examples/province.yaml' },
  { policy: 'policies/yunnan-social-work/supplements/kunming', facts: 'policies/yunnan-social-work/examples/kunming-schools.yaml' },
  { policy: 'policies/yunnan-social-work/2025-draft', facts: 'policies/yunnan-social-work/examples/province.yaml' },
];

describe('eval --engine duckdb equals the in-process engine', () => {
  for (const c of CASES) {
    const policy = loadPolicy(root(c.policy)).policy!;
    const facts = loadFacts(policy, root(c.facts)).facts!;
    it.each(DATES)(`${c.policy} on ${c.facts.split('/').pop()} as of %s`, async (asOf) => {
      const expected = evaluate(policy, facts, { asOf });
      const summary = emptySummary();
      const run = await evaluateWithDuckDb(policy, facts, { asOf }, summary);
      expect(run.diagnostics).toEqual([]);
      expect(JSON.stringify(run.results)).toBe(JSON.stringify(expected.results));
      expect(summary).toEqual(expected.summary);
    });
  }
});
