/** Evaluation semantics from test/cases/eval-statuses.yaml (statuses, deadlines, Kleene logic, numbers). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { evaluate } from '../../src/eval/evaluate.js';
import { factsOf, policyOf, PRELUDE } from '../helpers/policy.js';

type Want = Record<string, Record<string, string | { status: string; due?: string; missing?: string[] }>>;
interface Case {
  note: string;
  rules: string;
  facts: string;
  asOf?: string;
  want?: Want;
  cases?: { asOf: string; want: Want }[];
}

const cases = parse(readFileSync('test/cases/eval-statuses.yaml', 'utf8')) as Case[];

describe('evaluation semantics', () => {
  for (const c of cases) {
    const runs = c.cases ?? [{ asOf: c.asOf!, want: c.want! }];
    for (const run of runs) {
      it(`${c.note} (as of ${run.asOf})`, () => {
        const policy = policyOf({ 'p.clause': PRELUDE + c.rules });
        const facts = factsOf(policy, c.facts);
        const report = evaluate(policy, facts, { asOf: run.asOf });
        for (const [subject, rules] of Object.entries(run.want)) {
          for (const [rule, want] of Object.entries(rules)) {
            const r = report.results.find((x) => x.subject.id === subject && x.rule === rule);
            expect(r, `${subject}/${rule}`).toBeDefined();
            const expected = typeof want === 'string' ? { status: want } : want;
            expect(r!.status, `${subject}/${rule}: ${r!.explanation}`).toBe(expected.status);
            if (expected.due !== undefined) expect(r!.due).toBe(expected.due);
            if (expected.missing !== undefined) expect(r!.missing).toEqual(expected.missing);
            expect(r!.explanation).not.toMatch(/NaN|Infinity|undefined/);
          }
        }
      });
    }
  }
});
