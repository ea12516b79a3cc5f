/**
 * Explanations and `eval --explain` traces name what a call of a shared definition read. Since a
 * definition too large to inline became one shared body (a `def` node), the explanation showed
 * `score(u.a, u.b) = 29` with no figures and the trace listed no parameters, where the inlined
 * expansion used to name `param ratio` and `units[U1].a`. Both an inlined and a shared call are
 * checked, so the shared one is held to what inlining gives.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/eval/evaluate.js';
import { traceSubject } from '../../src/eval/trace.js';
import { factsOf, policyOf } from '../helpers/policy.js';

/** A body of more than 40 nodes is shared; the same arithmetic kept short is inlined. */
const LONG = 'x.a * ratio + x.b * ratio + x.a * x.b + x.a + x.b + x.a * 2 + x.b * 2 + x.a * 3 + x.b * 3 + x.a * 4 + x.b * 4 + bonus';
const SHORT = 'x.a * ratio + x.b + bonus';

function policy(body: string) {
  return policyOf({
    'p.clause': [
      'policy t version "1"',
      'kind unit from units "单位" { a: integer "甲" b: integer "乙" }',
      'param ratio: integer "比例" = 3',
      'param bonus: integer "奖励" = 2',
      'param floor: integer "下限" = 10',
      `define inner(x: unit) = ${body}`,
      'define outer(x: unit) = inner(x) + inner(x) - inner(x)',
      'rule r cite "一" for unit u',
      '  must outer(u) >= floor',
      '',
    ].join('\n'),
  });
}

describe.each([['shared', LONG], ['inlined', SHORT]])('a %s definition', (_kind, body) => {
  const p = policy(body);
  const facts = factsOf(p, 'units: [{ id: U1, a: 1, b: 1 }, { id: U2, b: 4 }]\n');

  it('the explanation names the parameters and facts its body read', () => {
    const [u1, u2] = evaluate(p, facts, { asOf: '2023-01-01', lang: 'en' }).results;
    const paths = u1.figures?.map((f) => f.path) ?? [];
    expect(paths).toEqual(expect.arrayContaining(['param ratio', 'param bonus', 'param floor', 'units[U1].a', 'units[U1].b']));
    expect(u1.figures?.find((f) => f.path === 'param ratio')?.value).toBe(3);
    expect(u1.figures?.find((f) => f.path === 'units[U1].a')?.value).toBe(1);
    // A missing fact read inside the body is named as missing, and shown as a figure without a value.
    expect(u2.status).toBe('unknown');
    expect(u2.missing).toContain('units[U2].a');
    expect(u2.figures?.find((f) => f.path === 'units[U2].a')?.value).toBeNull();
  });

  it('the trace lists every parameter the rule reads, through the definitions it calls', () => {
    const [u1] = facts.subjects;
    const [trace] = traceSubject(p, u1, { asOf: '2023-01-01', lang: 'en' });
    expect(trace.params.map((t) => t.name).sort()).toEqual(['bonus', 'floor', 'ratio']);
    expect(trace.params.find((t) => t.name === 'ratio')?.value).toBe('3');
  });
});

it('a definition calling the previous one three times per level is walked once per body', () => {
  const levels = 200;
  const lines = ['policy t version "1"', 'kind unit from units { a: integer }', 'param k: integer = 1', `define d0(x: integer) = x + k + ${'x + '.repeat(40)}1`];
  for (let i = 1; i <= levels; i++) lines.push(`define d${i}(x: integer) = d${i - 1}(x) + d${i - 1}(x) - d${i - 1}(x)`);
  lines.push('rule r cite "一" for unit u', `  must d${levels}(u.a) >= 0`, '');
  const p = policyOf({ 'p.clause': lines.join('\n') });
  const facts = factsOf(p, 'units: [{ id: U1, a: 1 }]\n');
  const t0 = performance.now();
  const [r] = evaluate(p, facts, { asOf: '2023-01-01', lang: 'en' }).results;
  const [trace] = traceSubject(p, facts.subjects[0], { asOf: '2023-01-01', lang: 'en' });
  expect(performance.now() - t0).toBeLessThan(5_000);
  expect(r.figures?.map((f) => f.path)).toEqual(expect.arrayContaining(['param k', 'units[U1].a']));
  expect(trace.params.map((t) => t.name)).toEqual(['k']);
});
