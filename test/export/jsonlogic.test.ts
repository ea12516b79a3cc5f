/**
 * The JSON Logic export, case by case: what it expresses must reach the native evaluator's
 * decisions (checked with json-logic-js), what it cannot express must be listed with the
 * right reason. Also runs the evaluator's own semantics corpus (test/cases/eval-statuses.yaml)
 * through the export, and the CLI.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { evaluate } from '../../src/eval/evaluate.js';
import { exportJsonLogic, jsonLogicData, type JsonLogic, type JsonLogicExport, type UnsupportedCode } from '../../src/export/jsonlogic.js';
import type { Policy } from '../../src/model/types.js';
import type { Facts } from '../../src/facts/facts.js';
import { factsOf, policyOf, PRELUDE, runCli } from '../helpers/policy.js';
import { expectGolden } from '../helpers/golden.js';
import { statusOf } from './status.js';

interface Agreement {
  readonly exported: JsonLogicExport;
  readonly compared: number;
  /** Native unknowns checked against the missing reads. */
  readonly unknowns: number;
  readonly disagreements: string[];
}

/** Exports as of `asOf` and compares every exported rule with the evaluator on every subject. */
function agree(policy: Policy, facts: Facts, asOf: string): Agreement {
  const exported = exportJsonLogic(policy, { asOf, lang: 'en' });
  const report = evaluate(policy, facts, { asOf });
  const disagreements: string[] = [];
  let compared = 0;
  let unknowns = 0;
  for (const n of report.results) {
    const rule = exported.rules.find((r) => r.id === n.rule);
    if (!rule) continue;
    const subject = facts.byKind.get(n.subject.kind)!.get(n.subject.id)!;
    const data = jsonLogicData(subject, asOf);
    if (n.status === 'unknown') {
      // Unknown only where a fact the rule reads is missing from the data object (so never with
      // complete facts).
      unknowns++;
      const paths = n.missing.map((m) => dataPath(exported, subject.kind, data.subject, m));
      const absent = rule.reads.filter((p) => at(data, p) === undefined);
      if (paths.length === 0 || paths.some((p) => p === undefined || !absent.includes(p))) {
        disagreements.push(`${n.subject.id}/${n.rule} as of ${asOf}: unknown, missing ${n.missing.join(', ')}, absent reads ${absent.join(', ')}`);
      }
      continue;
    }
    const got = statusOf(rule, data);
    compared++;
    if (got.status !== n.status || (n.status !== 'not_applicable' && got.due !== n.due)) {
      disagreements.push(`${n.subject.id}/${n.rule} as of ${asOf}: json-logic ${got.status} ${got.due}, native ${n.status} ${n.due}`);
    }
  }
  return { exported, compared, unknowns, disagreements };
}

/** The data path of a fact the engine reports missing (`units[A].posts.total`, `areas[R].open`). */
function dataPath(exported: JsonLogicExport, kind: string, subject: Record<string, unknown>, missing: string): string | undefined {
  const m = /^(\w+)\[(.*?)\]\.(.+)$/.exec(missing);
  if (!m) return undefined;
  const [, list, id, path] = m;
  if (list === exported.lists[kind] && id === subject.id) return `subject.${path}`;
  for (const [field, target] of Object.entries(exported.references[kind] ?? {})) {
    const ref = subject[field] as { id?: string } | null | undefined;
    if (list === exported.lists[target] && ref?.id === id) return `subject.${field}.${path}`;
  }
  return undefined;
}

/** The value at a dotted path: undefined when absent (missing), null when none. */
function at(data: unknown, path: string): unknown {
  let cur: unknown = data;
  for (const seg of path.split('.')) {
    if (cur === null) return null;
    if (cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** Every number in an expression (to show comparisons were multiplied out to integers). */
function numbers(x: JsonLogic): number[] {
  if (typeof x === 'number') return [x];
  if (x === null || typeof x !== 'object') return [];
  if (Array.isArray(x)) return x.flatMap(numbers);
  return Object.values(x).flatMap(numbers);
}

// ───────────────────────── the evaluator's semantics corpus ─────────────────────────

interface CorpusCase {
  note: string;
  rules: string;
  facts: string;
  asOf?: string;
  cases?: { asOf: string }[];
}

describe('the evaluator semantics corpus through the export', () => {
  const corpus = parse(readFileSync('test/cases/eval-statuses.yaml', 'utf8')) as CorpusCase[];
  let compared = 0;
  let unknowns = 0;
  const unsupported = new Set<string>();
  for (const c of corpus) {
    for (const run of c.cases ?? [{ asOf: c.asOf! }]) {
      it(`${c.note} (as of ${run.asOf})`, () => {
        const policy = policyOf({ 'p.clause': PRELUDE + c.rules });
        const result = agree(policy, factsOf(policy, c.facts), String(run.asOf));
        expect(result.disagreements).toEqual([]);
        compared += result.compared;
        unknowns += result.unknowns;
        for (const u of result.exported.unsupported) unsupported.add(u.code);
      });
    }
  }
  it('compares decisions and lists what it leaves out', () => {
    expect(compared).toBeGreaterThan(30);
    expect(unknowns).toBeGreaterThan(5);
    // Division by a fact, calendar arithmetic on a fact, share, an unset parameter.
    expect([...unsupported].sort()).toEqual(['date-arithmetic', 'division', 'share', 'unset-parameter']);
  });
});

// ───────────────────────── export-specific cases ─────────────────────────

const KINDS = `policy t version "1" effective 2020-01-01
enum cat { a "甲" b "乙" c "丙" }
kind area from areas "地区" {
  name: string "名称"
  parent: area "上级"
  open: boolean "开放"
  children: many area by parent "下级"
  below: many area by parent* "所辖"
  units: many unit by area "单位"
}
kind unit from units "单位" {
  category: cat "类别"
  area: area "地区"
  posts: record "岗位"
  posts.total: integer "岗位总数"
  posts.professional: integer "专业技术岗位数"
  posts.social_work: integer "社会工作岗位数"
  flag: boolean "标志"
  opened: date "开设日期"
  years: number "年限"
  tags: list string "标签"
  scores: list integer "分数"
}
`;

const AREAS = `areas:
  - { id: P, open: true }
  - { id: Q, parent: P, open: false }
  - { id: R, parent: Q }
`;

interface Case {
  readonly note: string;
  readonly rules: string;
  readonly units: string;
  readonly asOf: readonly string[];
  /** `supported`, or the code of the reason the rule is not exported. */
  readonly want: 'supported' | UnsupportedCode;
  readonly caveat?: boolean;
  /** How many native unknowns the case's facts produce (checked against the missing reads). */
  readonly unknowns?: number;
}

const CASES: readonly Case[] = [
  {
    note: 'percentages are multiplied out: 28% of 25 is 7, where doubles say 7.000000000000001',
    rules: 'param p: percent = 28%\nrule q cite "一" for unit u must u.posts.social_work >= p * u.posts.total',
    units: `
      - { id: A, posts: { total: 25, social_work: 7 } }
      - { id: B, posts: { total: 25, social_work: 6 } }
      - { id: C, posts: { total: 100, social_work: 28 } }
      - { id: D, posts: { total: 75, social_work: 21 } }
      - { id: E, posts: { total: 50, social_work: 13 } }
      - { id: F, posts: null }
      - { id: G, posts: { total: 10 } }`,
    asOf: ['2022-01-01'],
    want: 'supported',
  },
  {
    note: 'ceil, floor and round of a ratio use integer remainders',
    rules: `param r: ratio = 1:3
rule c cite "一" for unit u must u.posts.social_work >= ceil(u.posts.total * r)
rule f cite "一" for unit u must u.posts.social_work >= floor(u.posts.total * r)
rule h cite "一" for unit u must u.posts.social_work == round(u.posts.total * 1:2)
rule n cite "一" for unit u must round(-(u.posts.total) / 2) == -(u.posts.social_work)`,
    units: `
      - { id: A, posts: { total: 0, social_work: 0 } }
      - { id: B, posts: { total: 1, social_work: 1 } }
      - { id: C, posts: { total: 3, social_work: 1 } }
      - { id: D, posts: { total: 4, social_work: 2 } }
      - { id: E, posts: { total: 5, social_work: 3 } }
      - { id: F, posts: { total: 7, social_work: 2 } }
      - { id: G, posts: { total: -5, social_work: -3 } }
      - { id: H, posts: { total: -4, social_work: -1 } }`,
    asOf: ['2022-01-01'],
    want: 'supported',
  },
  {
    note: 'min and max skip none; a comparison with none is false',
    rules: `rule m cite "一" for unit u must min(u.posts.total, u.posts.professional) >= 3
rule x cite "一" for unit u must max(u.posts.total, u.posts.professional, 2) <= 10
rule o cite "一" for unit u must u.opened <= 2021-06-30`,
    units: `
      - { id: A, posts: { total: 5, professional: 4 }, opened: 2021-06-30 }
      - { id: B, posts: { total: 5, professional: null }, opened: null }
      - { id: C, posts: { total: 2, professional: 9 }, opened: 2021-07-01 }
      - { id: D, posts: { total: null, professional: null } }
      - { id: E, posts: { total: 20, professional: null } }`,
    asOf: ['2022-01-01'],
    want: 'supported',
  },
  {
    note: 'none equals none, and has() tests for it',
    rules: `rule e cite "一" for unit u must u.posts.total == u.posts.professional
rule h cite "一" for unit u must not has(u.posts) or has(u.posts.total)`,
    units: `
      - { id: A, posts: { total: null, professional: null } }
      - { id: B, posts: { total: 3, professional: null } }
      - { id: C, posts: { total: 3, professional: 3 } }
      - { id: D, posts: null }
      - { id: E, posts: { professional: 3, total: null } }`,
    asOf: ['2022-01-01'],
    want: 'supported',
  },
  {
    note: 'completed years between dates, across a leap day',
    rules: 'rule y cite "一" for unit u eligible when years_between(u.opened, today) >= 2',
    units: `
      - { id: A, opened: 2020-02-29 }
      - { id: B, opened: 2020-03-01 }
      - { id: C, opened: 2019-12-31 }
      - { id: D, opened: null }`,
    asOf: ['2022-02-28', '2022-03-01'],
    want: 'supported',
  },
  {
    note: 'aggregates over list facts: all is true on an empty list, count, sum, max, size',
    rules: `rule all cite "一" for unit u should all(t in u.tags : t in {"x", "y"})
rule any cite "一" for unit u eligible when any(t in u.tags where t != "z" : t == "y")
rule cnt cite "一" for unit u must count(s in u.scores where s > 2) >= 2
rule sum cite "一" for unit u must sum(s in u.scores : s) >= 10
rule max cite "一" for unit u must max(s in u.scores where s < 100 : s) > 5
rule mn cite "一" for unit u must min(s in u.scores : s * 1:2) >= 1
rule sz cite "一" for unit u must size(u.tags) > 1`,
    units: `
      - { id: A, tags: [], scores: [] }
      - { id: B, tags: [x, y], scores: [1, 2, 3, 4] }
      - { id: C, tags: [x, z], scores: [200, 3, 9] }
      - { id: D, tags: null, scores: null }
      - { id: E, tags: [z], scores: [2, 1] }`,
    asOf: ['2022-01-01'],
    want: 'supported',
  },
  {
    note: 'a set literal of facts as an aggregate source, and numeric membership',
    rules: `rule q cite "一" for unit u must any(x in {u.posts.total, u.posts.professional} : x > 5)
rule m cite "一" for unit u must u.years in {1.5, 2}
rule k cite "一" for unit u must u.posts.total in {1, 2, 3}
rule c cite "一" for unit u must count(x in {u.posts.total, u.posts.professional, 10} : x > 5) >= 2
rule s cite "一" for unit u must sum(x in {u.posts.total, u.posts.professional} : x) >= 8`,
    units: `
      - { id: A, posts: { total: 10, professional: 4 }, years: 1.5 }
      - { id: B, posts: { total: 2, professional: 1 }, years: 2 }
      - { id: C, posts: { total: 4, professional: null }, years: 2.5 }
      - { id: D, posts: { total: 4, professional: 4 } }
      - { id: E, posts: { total: 10, professional: 10 } }`,
    asOf: ['2022-01-01'],
    want: 'supported',
    caveat: true,
  },
  {
    note: 'tables become if chains; a missing row is none',
    rules: `table lv(c: cat, g: integer) -> integer { a, 1 -> 11  a, 2 -> 12  b, 1 -> 8 }
table half(c: cat) -> ratio { a -> 1:2  b -> 1:3 }
rule t cite "一" for unit u must u.posts.total == lv(u.category, u.posts.professional)
rule h cite "一" for unit u must u.posts.social_work >= half(u.category) * u.posts.total`,
    units: `
      - { id: A, category: a, posts: { total: 11, professional: 1, social_work: 6 } }
      - { id: B, category: a, posts: { total: 11, professional: 2, social_work: 5 } }
      - { id: C, category: b, posts: { total: 9, professional: 1, social_work: 3 } }
      - { id: D, category: c, posts: { total: null, professional: 1, social_work: 0 } }
      - { id: E, category: c, posts: { total: 4, professional: 1, social_work: 0 } }`,
    asOf: ['2022-01-01'],
    want: 'supported',
  },
  {
    note: 'a reference is inlined one level',
    rules: 'rule q cite "一" for unit u where u.area.open must u.flag',
    units: `
      - { id: A, area: P, flag: false }
      - { id: B, area: Q, flag: false }
      - { id: C, area: R, flag: true }
      - { id: D, area: R, flag: false }
      - { id: E, flag: true }
      - { id: F, area: P }`,
    asOf: ['2022-01-01'],
    want: 'supported',
    unknowns: 4,
  },
  {
    note: 'a deadline and the rule\'s window use the as-of date',
    rules: `param d: date = 2021-06-30
rule q cite "一" for unit u must u.flag by d from 2021-01-01 until 2022-12-31
rule t cite "一" for unit u must u.opened <= today - 2y`,
    units: `
      - { id: A, flag: false, opened: 2020-01-01 }
      - { id: B, flag: true, opened: 2019-12-31 }`,
    asOf: ['2020-06-01', '2021-06-30', '2021-07-01', '2023-01-01'],
    want: 'supported',
  },
  {
    note: 'arithmetic on a decimal fact is exported with a caveat',
    rules: 'rule q cite "一" for unit u must u.years * 3 >= 7',
    units: `
      - { id: A, years: 2.5 }
      - { id: B, years: 2 }`,
    asOf: ['2022-01-01'],
    want: 'supported',
    caveat: true,
  },
  {
    note: 'division by a constant stays exact',
    rules: 'rule q cite "一" for unit u must u.posts.total / 4 >= 7:4',
    units: `
      - { id: A, posts: { total: 7 } }
      - { id: B, posts: { total: 6 } }`,
    asOf: ['2022-01-01'],
    want: 'supported',
  },
  {
    note: 'if/else-if, rounding half to even and to a step (printed from the lowered form, as SQL is)',
    rules: `define level(u: unit) = if u.category == a then 3 else if u.category == b then 2 else 1
rule l cite "一" for unit u must u.posts.social_work >= level(u)
rule e cite "一" for unit u must round_half_even(u.posts.total * 1:2) == u.posts.social_work
rule s cite "一" for unit u should round(u.posts.total * 1:3, 0.5) >= 3:2`,
    units: `
      - { id: A, category: a, posts: { total: 5, social_work: 2 } }
      - { id: B, category: b, posts: { total: 7, social_work: 4 } }
      - { id: C, category: c, posts: { total: -3, social_work: -2 } }
      - { id: D, category: a, posts: { total: 4, social_work: 3 } }
      - { id: E, category: null, posts: { total: 1, social_work: 0 } }
      - { id: F, category: b, posts: { total: -5, social_work: -2 } }`,
    asOf: ['2022-01-01'],
    want: 'supported',
  },
  {
    note: 'a parameter set only later is unset on the as-of date',
    rules: 'param k: integer = 5 from 2023-01-01\nrule q cite "一" for unit u must u.posts.total >= k',
    units: '\n      - { id: A, posts: { total: 5 } }',
    asOf: ['2022-06-01'],
    want: 'unset-parameter',
  },
  {
    note: 'the same parameter once set',
    rules: 'param k: integer = 5 from 2023-01-01\nrule q cite "一" for unit u must u.posts.total >= k',
    units: '\n      - { id: A, posts: { total: 5 } }\n      - { id: B, posts: { total: 4 } }',
    asOf: ['2023-06-01'],
    want: 'supported',
  },
  {
    note: 'an aggregate over a relation needs other subjects',
    rules: 'rule q cite "一" for area r must count(x in r.units where x.flag) > 0',
    units: '\n      - { id: A, area: P, flag: true }',
    asOf: ['2022-01-01'],
    want: 'relation',
  },
  {
    note: 'a transitive relation likewise',
    rules: 'rule q cite "一" for area r must all(x in r.below : x.open)',
    units: '\n      - { id: A, area: P }',
    asOf: ['2022-01-01'],
    want: 'relation',
  },
  {
    note: 'two references deep',
    rules: 'rule q cite "一" for unit u must u.area.parent.open',
    units: '\n      - { id: A, area: R }',
    asOf: ['2022-01-01'],
    want: 'reference-depth',
  },
  {
    note: 'an aggregate body that reads the outer subject',
    rules: 'rule q cite "一" for unit u must count(s in u.scores : s > u.posts.total) == 0',
    units: '\n      - { id: A, scores: [1], posts: { total: 0 } }',
    asOf: ['2022-01-01'],
    want: 'outer-variable',
  },
  {
    note: 'days between dates, across leap days and centuries',
    rules: `rule q cite "一" for unit u must days_between(u.opened, today) >= 59
rule e cite "一" for unit u must days_between(1900-02-28, u.opened) == u.posts.total
rule b cite "一" for unit u must days_between(u.opened, 2000-03-01) < 0`,
    units: `
      - { id: A, opened: 2024-01-01, posts: { total: 45232 } }
      - { id: B, opened: 2023-12-31, posts: { total: 45230 } }
      - { id: C, opened: 1900-03-01, posts: { total: 1 } }
      - { id: D, opened: 2000-02-29, posts: { total: 36525 } }
      - { id: E, opened: 2000-03-01, posts: { total: 36526 } }
      - { id: F, opened: 1999-12-31, posts: { total: 36465 } }
      - { id: G, opened: 0001-01-01, posts: { total: 0 } }
      - { id: H, opened: 9999-12-31, posts: { total: 0 } }
      - { id: I, opened: null, posts: { total: 0 } }`,
    asOf: ['2024-02-29', '2024-03-01'],
    want: 'supported',
  },
  {
    note: 'calendar arithmetic on a fact',
    rules: 'rule q cite "一" for unit u must u.opened + 6m <= today',
    units: '\n      - { id: A, opened: 2021-01-01 }',
    asOf: ['2022-01-01'],
    want: 'date-arithmetic',
  },
  {
    note: 'division by a fact',
    rules: 'rule q cite "一" for unit u must u.posts.social_work / u.posts.total >= 70%',
    units: '\n      - { id: A, posts: { total: 10, social_work: 7 } }',
    asOf: ['2022-01-01'],
    want: 'division',
  },
  {
    note: 'a share of a list',
    rules: 'rule q cite "一" for unit u must share(s in u.scores : s > 2) >= 50%',
    units: '\n      - { id: A, scores: [1, 3] }',
    asOf: ['2022-01-01'],
    want: 'share',
  },
];

describe('export cases', () => {
  for (const c of CASES) {
    it(c.note, () => {
      const policy = policyOf({ 'p.clause': `${KINDS}${c.rules}\n` });
      const facts = factsOf(policy, `${AREAS}units:${c.units}\n`);
      let compared = 0;
      let unknowns = 0;
      for (const asOf of c.asOf) {
        const result = agree(policy, facts, asOf);
        expect(result.disagreements).toEqual([]);
        compared += result.compared;
        unknowns += result.unknowns;
        const { rules, unsupported } = result.exported;
        if (c.want === 'supported') {
          expect(unsupported).toEqual([]);
          expect(rules.length).toBe(policy.rules.length);
          expect(compared).toBeGreaterThan(0);
          for (const r of rules) {
            // Exactness: no fraction is left for JSON Logic's doubles (except decimal facts).
            if (!c.caveat) for (const n of numbers([r.where, r.condition])) expect(Number.isInteger(n), `${r.id}: ${n}`).toBe(true);
            expect(r.caveats !== undefined, r.id).toBe(!!c.caveat && r.caveats !== undefined);
          }
          if (c.caveat) expect(rules.some((r) => r.caveats?.length)).toBe(true);
          if (c.unknowns) expect(unknowns).toBe(c.unknowns);
        } else {
          expect(unsupported.map((u) => u.code)).toContain(c.want);
          for (const u of unsupported) expect(u.reason).not.toMatch(/\{\w+\}/);
          expect(rules.map((r) => r.id)).not.toContain(unsupported[0].id);
        }
      }
    });
  }

  it('reads list the paths a rule needs, including inlined references', () => {
    const policy = policyOf({ 'p.clause': `${KINDS}rule q cite "一" for unit u where u.area.open and has(u.posts) must u.posts.total > 0\n` });
    const exported = exportJsonLogic(policy, { asOf: '2022-01-01' });
    expect(exported.rules[0].reads).toEqual(['subject.area', 'subject.area.open', 'subject.posts', 'subject.posts.total']);
    expect(exported.references).toEqual({ area: { parent: 'area' }, unit: { area: 'area' } });
  });

  it('data objects inline references one level and keep numbers as JSON numbers', () => {
    const policy = policyOf({ 'p.clause': KINDS });
    const facts = factsOf(policy, `${AREAS}units:\n  - { id: A, area: R, years: 2.5, posts: { total: 3 }, tags: [x] }\n`);
    const unit = facts.byKind.get('unit')!.get('A')!;
    expect(jsonLogicData(unit, '2022-01-01')).toEqual({
      subject: { id: 'A', area: { id: 'R', parent: 'Q' }, years: 2.5, posts: { total: 3 }, tags: ['x'] },
      asOf: '2022-01-01',
    });
  });

  it('speaks the requested language', () => {
    const policy = policyOf({ 'p.clause': `${KINDS}param k: integer\nrule q cite "一" for unit u must u.posts.total >= k\n` });
    const zh = exportJsonLogic(policy, { asOf: '2022-01-01', lang: 'zh' });
    const en = exportJsonLogic(policy, { asOf: '2022-01-01', lang: 'en' });
    expect(zh.unsupported[0].reason).toContain('参数 `k` 在 2022-01-01 没有取值');
    expect(en.unsupported[0].reason).toContain('parameter `k` has no value on 2022-01-01');
    expect(zh.notes.length).toBe(en.notes.length);
  });
});

// ───────────────────────── the CLI ─────────────────────────

const BUNDLED = 'policies/yunnan-social-work/2021';

describe('clausal export', () => {
  it('exports the bundled policy (golden)', async () => {
    const r = await runCli(['export', BUNDLED, '--to', 'jsonlogic', '--as-of', '2022-06-01', '--lang', 'en']);
    expect(r.code).toBe(0);
    const exported = JSON.parse(r.stdout) as JsonLogicExport;
    expect(exported.asOf).toBe('2022-06-01');
    expect(exported.unsupported.map((u) => [u.id, u.code])).toEqual([
      ['correction-posts-by-caseload', 'unset-parameter'],
      ['school-staffing-ratio', 'unset-parameter'],
      ['township-station-coverage', 'relation'],
      ['recruitment-priority', 'unset-parameter'],
    ]);
    expect(exported.rules.length + exported.unsupported.length).toBe(32);
    expect(r.stderr).toBe('exported 28 rules; not expressible in JSON Logic (4, listed under "unsupported"): correction-posts-by-caseload, school-staffing-ratio, township-station-coverage, recruitment-priority\n');
    expectGolden('test/export/golden/yunnan-2021-as-of-2022-06-01.en.json', r.stdout);
  });

  it('defaults --as-of to today and writes --out', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'clausal-export-')), 'rules.json');
    const r = await runCli(['export', BUNDLED, '--to=jsonlogic', '--out', out], '2024-02-29');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('已导出 28 条规则；无法用 JSON Logic 表达的 4 条列在 "unsupported" 中：correction-posts-by-caseload, school-staffing-ratio, township-station-coverage, recruitment-priority\n');
    const exported = JSON.parse(readFileSync(out, 'utf8')) as JsonLogicExport;
    expect(exported.asOf).toBe('2024-02-29');
    expect(exported.notes[0]).toMatch(/^状态推导/);
  });

  const USAGE: readonly { argv: string[]; code: number; stderr: RegExp }[] = [
    { argv: ['export'], code: 2, stderr: /X0003/ },
    { argv: ['export', BUNDLED], code: 2, stderr: /X0003.*--to jsonlogic/ },
    { argv: ['export', BUNDLED, '--to', 'xml'], code: 2, stderr: /X0004.*xml/ },
    { argv: ['export', BUNDLED, '--to', 'jsonlogic', '--as-of', '2022-02-30'], code: 2, stderr: /X0004.*2022-02-30/ },
    { argv: ['export', BUNDLED, '--to', 'jsonlogic', '--format', 'json'], code: 2, stderr: /X0002/ },
    { argv: ['export', BUNDLED, 'other', '--to', 'jsonlogic'], code: 2, stderr: /X0003/ },
    { argv: ['export', 'no/such/policy', '--to', 'jsonlogic'], code: 1, stderr: /error/ },
  ];
  for (const u of USAGE) {
    it(`exits ${u.code} for ${u.argv.slice(1).join(' ') || '(nothing)'}`, async () => {
      const r = await runCli(u.argv);
      expect(r.code).toBe(u.code);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(u.stderr);
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    });
  }
});
