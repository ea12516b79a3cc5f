/**
 * Property: on fast-check facts (absent and `null` facts included) the compiled evaluator agrees
 * with the reference interpreter (test/eval/reference.ts) on status, missing facts and value for a
 * fixture with if/else-if chains, rounding to a step (round, round_half_even, floor, ceil) and
 * numeric obligations; the shortfall of every unmet obligation is checked against exact BigInt
 * arithmetic on the facts themselves.
 */
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { loadFactsText } from '../../src/facts/parse-facts.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { referenceEvaluate } from './reference.js';

const policy = loadPolicy(fileURLToPath(new URL('./fixtures/property-policy', import.meta.url))).policy!;

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(fc.constant(undefined), fc.constant(null), arb);
const station = fc.record({
  grade: maybe(fc.constantFrom('first', 'second', 'other')),
  months: maybe(fc.integer({ min: 0, max: 12 })),
  // Cents, so that halves, thirds and sevenths all occur.
  rent: maybe(fc.integer({ min: 0, max: 300_000 }).map((c) => c / 100)),
  staff: maybe(fc.integer({ min: 0, max: 12 })),
  posts: maybe(fc.integer({ min: 0, max: 15 })),
  funds: maybe(fc.integer({ min: 0, max: 800_000 }).map((c) => c / 100)),
  remote: maybe(fc.boolean()),
});
type Station = typeof station extends fc.Arbitrary<infer T> ? T : never;

/** Exact cents as a BigInt (every generated amount has at most two decimals). */
const cents = (v: number): bigint => BigInt(Math.round(v * 100));
const decimal = (c: bigint): string => (c % 100n === 0n ? String(c / 100n) : `${c / 100n}.${String(c % 100n).padStart(2, '0')}`.replace(/0$/, ''));

/** The shortfall the documentation promises (docs/language/amounts.md, "Shortfall"). */
function expectedShortfall(rule: string, s: Station): [string, string] | undefined {
  if (typeof s.staff !== 'number') return undefined;
  if (rule === 'staffing') return s.staff < 3 ? [String(3 - s.staff), '人'] : undefined;
  if (rule === 'posts-filled' && typeof s.posts === 'number') {
    // 75% of the posts, rounded up to whole people.
    const need = (BigInt(s.posts) * 3n + 3n) / 4n;
    return BigInt(s.staff) < need ? [String(need - BigInt(s.staff)), '人'] : undefined;
  }
  return undefined;
}

function fundingShortfall(s: Station): [string, string] | undefined {
  if (typeof s.funds !== 'number' || typeof s.rent !== 'number') return undefined;
  const gap = 2n * cents(s.rent) - cents(s.funds);
  return gap > 0n ? [decimal(gap), '元'] : undefined;
}

describe('compiled evaluator = reference interpreter (property)', () => {
  it('agrees on status, missing, value and shortfall', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.array(station, { minLength: 1, maxLength: 20 }), (stations) => {
        const text = JSON.stringify({ stations: stations.map((s, i) => ({ ...s, id: `S${i}` })) });
        const loaded = loadFactsText(policy, 'facts.json', text, 'json');
        expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const facts = loaded.facts!;
        const native = evaluate(policy, facts, { asOf: '2024-06-01' }).results;
        const reference = referenceEvaluate(policy, facts, '2024-06-01');
        expect(native.length).toBe(reference.length);
        native.forEach((r, i) => {
          const where = `${r.subject.id} ${r.rule}`;
          const mine = { subject: `${r.subject.kind}:${r.subject.id}`, rule: r.rule, status: r.status, missing: [...r.missing], ...(r.value !== undefined ? { value: r.value } : {}) };
          expect(mine, where).toEqual(reference[i]);
          seen.add(`${r.rule}:${r.status}`);
          const s = stations[Number(r.subject.id.slice(1))];
          const want = r.status !== 'violation' ? undefined : r.rule === 'funding' ? fundingShortfall(s) : expectedShortfall(r.rule, s);
          expect(r.shortfall === undefined ? undefined : [r.shortfall, r.shortfallUnit], where).toEqual(want);
        });
      }),
      { numRuns: 150, seed: 16 },
    );
    // The generators reach every outcome the fixture is about, including the unknown condition
    // of `bonus` whose branches agree (computed although `remote` is missing).
    for (const outcome of ['yearly:computed', 'yearly:unknown', 'bonus:computed', 'bonus:unknown', 'rent-even:computed', 'rent-floor:computed', 'rent-ceil:computed', 'staffing:violation', 'staffing:compliant', 'posts-filled:violation', 'funding:violation', 'funding:compliant', 'funding:not_applicable']) {
      expect(seen, outcome).toContain(outcome);
    }
  });

  it('a missing condition whose branches agree gives their value', () => {
    const facts = loadFactsText(policy, 'facts.json', JSON.stringify({ stations: [{ id: 'S0', grade: 'other' }, { id: 'S1', grade: 'first' }] }), 'json').facts!;
    const bonus = evaluate(policy, facts, { asOf: '2024-06-01' }).results.filter((r) => r.rule === 'bonus');
    expect(bonus.map((r) => [r.status, r.value ?? null, [...r.missing]])).toEqual([['computed', '200', []], ['unknown', null, ['stations[S1].remote']]]);
  });
});
