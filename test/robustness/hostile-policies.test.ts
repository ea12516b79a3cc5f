/**
 * Small policies that once exploded (issue #15): definitions that call the previous one two or
 * three times per level (inlined, they grew as 2^n / 3^n and killed `eval` at 20 levels and
 * `check` at 40), exact fractions squared per level, and the compiled-size budget. Each attack
 * is generated here as files; the headline ones run as a child process of the built CLI so the
 * exit code, the time and the peak memory are what a user would see.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPolicy } from '../../src/check/checker.js';
import { sharedBodies, treeSize } from '../../src/check/expr-size.js';
import { evaluate } from '../../src/eval/evaluate.js';
import * as Q from '../../src/model/rational.js';
import type { Policy, TExpr } from '../../src/model/types.js';
import { parseClauseFile } from '../../src/syntax/parse.js';
import { compileMemory, factsOf } from '../helpers/policy.js';
import { cli, errorCodes, expectDiagnostic, expectNoCrash, put, runChild, tempDir } from './harness.js';

const dir = tempDir('hostile-policies');

const PRELUDE = `policy t version "1"
kind unit from units "单位" {
  posts: record "岗位"
  posts.total: integer "岗位总数"
}
`;
const FACTS = 'units:\n  - { id: A, posts: { total: 2 } }\n  - { id: B, posts: { total: 5 } }\n  - { id: C }\n';

/** `d_i` calls `d_{i-1}` `calls` times; the value stays `posts.total` at every level. */
function chain(levels: number, calls: number): string {
  let text = `${PRELUDE}define d0(u: unit) = u.posts.total\n`;
  for (let i = 1; i <= levels; i++) {
    const terms = Array.from({ length: calls }, (_, k) => `${k % 2 === 1 ? '-' : '+'} d${i - 1}(u)`).join(' ').replace(/^\+ /, '');
    // 2 calls: d + d - d is 3 terms; keep the value: (d + d) / 2.
    text += calls === 2 ? `define d${i}(u: unit) = (d${i - 1}(u) + d${i - 1}(u)) / 2\n` : `define d${i}(u: unit) = ${terms}\n`;
  }
  return `${text}rule r cite "一" for unit u must d${levels}(u) >= 3\n`;
}

function compiledSize(policy: Policy): number {
  const roots = policy.rules.flatMap((r) => [r.where, r.condition, r.deadline]).filter((x): x is TExpr => x !== undefined);
  let n = 0;
  for (const x of roots) n += treeSize(x);
  for (const b of sharedBodies(roots)) n += treeSize(b);
  return n;
}

describe('definitions are compiled once and shared', () => {
  it.each([
    [2, 40],
    [3, 40],
    [3, 200],
  ])('%i calls per level, %i levels: checked and evaluated at once, compiled size linear', (calls, levels) => {
    const t0 = performance.now();
    const loaded = compileMemory({ 'p.clause': chain(levels, calls) });
    expect(errorCodes(loaded.diagnostics)).toEqual([]);
    const results = evaluate(loaded.policy!, factsOf(loaded.policy!, FACTS), { asOf: '2023-01-01', lang: 'en' }).results;
    expect(results.map((r) => [r.subject.id, r.status])).toEqual([['A', 'violation'], ['B', 'compliant'], ['C', 'unknown']]);
    expect(results[2].missing).toEqual(['units[C].posts.total']);
    expect(compiledSize(loaded.policy!)).toBeLessThan(60 * levels + 200);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('40 levels of three calls through the built CLI: exit 0, seconds, little memory', () => {
    const policy = put(dir, 'defs3/p.clause', chain(40, 3)).replace(/\/p\.clause$/, '');
    const facts = put(dir, 'defs3.yaml', FACTS);
    const check = runChild(['check', policy]);
    expect(check.code, check.stderr).toBe(0);
    const run = runChild(['eval', policy, '--facts', facts, '--as-of', '2023-01-01', '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).summary).toMatchObject({ compliant: 1, violation: 1, unknown: 1 });
    expect(run.rssMiB).toBeLessThan(300);
    expect(run.ms).toBeLessThan(30_000);
  });

  it('a small helper is still inlined, so explanations show the facts it reads', () => {
    const loaded = compileMemory({ 'p.clause': `${PRELUDE}define enough(u: unit) = u.posts.total >= 3\nrule r cite "一" for unit u must enough(u)\n` });
    expect(loaded.policy!.rules[0].condition.op).toBe('binary');
    const [r] = evaluate(loaded.policy!, factsOf(loaded.policy!, 'units: [{ id: A, posts: { total: 2 } }]'), { asOf: '2023-01-01', lang: 'en' }).results;
    expect(r.explanation).toContain('posts.total 2 < 3');
  });

  it('a shared definition with an aggregate keeps its own variables, and reports its missing facts', () => {
    const levels = Array.from({ length: 8 }, (_, i) => {
      const prev = i === 0 ? 'old(u)' : `o${i}(u)`;
      return `define o${i + 1}(u: unit) = ${prev} + ${prev} - ${prev}`;
    });
    const src = `policy t version "1"
kind unit from units {
  n: integer
  staff: many worker by unit
}
kind worker from workers { unit: unit  age: integer }
define old(u: unit) = count(w in u.staff where w.age >= 60)
${levels.join('\n')}
rule r cite "一" for unit u must o8(u) <= u.n
`;
    const loaded = compileMemory({ 'p.clause': src });
    expect(errorCodes(loaded.diagnostics)).toEqual([]);
    const facts = factsOf(loaded.policy!, 'units: [{ id: U, n: 1 }, { id: V, n: 0 }]\nworkers: [{ id: W1, unit: U, age: 61 }, { id: W2, unit: U, age: 30 }, { id: W3, unit: V }]\n');
    const results = evaluate(loaded.policy!, facts, { asOf: '2023-01-01', lang: 'en' }).results;
    expect(results.map((r) => r.status)).toEqual(['compliant', 'unknown']);
    expect(results[1].missing).toEqual(['workers[W3].age']);
  });
});

describe('the exact number range', () => {
  const squares = (levels: number, withFacts: boolean): string => {
    let text = PRELUDE + (withFacts ? 'define q0(u: unit) = u.posts.total / 3\n' : 'define q0 = 1/3\n');
    const call = (i: number) => (withFacts ? `q${i}(u)` : `q${i}`);
    for (let i = 1; i <= levels; i++) text += `define q${i}${withFacts ? '(u: unit)' : ''} = ${call(i - 1)} * ${call(i - 1)} + 1/1000004\n`;
    return `${text}rule r cite "一" for unit u must ${call(levels)} >= 0\n`;
  };

  it('arithmetic stays exact up to 2^53 - 1 through BigInt intermediates', () => {
    const big = Q.makeRational(2 ** 52 + 1, 3);
    expect(Q.mul(big, 3)).toBe(2 ** 52 + 1);
    // The cross products pass 2^53; the reduced result does not.
    expect(Q.mul(Q.makeRational(2 ** 40 + 1, 2 ** 13), Q.makeRational(2 ** 20, 2 ** 40 + 1))).toBe(128);
    expect(Q.add(Q.makeRational(2 ** 40 + 1, 2 ** 30), Q.makeRational(2 ** 40 - 1, 2 ** 30))).toBe(2 ** 11);
    expect(Q.compare(Q.makeRational(2 ** 52 - 1, 2 ** 51 + 1), Q.makeRational(2 ** 52 - 3, 2 ** 51))).toBe(1);
    expect(Q.isExact(Q.mul(Q.makeRational(1, 2 ** 40 + 1), Q.makeRational(1, 2 ** 40 + 3)))).toBe(false);
  });

  it('constants squared past the range: C0100 at the definition, exit 1 for check and eval', async () => {
    const policy = put(dir, 'squares/p.clause', squares(30, false)).replace(/\/p\.clause$/, '');
    const facts = put(dir, 'squares.yaml', FACTS);
    const check = await cli(['check', policy]);
    expectDiagnostic(check, 1, 'C0100', '\\S*squares/p\\.clause:9:13');
    expectDiagnostic(await cli(['eval', policy, '--facts', facts, '--as-of', '2023-01-01']), 1, 'C0100');
  });

  it('facts squared past the range: the result is unknown, naming the expression; the run goes on', () => {
    const loaded = compileMemory({ 'p.clause': squares(30, true) });
    expect(errorCodes(loaded.diagnostics)).toEqual([]);
    const results = evaluate(loaded.policy!, factsOf(loaded.policy!, FACTS), { asOf: '2023-01-01', lang: 'en' }).results;
    expect(results.map((r) => r.status)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(results[0].explanation).toMatch(/cannot compute \(number outside the exact range\): .*\+ 1 \/ 1000004/);
    expect(results[0].explanation.length).toBeLessThan(2_000);
    expect(results[2].missing).toEqual(['units[C].posts.total']);
  });

  it('the same through the built CLI: exit 0, in seconds and little memory', () => {
    const policy = put(dir, 'squares-facts/p.clause', squares(30, true)).replace(/\/p\.clause$/, '');
    const facts = put(dir, 'squares-facts.yaml', FACTS);
    const run = runChild(['eval', policy, '--facts', facts, '--as-of', '2023-01-01', '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).summary.unknown).toBe(3);
    expect(run.rssMiB).toBeLessThan(300);
  });
});

describe('the compiled-size budget', () => {
  it('C0101 when the rules compile to more nodes than the budget', async () => {
    const text = `${PRELUDE}${Array.from({ length: 50 }, (_, i) => `rule r${i} cite "一" for unit u must u.posts.total + ${i} >= 3 and u.posts.total < 100\n`).join('')}`;
    const file = parseClauseFile('p.clause', text).value;
    expect(errorCodes(checkPolicy({ files: [file] }).diagnostics)).toEqual([]);
    const small = checkPolicy({ files: [file], maxCompiledSize: 100 });
    expect(errorCodes(small.diagnostics)).toEqual(['C0101']);
    expect(small.diagnostics[0].args).toMatchObject({ limit: 100 });
    expect(small.diagnostics[0].span?.file).toBe('p.clause');
    const run = await cli(['check', put(dir, 'budget/p.clause', text).replace(/\/p\.clause$/, '')]);
    expectNoCrash(run);
    expect(run.code).toBe(0);
  });
});

describe('the evaluation budget', () => {
  /** A star of `n` regions under R0, and a rule over the transitive relation `subs`. */
  const star = (name: string, n: number, condition: string) => {
    const policy = put(dir, `${name}/p.clause`, `policy t version "1"
kind region from regions "地区" {
  n: integer "数"
  parent: region "上级"
  subs: many region by parent* "下级"
}
rule r cite "一" for region r must ${condition}
`).replace(/\/p\.clause$/, '');
    const lines = ['{"kind":"region","id":"R0","n":0}'];
    for (let i = 1; i < n; i++) lines.push(JSON.stringify({ kind: 'region', id: `R${i}`, n: i % 97, parent: 'R0' }));
    return { policy, facts: put(dir, `${name}.ndjson`, `${lines.join('\n')}\n`) };
  };
  const CUBIC = 'count(x in r.subs where count(y in r.subs where count(z in r.subs : z.n >= y.n) >= x.n) > 0) >= 0';
  // The inner aggregates read only `r`: computed once per subject, not once per `x`.
  const AVERAGE = 'count(x in r.subs where x.n * count(y in r.subs) > sum(y in r.subs : y.n)) >= 0';

  it('1,000 regions in a star, aggregates nested three deep: E0100 naming the rule and subject, exit 1, in seconds', () => {
    const { policy, facts } = star('cubic', 1000, CUBIC);
    const run = runChild(['eval', policy, '--facts', facts, '--as-of', '2023-01-01', '--format', 'json', '--max-steps', '2000000']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/^clausal: error E0100: evaluating rule `r` for region `R0` took more than the limit of 2000000 steps per subject/m);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.rssMiB).toBeLessThan(300);
    expect(run.ms).toBeLessThan(30_000);
  });

  it('with --jobs 2 (one thread since the pipeline rework) it is reported the same way', () => {
    const { policy, facts } = star('cubic-jobs', 1000, CUBIC);
    const run = runChild(['eval', policy, '--facts', facts, '--as-of', '2023-01-01', '--format', 'ndjson', '--jobs', '2', '--max-steps', '1000000']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/error E0100: evaluating rule `r` for region `R0`/);
  });

  it('the per-run budget: E0101, and --out leaves no file', async () => {
    const { policy, facts } = star('run-budget', 300, 'count(x in r.subs : x.n >= 0) >= 0');
    const out = `${dir}/never-written.json`;
    const run = await cli(['eval', policy, '--facts', facts, '--as-of', '2023-01-01', '--format', 'json', '--max-run-steps', '100', '--out', out]);
    expectNoCrash(run);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error E0101: the run passed its limit of 100 steps while evaluating rule `r` for region `R0`/);
    expect(() => readFileSync(out)).toThrow();
  });

  it.each(['0', '-5', 'many', '1e9'])('--max-steps %s is a usage error', async (value) => {
    const { policy, facts } = star('usage', 3, 'r.n >= 0');
    const run = await cli(['eval', policy, '--facts', facts, '--max-steps', value]);
    expectNoCrash(run);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/X0004/);
  });

  it('an inner aggregate that reads nothing of the outer variable is computed once: 20,000 regions within 100,000 steps', async () => {
    const { policy, facts } = star('average', 20_000, AVERAGE);
    const t0 = performance.now();
    const run = await cli(['eval', policy, '--facts', facts, '--as-of', '2023-01-01', '--format', 'json', '--fields', 'status', '--max-steps', '100000']);
    expectNoCrash(run, 20_000);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).summary.compliant).toBe(20_000);
    expect(performance.now() - t0).toBeLessThan(20_000);
  });
});

describe('messages quote long user text by its ends', () => {
  it.each([
    ['a 100,000-digit number', `${PRELUDE}rule r cite "一" for unit u must u.posts.total >= ${'9'.repeat(100_000)}\n`, 'S0007'],
    ['a 300,000-character name', `${PRELUDE}rule r cite "一" for unit u must ${'x'.repeat(300_000)} >= 1\n`, 'C0'],
  ])('%s: the diagnostic stays short', async (_name, text, code) => {
    const policy = put(dir, `long-${code}/p.clause`, text).replace(/\/p\.clause$/, '');
    const run = await cli(['check', policy]);
    expectNoCrash(run);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`error ${code}`));
    expect(run.stderr).toMatch(/…\(\d+ more characters\)…/);
    expect(run.stderr.length).toBeLessThan(2_000);
  });
});
