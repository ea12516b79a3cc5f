/**
 * Totals of value rules and shortfalls (src/report/totals.ts): golden text, markdown, CSV and
 * the HTML totals section of the bundled allowance measure, the Yunnan province's shortfall
 * totals, and table-driven cases for the rules the sums follow (exactness, unknowns left out
 * and counted, one line per region level, no sums of dates).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../helpers/golden.js';
import { runCli } from '../helpers/policy.js';
import { emptySummary, type RegionRef, type RuleResult, type SubjectInfo } from '../../src/model/result.js';
import { formatTotal, groupDigits, totalsOf } from '../../src/report/totals.js';
import * as Q from '../../src/model/rational.js';

const GOLDEN = 'test/report/golden';
const CW = 'policies/community-worker-allowance';
const CW_FACTS = `${CW}/examples/city.yaml`;

async function render(policy: string, facts: string, asOf: string, format: string, lang: string): Promise<string> {
  const r = await runCli(['eval', policy, '--facts', facts, '--as-of', asOf, '--format', format, '--lang', lang]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

/** The part of a text report from the totals heading to the first subject. */
function textTotals(text: string): string {
  const start = text.search(/^(合计|Totals)/m);
  expect(start).toBeGreaterThan(0);
  const end = text.indexOf('\n\n', start);
  return text.slice(start, end + 1);
}

describe('totals of the bundled allowance measure (golden)', () => {
  for (const lang of ['zh', 'en']) {
    it(`text (${lang})`, async () => {
      expectGolden(join(GOLDEN, `cw-totals.${lang}.txt`), textTotals(await render(`${CW}/2024`, CW_FACTS, '2025-06-01', 'text', lang)));
    });
    it(`markdown (${lang})`, async () => {
      expectGolden(join(GOLDEN, `cw.${lang}.md`), await render(`${CW}/2024`, CW_FACTS, '2025-06-01', 'markdown', lang));
    });
    it(`csv total rows (${lang})`, async () => {
      const csv = await render(`${CW}/2024`, CW_FACTS, '2025-06-01', 'csv', lang);
      const rows = csv.split('\r\n').filter((r) => r.includes(',total,'));
      expectGolden(join(GOLDEN, `cw-totals.${lang}.csv`), `${csv.split('\r\n')[0]}\r\n${rows.join('\r\n')}\r\n`);
    });
    it(`html totals section (${lang})`, async () => {
      const html = await render(`${CW}/2024`, CW_FACTS, '2025-06-01', 'html', lang);
      const section = /<section id="totals">[\s\S]*?<\/section>/.exec(html)?.[0];
      expect(section).toBeDefined();
      // The chart is inline SVG: nothing is fetched, nothing needs a script.
      expect(section).not.toMatch(/<script|<img|href=|url\(/);
      expectGolden(join(GOLDEN, `cw-totals.${lang}.html`), `${section!.replace(/></g, '>\n<')}\n`);
    });
  }

  it('the county budgets add up to the workers\' yearly allowances', async () => {
    // zh titles hold no ASCII comma, so the cells split plainly.
    const csv = await render(`${CW}/2024`, CW_FACTS, '2025-06-01', 'csv', 'zh');
    const province = (rule: string) => csv.split('\r\n').find((r) => r.startsWith('合计,,全省合计') && r.includes(`,${rule},`))!.split(',')[16];
    expect(province('yearly-allowance')).toBe('18700.00');
    expect(province('county-allowance-budget')).toBe('18700.00');
  });

  it('the Yunnan province report sums shortfalls by prefecture', async () => {
    const text = textTotals(await render('policies/yunnan-social-work/2021', 'policies/yunnan-social-work/examples/province.yaml', '2022-06-01', 'text', 'zh'));
    expectGolden(join(GOLDEN, 'province-totals.zh.txt'), text);
    const json = JSON.parse(await render('policies/yunnan-social-work/2021', 'policies/yunnan-social-work/examples/province.yaml', '2022-06-01', 'json', 'zh')) as { results: RuleResult[] };
    const short = json.results.filter((r) => r.rule === 'civil-affairs-post-share' && r.shortfall !== undefined);
    const sum = short.reduce((n, r) => n + Number(r.shortfall), 0);
    expect(text).toContain(`全省合计  ${sum} · ${short.length} 个对象`);
  });
});

const PROVINCE: RegionRef = { id: 'P', name: '省', level: 'province' };
const A: RegionRef = { id: 'A', name: '甲市', level: 'prefecture' };
const B: RegionRef = { id: 'B', name: '乙市', level: 'prefecture' };
const A1: RegionRef = { id: 'A1', name: '甲县', level: 'county' };

function result(kind: string, id: string, rule: string, status: RuleResult['status'], extra: Partial<RuleResult> = {}): RuleResult {
  return { subject: { kind, id }, rule, cite: '第一条', modality: 'must', status, due: null, missing: [], explanation: '', title: rule, figures: [], ...extra };
}

function input(results: RuleResult[], places: Record<string, RegionRef[]>) {
  const subjects = new Map<string, SubjectInfo>();
  for (const r of results) subjects.set(`${r.subject.kind}\u0000${r.subject.id}`, { kind: r.subject.kind, id: r.subject.id, regions: places[r.subject.id] ?? [] });
  return { report: { policy: { id: 't', version: '1' }, asOf: '2025-01-01', results, summary: emptySummary() }, lang: 'zh' as const, subjects };
}

describe('how totals add up', () => {
  it('sums exactly, per prefecture and for the province, leaving unknown values out but counting them', () => {
    const lines = totalsOf(input([
      result('worker', 'w1', 'pay', 'computed', { value: '0.10', unit: '元' }),
      result('worker', 'w2', 'pay', 'computed', { value: '0.20', unit: '元' }),
      result('worker', 'w3', 'pay', 'unknown'),
      result('worker', 'w4', 'pay', 'computed', { value: '1000000', unit: '元' }),
      result('worker', 'w5', 'pay', 'not_applicable'),
    ], { w1: [A1, A, PROVINCE], w2: [A, PROVINCE], w3: [A, PROVINCE], w4: [B, PROVINCE], w5: [B, PROVINCE] }));
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(Q.toDecimalString(line.province.sum)).toBe('1000000.3');
    expect([line.province.subjects, line.province.unknown]).toEqual([3, 1]);
    expect(line.areas.map((a) => [a.region?.id, Q.toDecimalString(a.cell.sum), a.cell.subjects, a.cell.unknown])).toEqual([['A', '0.3', 2, 1], ['B', '1000000', 1, 0]]);
    expect(formatTotal(line.province.sum, line.unit, 2)).toBe('1,000,000.30 元');
  });

  it('splits a rule computed on regions of two levels (a county is not added to its prefecture)', () => {
    const lines = totalsOf(input([
      result('region', 'A', 'budget', 'computed', { value: '10', unit: '元' }),
      result('region', 'A1', 'budget', 'computed', { value: '4', unit: '元' }),
    ], { A: [A, PROVINCE], A1: [A1, A, PROVINCE] }));
    expect(lines.map((l) => [l.level, Q.toDecimalString(l.province.sum)])).toEqual([['prefecture', '10'], ['county', '4']]);
  });

  it('sums shortfalls by unit, and puts subjects above prefecture level first', () => {
    const lines = totalsOf(input([
      result('region', 'P', 'posts', 'violation', { shortfall: '2', shortfallUnit: '岗位' }),
      result('institution', 'i1', 'posts', 'pending', { shortfall: '3', shortfallUnit: '岗位' }),
      result('institution', 'i2', 'posts', 'compliant'),
    ], { P: [PROVINCE], i1: [A1, A, PROVINCE], i2: [A, PROVINCE] }));
    expect(lines.map((l) => [l.measure, l.unit, Q.toDecimalString(l.province.sum), l.province.subjects, l.areas.map((a) => a.region?.id ?? '-')])).toEqual([
      ['shortfall', '岗位', '5', 2, ['-', 'A']],
    ]);
  });

  it('does not sum dates', () => {
    expect(totalsOf(input([result('worker', 'w1', 'start', 'computed', { value: '2025-01-01', unit: null })], {}))).toEqual([]);
  });

  const grouping: [string, string][] = [['0', '0'], ['999', '999'], ['1000', '1,000'], ['1234567.891', '1,234,567.891'], ['-1234', '-1,234'], ['x', 'x']];
  for (const [text, want] of grouping) it(`groups ${text} as ${want}`, () => expect(groupDigits(text)).toBe(want));
});
