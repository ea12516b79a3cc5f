/**
 * Semantics of the second-wave constructs as users see them: values of value rules (exact
 * decimal strings with their unit), three-valued `if`, explicit rounding to a step, shortfalls
 * with their unit, open extension and `override`, the JSON contract (3a), and agreement with
 * the reference interpreter on generated facts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluate } from '../../src/eval/evaluate.js';
import { parseClauseFile } from '../../src/syntax/parse.js';
import { printFile } from '../../src/syntax/print.js';
import { stripSpans } from '../../src/model/ast.js';
import { resultToJson, resultToNdjson } from '../../src/report/eval-json.js';
import { compileMemory, factsOf, policyOf } from '../helpers/policy.js';
import { referenceEvaluate } from '../eval/reference.js';

const POLICY = `policy demo version "1"
  effective 2024-01-01

enum tier "等级" { a "初级" b "中级" }

kind worker from workers "工作者" {
  tier: tier "等级"
  months: integer in 月 "在岗月数"
  excluded: boolean "排除"
  pay: number in 元 "工资"
}

kind office from offices "机构" {
  posts: integer in 岗位 "社会工作岗位数"
  budget: number in 元 "预算"
}

param amount_a: number in 元 "初级金额" = 300, 400 from 2025-01-01
param amount_b: number in 元 "中级金额" = 500
param months_per_year: integer in 月 = 12
param cap: number in 元 "上限" = 450

define base(w: worker) = if w.tier == a then amount_a else amount_b

rule allowance "月度津贴"
  cite "一"
  for worker w
  compute in 元 step 0.01 = if w.excluded then 0 else min(round(base(w) * (w.months / months_per_year), 0.01), cap)

rule same-either-way "两分支相同"
  cite "二"
  for worker w
  compute = if w.excluded then 1 else 1

rule third "三分之一"
  cite "三"
  for worker w
  compute = round(w.months / 3, 0.01)

rule rounded "取整"
  cite "四"
  for worker w
  compute in 元 step 0.01 = round_half_even(w.pay / 8, 0.01)

rule posts-enough "岗位"
  cite "五"
  for office o
  must o.posts >= 10

rule budget-enough "预算"
  cite "六"
  for office o
  must o.budget >= 1000.5
`;

const FACTS = `
workers:
  - { id: W1, tier: a, months: 6, excluded: false, pay: 1000.2 }
  - { id: W2, tier: b, months: 12, excluded: false, pay: 1000.36 }
  - { id: W3, tier: b, months: 7, excluded: true }
  - { id: W4, tier: a, excluded: false }
  - { id: W5, months: 12, excluded: true }
  - { id: W6, tier: a, months: 12 }
offices:
  - { id: O1, posts: 4, budget: 999.25 }
  - { id: O2, posts: 10, budget: 2000 }
`;

const policy = policyOf({ 'p.clause': POLICY });
const facts = factsOf(policy, FACTS);
const report = evaluate(policy, facts, { asOf: '2024-06-01' });
const at = (subject: string, rule: string) => report.results.find((r) => r.subject.id === subject && r.rule === rule)!;

describe('value rules', () => {
  it.each([
    // subject, rule, status, value, unit, missing
    ['W1', 'allowance', 'computed', '150.00', '元', []],
    ['W2', 'allowance', 'computed', '450.00', '元', []], // 500 capped at 450
    ['W3', 'allowance', 'computed', '0.00', '元', []], // excluded
    ['W4', 'allowance', 'unknown', undefined, undefined, ['workers[W4].months']],
    ['W5', 'allowance', 'computed', '0.00', '元', []], // excluded: the tier is not needed
    ['W6', 'allowance', 'unknown', undefined, undefined, ['workers[W6].excluded']],
    ['W6', 'same-either-way', 'computed', '1', null, []], // unknown condition, equal branches
    ['W1', 'third', 'computed', '2', '月', []], // the unit of months carries over
    ['W3', 'third', 'computed', '2.33', '月', []], // 7/3 does not terminate: rounded explicitly (C0223)
    ['W1', 'rounded', 'computed', '125.02', '元', []], // 125.025 half to even
    ['W2', 'rounded', 'computed', '125.04', '元', []], // 125.045 half to even
  ] as const)('%s %s: %s %s', (subject, rule, status, value, unit, missing) => {
    const r = at(subject, rule);
    expect({ status: r.status, value: r.value, unit: r.unit, missing: [...r.missing] }).toEqual({ status, value, unit, missing: [...missing] });
  });

  it('dated amounts: the amount in force on the as-of date', () => {
    const later = evaluate(policy, facts, { asOf: '2025-03-01' });
    expect(later.results.find((r) => r.subject.id === 'W1' && r.rule === 'allowance')!.value).toBe('200.00');
  });

  it('the summary counts computed results', () => {
    expect(report.summary.computed).toBe(report.results.filter((r) => r.status === 'computed').length);
    expect(report.summary.computed).toBeGreaterThan(0);
  });

  it('explanations print the value with its unit', () => {
    expect(at('W1', 'allowance').explanation).toBe('月度津贴 = 150.00 元（一）');
    expect(evaluate(policy, facts, { asOf: '2024-06-01', lang: 'en' }).results[0].explanation).toBe('月度津贴 = 150.00 元 (一)');
  });

  it('JSON puts value and unit after status (contract 3a); other results leave them out', () => {
    const json = resultToJson(at('W1', 'allowance'));
    expect(Object.keys(json).slice(0, 7)).toEqual(['subject', 'rule', 'cite', 'modality', 'status', 'value', 'unit']);
    expect(JSON.parse(resultToNdjson(at('W1', 'allowance')))).toEqual(json);
    expect(resultToJson(at('O2', 'posts-enough'))).not.toHaveProperty('value');
  });
});

describe('shortfall', () => {
  it.each([
    ['O1', 'posts-enough', 'violation', '6', '岗位'],
    ['O1', 'budget-enough', 'violation', '1.25', '元'],
    ['O2', 'posts-enough', 'compliant', undefined, undefined],
  ] as const)('%s %s', (subject, rule, status, shortfall, shortfallUnit) => {
    const r = at(subject, rule);
    expect({ status: r.status, shortfall: r.shortfall, shortfallUnit: r.shortfallUnit }).toEqual({ status, shortfall, shortfallUnit });
  });

  it('says how much is missing with the unit, in the explanation and in JSON', () => {
    expect(at('O1', 'posts-enough').explanation).toContain('还差 6 岗位');
    const line = JSON.parse(resultToNdjson(at('O1', 'posts-enough')));
    expect(line).toMatchObject({ shortfall: '6', shortfallUnit: '岗位' });
  });
});

describe('rounding functions', () => {
  const ROUNDING = `policy r version "1"
kind thing from things { x: number }
rule a cite "一" for thing t compute = round(t.x, 0.01)
rule b cite "二" for thing t compute = round_half_even(t.x, 0.01)
rule c cite "三" for thing t compute = floor(t.x, 0.05)
rule d cite "四" for thing t compute = ceil(t.x, 0.05)
rule e cite "五" for thing t compute = round(t.x)
rule f cite "六" for thing t compute = round_half_even(t.x)
`;
  const p = policyOf({ 'p.clause': ROUNDING });
  it.each([
    ['2.345', ['2.35', '2.34', '2.3', '2.35', '2', '2']],
    ['2.355', ['2.36', '2.36', '2.35', '2.4', '2', '2']],
    ['-2.345', ['-2.35', '-2.34', '-2.35', '-2.3', '-2', '-2']],
    ['2.5', ['2.5', '2.5', '2.5', '2.5', '3', '2']],
    ['3.5', ['3.5', '3.5', '3.5', '3.5', '4', '4']],
  ])('x = %s', (x, want) => {
    const r = evaluate(p, factsOf(p, `things:\n  - { id: T, x: ${x} }\n`), { asOf: '2024-01-01' });
    expect(r.results.map((y) => y.value)).toEqual(want);
  });
});

describe('if', () => {
  const IF = `policy i version "1"
kind thing from things { a: boolean b: boolean n: integer m: integer }
rule chain cite "一" for thing t compute = if t.a then 1 else if t.b then 2 else 3
rule cond cite "二" for thing t must (if t.a then t.n else t.m) >= 5
`;
  const p = policyOf({ 'p.clause': IF });
  it.each([
    ['{ a: true, b: false, n: 5, m: 1 }', '1', 'compliant', []],
    ['{ a: false, b: true, n: 5, m: 1 }', '2', 'violation', []],
    ['{ a: false, b: false, n: 5, m: 9 }', '3', 'compliant', []],
    ['{ a: null, b: null, n: 5, m: 9 }', '3', 'compliant', []], // none is false
    ['{ b: false, n: 5, m: 5 }', undefined, 'compliant', []], // unknown a, equal branches
    ['{ b: false, n: 5, m: 1 }', undefined, 'unknown', ['things[T].a']], // unknown a, branches differ
  ])('%s', (thing, chain, cond, missing) => {
    const r = evaluate(p, factsOf(p, `things:\n  - { id: T, ${thing.slice(2)}\n`), { asOf: '2024-01-01' });
    expect(r.results[0].value).toBe(chain);
    expect(r.results[1].status).toBe(cond);
    expect([...r.results[1].missing]).toEqual(missing);
  });
});

describe('open extension', () => {
  const BASE = {
    'b.clause': `policy b version "1"
enum tier { a b }
kind worker from workers { tier: tier n: integer }
define enough(w: worker) = w.n >= 3
table bonus(t: tier) -> integer { a -> 1; b -> 2 }
rule has-enough cite "一" for worker w must enough(w)
rule bonus-of cite "二" for worker w compute = bonus(w.tier)
`,
  };
  const EXT = `policy e version "2" extends "base"
enum tier { c }
kind worker from workers { extra: integer }
override define enough(w: worker) = w.n >= 5 and w.extra >= 1
override table bonus(t: tier) -> integer { a -> 10; b -> 20; c -> 30 }
rule extra-of cite "三" for worker w compute = w.extra * 2
`;
  const loaded = compileMemory({ 'e.clause': EXT }, undefined, { base: BASE });
  it('checks without diagnostics', () => expect(loaded.diagnostics).toEqual([]));
  it('adds fields and members, and the overrides change inherited rules', () => {
    const p = loaded.policy!;
    const r = evaluate(p, factsOf(p, 'workers:\n  - { id: W, tier: c, n: 4, extra: 2 }\n'), { asOf: '2024-01-01' });
    expect(r.results.map((x) => [x.rule, x.status, x.value])).toEqual([
      ['has-enough', 'violation', undefined], // n >= 5 now, not n >= 3
      ['bonus-of', 'computed', '30'],
      ['extra-of', 'computed', '4'],
    ]);
  });
});

describe('printing', () => {
  it('the formatter keeps the new constructs and is idempotent', () => {
    const ast = parseClauseFile('p.clause', POLICY).value;
    const once = printFile(ast);
    expect(once).toContain('compute in 元 step 0.01 = if w.excluded then 0 else min(');
    expect(once).toContain('months: integer in 月');
    const again = parseClauseFile('p.clause', once);
    expect(again.diagnostics).toEqual([]);
    expect(stripSpans(again.value)).toEqual(stripSpans(ast));
    expect(printFile(again.value)).toBe(once);
  });
});

describe('reference interpreter agrees on conditionals, values and shortfall statuses', () => {
  const worker = fc.record({
    tier: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
    months: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
    excluded: fc.option(fc.boolean(), { nil: undefined }),
    pay: fc.option(fc.integer({ min: 0, max: 100000 }).map((c) => c / 100), { nil: undefined }),
  });
  const office = fc.record({
    posts: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
    budget: fc.option(fc.integer({ min: 0, max: 300000 }).map((c) => c / 100), { nil: undefined }),
  });
  const yamlOf = (o: Record<string, unknown>) =>
    Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ');
  it('on 200 generated fact sets', () => {
    fc.assert(
      fc.property(fc.array(worker, { maxLength: 4 }), fc.array(office, { maxLength: 2 }), fc.constantFrom('2024-06-01', '2025-06-01'), (ws, os, asOf) => {
        const text = `workers:\n${ws.map((w, i) => `  - { id: W${i}${yamlOf(w) ? ', ' + yamlOf(w) : ''} }`).join('\n') || '  []'}\noffices:\n${os.map((o, i) => `  - { id: O${i}${yamlOf(o) ? ', ' + yamlOf(o) : ''} }`).join('\n') || '  []'}\n`;
        const f = factsOf(policy, text.replace(/:\n {2}\[\]/g, ': []'));
        const native = evaluate(policy, f, { asOf }).results.map((r) => ({
          subject: `${r.subject.kind}:${r.subject.id}`, rule: r.rule, status: r.status, missing: [...r.missing], ...(r.value !== undefined ? { value: r.value } : {}),
        }));
        expect(native).toEqual(referenceEvaluate(policy, f, asOf));
      }),
      { numRuns: 200 },
    );
  });
});
