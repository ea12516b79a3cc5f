/**
 * Property tests of shared definitions (issue #15), with fast-check (seeded): generated
 * policies whose definitions call the previous level one to four times, through `and`, `or`,
 * `not`, `min`, `max` and arithmetic, at depths where inlining would have built 4^30 nodes.
 *
 * - every policy checks clean, and evaluates to what a direct (memoised) reading of the same
 *   definitions gives, including `unknown` for a subject with a missing fact;
 * - compiled size is linear in the policy text: nodes per character of text stay under a
 *   fixed bound whatever the depth and the calls per level, and checking plus evaluating a
 *   policy takes time in proportion (a generous per-character bound, to catch 2^n, not noise).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sharedBodies, treeSize } from '../../src/check/expr-size.js';
import { evaluate } from '../../src/eval/evaluate.js';
import type { TExpr } from '../../src/model/types.js';
import { compileMemory, factsOf } from '../helpers/policy.js';
import { errorCodes } from './harness.js';

const SEED = 20_261_205;

interface Level {
  /** How the level combines its calls of the previous one. */
  readonly combine: 'and' | 'or' | 'not-and' | 'min' | 'max' | 'sum-diff';
  readonly calls: number;
}

const levelArb: fc.Arbitrary<Level> = fc.record({
  combine: fc.constantFrom('and', 'or', 'not-and', 'min', 'max', 'sum-diff'),
  calls: fc.integer({ min: 1, max: 4 }),
});

/**
 * Two chains: `b_i` (boolean) over `b_{i-1}`, and `n_i` (number) over `n_{i-1}`; each level's
 * `combine` applies to the chain of its type (boolean ways to `b`, numeric ways to `n`).
 */
function policyText(levels: readonly Level[], threshold: number): string {
  let text = `policy t version "1"
kind unit from units {
  total: integer
  flag: boolean
}
define b0(u: unit) = u.flag
define n0(u: unit) = u.total
`;
  levels.forEach((l, k) => {
    const i = k + 1;
    const b = Array.from({ length: l.calls }, () => `b${i - 1}(u)`);
    const n = Array.from({ length: l.calls }, () => `n${i - 1}(u)`);
    const boolBody = l.combine === 'or' ? b.join(' or ') : l.combine === 'not-and' ? `not (${b.join(' and ')})` : b.join(' and ');
    const numBody =
      l.combine === 'min' ? `min(${n.join(', ')})`
      : l.combine === 'max' ? `max(${n.join(', ')})`
      : l.combine === 'sum-diff' ? n.map((t, j) => (j === 0 ? t : `${j % 2 === 1 ? '-' : '+'} ${t}`)).join(' ')
      : n.join(' + ');
    text += `define b${i}(u: unit) = ${boolBody}\ndefine n${i}(u: unit) = ${numBody}\n`;
  });
  const top = levels.length;
  return `${text}rule r cite "一" for unit u must b${top}(u) or n${top}(u) >= ${threshold}\n`;
}

/** The same definitions read directly, one value per level. */
function expected(levels: readonly Level[], threshold: number, total: number | undefined, flag: boolean | undefined): string {
  let b: boolean | undefined = flag;
  let n: bigint | undefined = total === undefined ? undefined : BigInt(total);
  for (const l of levels) {
    if (b !== undefined) b = l.combine === 'not-and' ? !b : b;
    if (n !== undefined) {
      // n - n + n - …: the terms cancel in pairs.
      if (l.combine === 'sum-diff') n = n * BigInt(l.calls % 2);
      else if (l.combine !== 'min' && l.combine !== 'max') n = n * BigInt(l.calls);
    }
  }
  if (n !== undefined && (n > BigInt(Number.MAX_SAFE_INTEGER) || -n > BigInt(Number.MAX_SAFE_INTEGER))) n = undefined;
  const cmp = n === undefined ? undefined : n >= BigInt(threshold);
  if (b === true || cmp === true) return 'compliant';
  if (b === undefined || cmp === undefined) return 'unknown';
  return 'violation';
}

function compiledSize(roots: TExpr[]): number {
  let size = 0;
  for (const x of roots) size += treeSize(x);
  for (const body of sharedBodies(roots)) size += treeSize(body);
  return size;
}

describe('generated policies with shared, repeated definitions', () => {
  it('check clean, evaluate as a direct reading does, and compile to size linear in their text', () => {
    fc.assert(
      fc.property(fc.array(levelArb, { minLength: 1, maxLength: 30 }), fc.integer({ min: -5, max: 50 }), (levels, threshold) => {
        const text = policyText(levels, threshold);
        const t0 = performance.now();
        const loaded = compileMemory({ 'p.clause': text });
        expect(errorCodes(loaded.diagnostics), text).toEqual([]);
        const policy = loaded.policy!;
        const roots = policy.rules.map((r) => r.condition);
        expect(compiledSize(roots) / text.length).toBeLessThan(2);
        const facts = factsOf(policy, 'units:\n  - { id: A, total: 3, flag: true }\n  - { id: B, total: 2, flag: false }\n  - { id: C, flag: false }\n  - { id: D, total: 7 }\n');
        const got = evaluate(policy, facts, { asOf: '2023-01-01', lang: 'en' }).results.map((r) => r.status);
        expect(got, text).toEqual([
          expected(levels, threshold, 3, true),
          expected(levels, threshold, 2, false),
          expected(levels, threshold, undefined, false),
          expected(levels, threshold, 7, undefined),
        ]);
        // Proportional to the text: 2 ms per character would already be absurd for linear work.
        expect(performance.now() - t0).toBeLessThan(500 + 2 * text.length);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('time grows linearly with depth: 4 calls per level, 50 and 200 levels', () => {
    const time = (depth: number) => {
      const levels = Array.from({ length: depth }, (): Level => ({ combine: 'min', calls: 4 }));
      const text = policyText(levels, 1);
      const t0 = performance.now();
      const loaded = compileMemory({ 'p.clause': text });
      evaluate(loaded.policy!, factsOf(loaded.policy!, 'units: [{ id: A, total: 3, flag: false }]'), { asOf: '2023-01-01' });
      return { ms: performance.now() - t0, size: compiledSize(loaded.policy!.rules.map((r) => r.condition)), chars: text.length };
    };
    time(20); // warm up
    const small = time(50);
    const large = time(200);
    // Four times the text: about four times the size; the time bound is loose (shared machine).
    expect(large.size / large.chars).toBeLessThan(2);
    expect(large.size).toBeLessThan(small.size * 5);
    expect(large.ms).toBeLessThan(Math.max(small.ms, 20) * 40);
  });
});
