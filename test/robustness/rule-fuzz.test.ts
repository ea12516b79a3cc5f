/**
 * Random mutations with fast-check (seeded, so a failure reproduces): 9,000 cases here and
 * 1,500 in facts.test.ts, 10,500 per run in all.
 *
 * - 2,000 token-level mutations of the bundled `.clause` files (delete, duplicate, swap, insert
 *   or replace with hostile tokens), parsed, and when clean checked with the rest of the policy
 *   and evaluated;
 * - 600 character-level mutations of the bundled YAML rule file;
 * - 4,900 generated rules whose expressions mix JavaScript-builtin names, extreme literals and
 *   every operator, compiled and evaluated against subjects with missing, zero and negative facts;
 * - 1,500 character-level mutations of a small facts file (anchors, tags, flow brackets, BOMs).
 *
 * Every case: no exception, every span inside its text, no prototype polluted, and every
 * explanation free of `NaN`, `Infinity`, `undefined` and `[object`.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/eval/evaluate.js';
import { loadFactsText } from '../../src/facts/parse-facts.js';
import { hasErrors } from '../../src/model/diagnostics.js';
import type { Policy } from '../../src/model/types.js';
import { compileSources, type PolicySourceFile } from '../../src/policy-sources.js';
import { parseClauseFile } from '../../src/syntax/parse.js';
import { clauseLexer } from '../../src/syntax/tokens.js';
import { parseYamlPolicyFile } from '../../src/yaml/load-yaml.js';
import { compileMemory } from '../helpers/policy.js';
import { expectNoPollution, expectPlaced, POLICY } from './harness.js';

const SEED = 20_221_128;
const files: PolicySourceFile[] = readdirSync(POLICY)
  .filter((n) => n.endsWith('.clause') || (n.endsWith('.yaml') && n !== 'tests.yaml'))
  .sort()
  .map((n) => ({ path: join(POLICY, n), text: readFileSync(join(POLICY, n), 'utf8') }));
const source = readFileSync(join(POLICY, 'source.txt'), 'utf8');
const clauseFiles = files.filter((f) => f.path.endsWith('.clause'));
const yamlFile = files.find((f) => f.path.endsWith('.yaml'))!;

const SMALL_FACTS = `regions:
  - { id: "530000", level: province, sw_in_development_plan: true }
  - { id: "530102001", level: township, parent: "530000", sw_station: { established: 2021-03-15 } }
institutions:
  - { id: I1, category: children_welfare_home, region: "530000", posts: { total: 10, professional: 10, social_work: 7 } }
  - { id: I2, category: school, students: 0, posts: { total: 0, professional: 0, social_work: 0 } }
workers:
  - { id: W1, institution: I1, qualification: intermediate, post: { tier: intermediate, grade: 2, level: 9 }, hard_area_years: -1 }
`;

function compileWith(replaced: PolicySourceFile) {
  return compileSources(files.map((f) => (f.path === replaced.path ? replaced : f)), {
    readSource: () => ({ path: join(POLICY, 'source.txt'), text: source }),
    loadBase: () => ({ diagnostics: [] }),
  });
}

/** Evaluates `policy` on `facts` text when both load, checking explanations are readable. */
function evaluateIfLoads(policy: Policy, factsText: string, format: 'yaml' | 'json' = 'yaml'): void {
  const facts = loadFactsText(policy, `f.${format}`, factsText, format);
  expectPlaced(facts.diagnostics, factsText);
  if (!facts.facts) return;
  for (const asOf of ['2020-01-01', '2022-06-01', '2100-12-31']) {
    for (const r of evaluate(policy, facts.facts, { asOf }).results) {
      expect(r.explanation, `${r.rule} ${r.subject.id}`).not.toMatch(/NaN|Infinity|undefined|\[object/);
    }
  }
}

const HOSTILE_TOKENS = [
  '(', ')', '{', '}', ',', ':', ';', '.', '->', '=', '==', '!=', '<', '>=', '+', '-', '*', '/', '%',
  '"', '"unterminated', '""', '"\\"', '"{', '"}"', '"{x}"', '"{{"', '#', '\u0000', '\u001b', '\u202e', '\ufeff', '@', '$', '`',
  'constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype',
  '0', '-0', '1e400', '99999999999999999999999', '0.00000000000000000000001', '9007199254740993',
  '2021-02-30', '0000-00-00', '9999-12-31', '100%', '1000%', '0%', '1:0', '0:0', '3m', '99999y', '0d',
  'not', 'and', 'or', 'in', 'true', 'none', 'today', 'count', 'sum', 'share', 'min', 'max', 'all', 'any',
  'rule', 'define', 'param', 'set', 'table', 'kind', 'enum', 'policy', 'by', 'where', 'must', 'should', 'may', 'eligible', 'when',
  'cite', 'quote', 'explain', 'en', 'for', 'from', 'until', 'extends', 'source', 'many', 'list', 'modality', 'uncheckable', 'because',
  'i', 'w', 'r', 'i.posts', 'i.posts.total', 'r.descendants', 'civil_affairs_share', 'post_level', 'x in',
];

type Mutation = { op: 'delete' | 'duplicate' | 'swap' | 'insert' | 'replace'; at: number; token: string };
const mutation = fc.record({
  op: fc.constantFrom<Mutation['op']>('delete', 'duplicate', 'swap', 'insert', 'replace'),
  at: fc.nat(),
  token: fc.oneof(fc.constantFrom(...HOSTILE_TOKENS), fc.string({ maxLength: 6 })),
});

function mutate(tokens: string[], muts: readonly Mutation[]): string[] {
  const out = [...tokens];
  for (const m of muts) {
    if (out.length === 0) {
      out.push(m.token);
      continue;
    }
    const i = m.at % out.length;
    switch (m.op) {
      case 'delete': out.splice(i, 1); break;
      case 'duplicate': out.splice(i, 0, out[i]); break;
      case 'swap': if (i + 1 < out.length) [out[i], out[i + 1]] = [out[i + 1], out[i]]; break;
      case 'insert': out.splice(i, 0, m.token); break;
      case 'replace': out[i] = m.token; break;
    }
  }
  return out;
}

describe('fast-check mutations', () => {
  it('2,000 token mutations of the bundled .clause files', () => {
    const lexed = clauseFiles.map((f) => ({ file: f, tokens: clauseLexer.tokenize(f.text).tokens.map((t) => t.image) }));
    let checked = 0;
    let evaluated = 0;
    fc.assert(
      fc.property(fc.nat(lexed.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, muts) => {
        const { file, tokens } = lexed[which];
        const text = mutate(tokens, muts).join(' ');
        const parsed = parseClauseFile(file.path, text);
        expectPlaced(parsed.diagnostics, text);
        if (hasErrors(parsed.diagnostics)) return;
        checked++;
        const loaded = compileWith({ path: file.path, text });
        expectPlaced(loaded.diagnostics, loaded.texts ?? new Map());
        if (!loaded.policy || hasErrors(loaded.diagnostics)) return;
        evaluated++;
        evaluateIfLoads(loaded.policy, SMALL_FACTS);
      }),
      { numRuns: 2000, seed: SEED },
    );
    console.log(`[robustness figures] clause mutations: 2000 cases, ${checked} parsed cleanly and were checked, ${evaluated} evaluated`);
    expectNoPollution();
  });

  it('600 character mutations of the bundled YAML rule file', () => {
    const pieces = ['&a ', '*a', '!!js/function ', '!!str ', '<<: *a', '{', '}', '[', ']', '"', "'", '\t', '\ufeff', '\n---\n', '%YAML 1.1\n', '? ', ': ', '- ', '|\n', '>-\n', '#', '\\', '\u0000', '__proto__: 1\n', 'constructor', '1e400', '2021-02-30', '  ', '\n'];
    let clean = 0;
    fc.assert(
      fc.property(fc.array(fc.record({ at: fc.nat(), del: fc.nat(8), piece: fc.constantFrom(...pieces) }), { minLength: 1, maxLength: 3 }), (edits) => {
        let text = yamlFile.text;
        for (const e of edits) {
          const i = e.at % (text.length + 1);
          text = text.slice(0, i) + e.piece + text.slice(i + e.del);
        }
        const parsed = parseYamlPolicyFile(yamlFile.path, text);
        expectPlaced(parsed.diagnostics, text);
        if (hasErrors(parsed.diagnostics)) return;
        clean++;
        const loaded = compileWith({ path: yamlFile.path, text });
        expectPlaced(loaded.diagnostics, loaded.texts ?? new Map());
        if (loaded.policy && !hasErrors(loaded.diagnostics)) evaluateIfLoads(loaded.policy, SMALL_FACTS);
      }),
      { numRuns: 600, seed: SEED },
    );
    console.log(`[robustness figures] YAML rule mutations: 600 cases, ${clean} parsed cleanly`);
    expectNoPollution();
  });

  it('4,900 generated rules over builtin-named declarations, extreme literals and every operator', () => {
    const prelude = `policy t version "1" effective 2021-01-01
enum valueOf { constructor __proto__ toString }
kind unit from units "单位" {
  constructor: integer "c"
  __proto__: integer "p"
  toString: number "t"
  hasOwnProperty: boolean "h"
  prototype: date "d"
  valueOf: valueOf "v"
  posts: record "岗位"
  posts.total: integer "岗位总数"
  boss: unit "上级"
  staff: many unit by boss "下属"
}
param constructor: integer = 1
param toString: percent = 150%
param __proto__: number = -2.5
param hasOwnProperty: date = 2021-06-30
param later: percent = 70% from 2030-01-01
define isPrototypeOf(x: integer) = x * 0
`;
    const facts = `units:
  - { id: A, constructor: 0, __proto__: -3, toString: 0.1, hasOwnProperty: true, prototype: 2021-02-28, valueOf: __proto__, posts: { total: 0 } }
  - { id: B, constructor: 7, __proto__: 0, toString: -1e-3, hasOwnProperty: false, prototype: 2020-02-29, valueOf: toString, boss: A, posts: { total: 9007199254740991 } }
  - { id: C, boss: A }
`;
    const num = fc.constantFrom('0', '-0', '1', '-1', '0.1', '1e3', '150%', '0%', '1:0', '0:1', '9007199254740991', 'u.constructor', 'u.__proto__', 'u.toString', 'u.posts.total', 'constructor', 'toString', '__proto__', 'later', 'isPrototypeOf(u.constructor)', 'count(s in u.staff)', 'sum(s in u.staff : s.constructor)', 'share(s in u.staff : s.hasOwnProperty)', 'min(s in u.staff : s.toString)', 'max(s in u.staff : s.__proto__)');
    const bool = fc.constantFrom('true', 'false', 'none == none', 'u.hasOwnProperty', 'has(u.constructor)', 'u.valueOf == constructor', 'u.valueOf in {__proto__, toString}', 'all(s in u.staff : s.hasOwnProperty)', 'any(s in u.staff : s.hasOwnProperty)', 'u.prototype <= hasOwnProperty', 'u.prototype + 1m < today', 'u.boss.hasOwnProperty');
    const arith = fc.letrec((tie) => ({
      n: fc.oneof({ depthSize: 'small', withCrossShrink: true }, num, fc.tuple(tie('n'), fc.constantFrom('+', '-', '*', '/'), tie('n')).map(([a, op, b]) => `(${a} ${op} ${b})`), tie('n').map((a) => `-${a}`), tie('n').map((a) => `ceil(${a})`)),
      b: fc.oneof({ depthSize: 'small', withCrossShrink: true }, bool, fc.tuple(tie('n'), fc.constantFrom('<', '<=', '==', '!=', '>=', '>'), tie('n')).map(([a, op, b]) => `${a} ${op} ${b}`), fc.tuple(tie('b'), fc.constantFrom('and', 'or'), tie('b')).map(([a, op, b]) => `(${a} ${op} ${b})`), tie('b').map((a) => `not (${a})`)),
    }));
    const rule = fc.record({
      id: fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', 'q'),
      modality: fc.constantFrom('must', 'should', 'may', 'eligible when'),
      cond: arith.b,
      where: fc.option(arith.b, { nil: undefined }),
      by: fc.option(fc.constantFrom('hasOwnProperty', '2000-01-01', '2022-12-31', 'u.prototype'), { nil: undefined }),
    });
    let clean = 0;
    fc.assert(
      fc.property(rule, (r) => {
        const by = r.by && r.modality !== 'eligible when' ? ` by ${r.by}` : '';
        const text = `${prelude}rule ${r.id} cite "一" for unit u${r.where ? ` where ${r.where}` : ''} ${r.modality} ${r.cond}${by}\n`;
        const loaded = compileMemory({ 'p.clause': text });
        expectPlaced(loaded.diagnostics, text);
        if (!loaded.policy || hasErrors(loaded.diagnostics)) return;
        clean++;
        evaluateIfLoads(loaded.policy, facts);
      }),
      { numRuns: 4900, seed: SEED },
    );
    console.log(`[robustness figures] generated rules: 4900 cases, ${clean} compiled and were evaluated`);
    expect(clean).toBeGreaterThan(2000);
    expectNoPollution();
  });

  it('1,500 character mutations of a facts file', () => {
    const policy = compileWith(files[0]).policy!;
    const pieces = ['&a ', '*a', '!!js/function ', '!!binary ', '<<: *a', '{', '}', '[', ']', '"', "'", '\t', '\ufeff', '\n---\n', '? ', ': ', '- ', '|\n', '#', '\\', '\u0000', '\u001b', '__proto__: 1, ', 'constructor: {}, ', '1e400', '-0', '9007199254740993', '2021-02-30', '.nan', 'null', '~', '\n'];
    fc.assert(
      fc.property(fc.array(fc.record({ at: fc.nat(), del: fc.nat(6), piece: fc.constantFrom(...pieces) }), { minLength: 1, maxLength: 3 }), (edits) => {
        let text = SMALL_FACTS;
        for (const e of edits) {
          const i = e.at % (text.length + 1);
          text = text.slice(0, i) + e.piece + text.slice(i + e.del);
        }
        evaluateIfLoads(policy, text);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 1500, seed: SEED },
    );
    expectNoPollution();
  });
});
