/**
 * Hostile rule files: single lines of 1 MB, nesting 10,000 deep, long operator chains, names
 * that collide with JavaScript builtins (which must work as ordinary names, evaluation
 * included), definitions that recurse, and quotes full of regex metacharacters.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/eval/evaluate.js';
import { loadFactsText } from '../../src/facts/parse-facts.js';
import { hasErrors } from '../../src/model/diagnostics.js';
import { DEFAULT_PARSE_LIMITS, parseClauseFile } from '../../src/syntax/parse.js';
import { parseYamlPolicyFile } from '../../src/yaml/load-yaml.js';
import { compileMemory, PRELUDE } from '../helpers/policy.js';
import { cli, errorCodes, expectDiagnostic, expectNoCrash, expectNoPollution, expectPlaced, put, tempDir, timed, BOUND_MS } from './harness.js';

const dir = tempDir('rules');
const MB = 1 << 20;

/** A policy directory holding the prelude and `body`, checked with `clausal check`. */
async function check(name: string, body: string) {
  const policyDir = put(dir, `${name}/p.clause`, PRELUDE + body).replace(/\/p\.clause$/, '');
  return cli(['check', policyDir]);
}

function parse(text: string) {
  const { value, ms } = timed(() => parseClauseFile('p.clause', text));
  expect(ms).toBeLessThan(BOUND_MS);
  expectPlaced(value.diagnostics, text);
  return value;
}

/** Compiles the prelude plus `rules`, evaluates on `facts`, returns status by subject. */
function statuses(rules: string, facts: string, asOf = '2023-01-01', source?: string): Record<string, string> {
  const loaded = compileMemory({ 'p.clause': PRELUDE + rules }, source);
  expect(errorCodes(loaded.diagnostics), JSON.stringify(loaded.diagnostics)).toEqual([]);
  const f = loadFactsText(loaded.policy!, 'f.yaml', facts, 'yaml');
  expect(errorCodes(f.diagnostics)).toEqual([]);
  const out: Record<string, string> = {};
  for (const r of evaluate(loaded.policy!, f.facts!, { asOf }).results) {
    out[`${r.subject.id}/${r.rule}`] = r.status;
    expect(r.explanation).not.toMatch(/NaN|Infinity|undefined|\[object/);
  }
  return out;
}

describe('single lines of 1 MB', () => {
  const LINES: [string, string, string | 'ok'][] = [
    ['an identifier', `define x = ${'a'.repeat(MB)}`, 'ok'],
    ['a string', `define x = "${'a'.repeat(MB)}"`, 'ok'],
    ['an unterminated string', `define x = "${'a'.repeat(MB)}`, 'S0005'],
    ['a number of a million digits', `define x = ${'9'.repeat(MB)}`, 'ok'],
    ['a decimal of a million digits', `define x = 0.${'9'.repeat(MB)}`, 'ok'],
    ['a comment', `#${'x'.repeat(MB)}`, 'ok'],
    ['junk characters', '@'.repeat(MB), 'S0001'],
    // Past 100,000 tokens a file is refused right after lexing (S0015): parsing costs ~15 µs a token.
    ['a 200,000-term sum', `define x = 1${' + 1'.repeat(200_000)}`, 'S0015'],
    ['half a million `)`', ') '.repeat(MB / 2), 'S0015'],
    ['half a million numbers', '1 '.repeat(MB / 2), 'S0015'],
    ['a field chain of 100,000', `define x = a${'.b'.repeat(100_000)}`, 'S0015'],
    // Under the token limit: the expression-depth limit (1,000) stops these after parsing.
    ['a 40,000-term sum', `define x = 1${' + 1'.repeat(40_000)}`, 'S0010'],
    ['a field chain of 40,000', `define x = a${'.b'.repeat(40_000)}`, 'S0010'],
    // Token soup: every token a syntax error; parsing stops after the 51st (S0012 says so).
    ['90,000 `rule` keywords', 'rule '.repeat(90_000), 'S0002'],
    ['90,000 `)`', ') '.repeat(90_000), 'S0008'],
  ];

  it.each(LINES.map(([name, text, code]) => ({ name, text, code })))('$name -> $code', async ({ name, text, code }) => {
    const parsed = parse(text);
    if (code === 'ok') {
      // Parses; the names may still be unknown to the checker, which is fine.
      expect(errorCodes(parsed.diagnostics).filter((c) => c.startsWith('S'))).toEqual([]);
    } else {
      expect(errorCodes(parsed.diagnostics)).toContain(code);
      expect(parsed.diagnostics.length).toBeLessThanOrEqual(DEFAULT_PARSE_LIMITS.maxErrors + 1);
    }
    const run = await check(`line-${name.replace(/\W+/g, '-')}`, `\n${text}\n`);
    expectNoCrash(run);
    if (code !== 'ok') expectDiagnostic(run, 1, code, '\\S+p\\.clause:\\d+:\\d+');
  });

  it('a file over 4 MiB -> S0009 before anything is parsed', async () => {
    const run = await check('huge', `#${'x'.repeat(4 * MB)}\n`);
    expectDiagnostic(run, 1, 'S0009', '\\S+p\\.clause:1:1');
  });

  it('a YAML rule file with a 1 MB expression scalar', () => {
    const text = `rules:\n  - id: q\n    cite: 一\n    for: unit u\n    must: "${'u.flag and '.repeat(MB / 11)}true"\n`;
    const { value, ms } = timed(() => parseYamlPolicyFile('r.yaml', text));
    expect(ms).toBeLessThan(BOUND_MS);
    expectPlaced(value.diagnostics, text);
    expect(errorCodes(value.diagnostics)).toContain('S0015');
  });
});

describe('nesting', () => {
  const DEEP: [string, string][] = [
    ['10,000 parentheses', `define x = ${'('.repeat(10_000)}1${')'.repeat(10_000)}`],
    ['10,000 unclosed parentheses', `define x = ${'('.repeat(10_000)}`],
    ['10,000 braces', `define x = ${'{'.repeat(10_000)}1${'}'.repeat(10_000)}`],
    ['10,000 `not`', `define x = ${'not '.repeat(10_000)}true`],
    ['10,000 unary minus', `define x = ${'- '.repeat(10_000)}1`],
    ['10,000 nested calls', `define x = ${'ceil('.repeat(10_000)}1${')'.repeat(10_000)}`],
    ['10,000 nested aggregates', `define x = ${'count(a in '.repeat(10_000)}b${')'.repeat(10_000)}`],
  ];
  it.each(DEEP)('%s -> S0010 at the first level past the limit', async (name, text) => {
    const parsed = parse(text);
    expect(errorCodes(parsed.diagnostics)).toEqual(['S0010']);
    const run = await check(`deep-${name.replace(/\W+/g, '-')}`, `\n${text}\n`);
    // The prelude is 13 lines; the define follows a blank line, on line 15.
    expectDiagnostic(run, 1, 'S0010', '\\S+p\\.clause:15:\\d+');
  });

  it('nesting just inside the limits parses, checks and evaluates', () => {
    const parens = `${'('.repeat(99)}u.posts.total${')'.repeat(99)}`;
    expect(statuses(`rule q cite "一" for unit u must ${parens} >= 0`, 'units: [{ id: A, posts: { total: 1 } }]')).toEqual({ 'A/q': 'compliant' });
  });

  it('a 999-term sum compiles and evaluates in bounded time (compiling it used to be cubic)', () => {
    const sum = `1${' + 1'.repeat(998)}`;
    const { value, ms } = timed(() => statuses(`define d = ${sum}\nrule q cite "一" for unit u must u.posts.total == d`, 'units: [{ id: A, posts: { total: 999 } }, { id: B, posts: { total: 998 } }]'));
    expect(value).toEqual({ 'A/q': 'compliant', 'B/q': 'violation' });
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('a 990-deep `and` chain over facts and a 990-term sum over a field (maxExprDepth is 1000)', () => {
    const and = Array(990).fill('u.flag').join(' and ');
    expect(statuses(`rule q cite "一" for unit u must ${and}`, 'units: [{ id: A, flag: true }, { id: B, flag: false }, { id: C }]')).toEqual({ 'A/q': 'compliant', 'B/q': 'violation', 'C/q': 'unknown' });
    const sum = Array(990).fill('u.posts.total').join(' + ');
    expect(statuses(`rule q cite "一" for unit u must ${sum} == 990 * u.posts.total`, 'units: [{ id: A, posts: { total: 3 } }]')).toEqual({ 'A/q': 'compliant' });
  });
});

describe('names that collide with JavaScript builtins are ordinary names', () => {
  const NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'prototype', 'isPrototypeOf', '__defineGetter__'];

  it.each(NAMES)('`%s` as an enum, enum member, kind, field, relation, param, set, table, define and rule id', (n) => {
    const rules = `
enum ${n} "e" { ${n} "m" other "o" }
kind ${n}_k from ${n}s "k" {
  ${n}: integer "f"
  kind_of: ${n} "c"
  up: ${n}_k "u"
  ${n}_below: many ${n}_k by up "r"
}
param ${n}_p: integer = 7
set ${n}_s: ${n} = { ${n} }
table ${n}_t(x: ${n}) -> integer { ${n} -> 1; other -> 2 }
define ${n}_d(v: integer) = v + ${n}_p
rule ${n} cite "一" for ${n}_k k where k.kind_of in ${n}_s must ${n}_d(k.${n}) >= ${n}_t(k.kind_of) + 7 and count(c in k.${n}_below) == 0
`;
    const facts = `${n}s:\n  - { id: ${JSON.stringify(n)}, ${JSON.stringify(n)}: 1, kind_of: ${JSON.stringify(n)} }\n  - { id: other, ${JSON.stringify(n)}: -1, kind_of: ${JSON.stringify(n)} }\n  - { id: third, ${JSON.stringify(n)}: 5, kind_of: other }\n`;
    expect(statuses(rules, facts)).toEqual({ [`${n}/${n}`]: 'compliant', [`other/${n}`]: 'violation', [`third/${n}`]: 'not_applicable' });
    expectNoPollution();
  });

  it('the same names in a YAML rule file', () => {
    const yaml = `params:\n  constructor: { type: integer, value: 2 }\n  __proto__: { type: integer, value: 3 }\ndefines:\n  toString: constructor + __proto__\nrules:\n  - id: hasOwnProperty\n    cite: 一\n    for: unit u\n    must: u.posts.total == toString\n`;
    const r = parseYamlPolicyFile('b.yaml', yaml);
    expect(errorCodes(r.diagnostics), JSON.stringify(r.diagnostics)).toEqual([]);
    const loaded = compileMemory({ 'p.clause': PRELUDE, 'b.yaml': yaml });
    expect(errorCodes(loaded.diagnostics), JSON.stringify(loaded.diagnostics)).toEqual([]);
    const f = loadFactsText(loaded.policy!, 'f.yaml', 'units: [{ id: A, posts: { total: 5 } }]', 'yaml');
    expect(evaluate(loaded.policy!, f.facts!, { asOf: '2023-01-01' }).results[0].status).toBe('compliant');
    expectNoPollution();
  });
});

describe('definitions that recurse', () => {
  it.each([
    ['directly', 'define f(x: integer) = f(x)\nrule q cite "一" for unit u must f(1) > 0'],
    ['through another', 'define f = g\ndefine g = f\nrule q cite "一" for unit u must f'],
    ['through three', 'define a = b + 1\ndefine b = c + 1\ndefine c = a + 1\nrule q cite "一" for unit u must a > 0'],
    ['inside an aggregate', 'define f(x: integer) = count(s in {1, 2} : f(s) > x)\nrule q cite "一" for unit u must f(1) > 0'],
    ['inside a rule condition only', 'define f(x: integer) = x > 0 and f(x - 1)\nrule q cite "一" for unit u must f(3)'],
  ])('%s -> C0005 naming the cycle', async (name, body) => {
    const loaded = compileMemory({ 'p.clause': PRELUDE + body });
    expect(errorCodes(loaded.diagnostics)).toContain('C0005');
    expectDiagnostic(await check(`rec-${name.replace(/\W+/g, '-')}`, body), 1, 'C0005', '\\S+p\\.clause:\\d+:\\d+');
  });

  it('a parameter defined by itself -> a diagnostic, not a loop', async () => {
    const run = await check('param-self', 'param p: integer = p\n');
    expectNoCrash(run);
    expect(run.code).toBe(1);
  });
});

describe('quotes with regex metacharacters are matched literally', () => {
  const SOURCE = '一、总则\n（一）引文 a.b*c?(d)[e]{f}|g^h$i\\j+k 与 $& 和 (?<x>) 以及 .* 到此为止\n';
  const header = 'policy t version "1" source "source.txt"\nkind unit from units "单位" { flag: boolean "标志" }\n';
  const facts = 'units: [{ id: A, flag: true }]';
  const quoteCase = (quote: string) => compileMemory({ 'p.clause': `${header}rule q cite "一（一）" quote "${quote}" for unit u must u.flag\n` }, SOURCE);

  it.each(['a.b*c?(d)[e]{f}|g^h$i\\\\j+k', '$&', '(?<x>)', '.*'])('%s occurs in the source: accepted', (quote) => {
    const loaded = quoteCase(quote);
    expect(errorCodes(loaded.diagnostics), JSON.stringify(loaded.diagnostics)).toEqual([]);
    const f = loadFactsText(loaded.policy!, 'f.yaml', facts, 'yaml');
    expect(evaluate(loaded.policy!, f.facts!, { asOf: '2023-01-01' }).results[0].status).toBe('compliant');
  });

  it.each(['a.b', 'a.c', '.+', '[e]{2}', '(d)|', '^总则', '\\\\d'])('%s as a pattern would match, literally it does not (C0007 unless it occurs)', (quote) => {
    const loaded = quoteCase(quote);
    const literal = SOURCE.replace(/\s/g, '').includes(quote.replace(/\\\\/g, '\\'));
    expect(errorCodes(loaded.diagnostics)).toEqual(literal ? [] : ['C0007']);
  });

  it('a quote and a cite naming braces and backslashes in an explanation template', () => {
    const loaded = compileMemory({ 'p.clause': `${header}rule q cite "一（一）" quote "$&" for unit u must u.flag explain "{{literal}} \\\\ $& $1 {u.flag}"\n` }, SOURCE);
    expect(errorCodes(loaded.diagnostics), JSON.stringify(loaded.diagnostics)).toEqual([]);
    const f = loadFactsText(loaded.policy!, 'f.yaml', facts, 'yaml');
    const r = evaluate(loaded.policy!, f.facts!, { asOf: '2023-01-01', lang: 'en' }).results[0];
    expect(r.explanation).toContain('{literal} \\ $& $1');
    expect(hasErrors(loaded.diagnostics)).toBe(false);
  });
});
