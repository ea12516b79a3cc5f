/**
 * Differential test: the compiled evaluator agrees with the naive reference interpreter
 * (test/eval/reference.ts) on every subject of the bundled examples and of a generated
 * province, at dates around every deadline of the policy.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { loadFacts } from '../../src/loader/load-facts.js';
import { loadFactsText } from '../../src/facts/parse-facts.js';
import { evaluate } from '../../src/eval/evaluate.js';
import type { Facts } from '../../src/facts/facts.js';
import type { Policy } from '../../src/model/types.js';
import { referenceEvaluate } from './reference.js';

const DATES = ['2021-03-01', '2021-06-30', '2021-07-01', '2022-06-01', '2022-12-31', '2023-01-01'];

function compare(policy: Policy, facts: Facts, asOf: string): number {
  const native = evaluate(policy, facts, { asOf }).results.map((r) => ({ subject: `${r.subject.kind}:${r.subject.id}`, rule: r.rule, status: r.status, missing: [...r.missing] }));
  const reference = referenceEvaluate(policy, facts, asOf);
  expect(native.length).toBe(reference.length);
  for (let i = 0; i < native.length; i++) expect(native[i], `${native[i].subject} ${native[i].rule} @${asOf}`).toEqual(reference[i]);
  return native.length;
}

describe('compiled evaluator vs reference interpreter', () => {
  const loaded = loadPolicy('policies/yunnan-social-work/2021');
  const policy = loaded.policy!;

  it.each(DATES)('example province as of %s', (asOf) => {
    const facts = loadFacts(policy, 'policies/yunnan-social-work/examples/province.yaml').facts!;
    expect(compare(policy, facts, asOf)).toBeGreaterThan(1000);
  });

  it('generated province (2,000 institutions) at every date', () => {
    const json = execFileSync('node', ['scripts/gen-province.js', '--institutions', '2000', '--regions', '400', '--seed', '11'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const facts = loadFactsText(policy, 'gen.json', json, 'json').facts!;
    let total = 0;
    for (const asOf of DATES) total += compare(policy, facts, asOf);
    expect(total).toBeGreaterThan(50_000);
  });
});
