/**
 * Totals of amounts: every value rule's results and every obligation's shortfalls summed by
 * prefecture and for the province, with their unit and the number of subjects counted. What an
 * officer reads first in a measure with money ("the allowance budget of 昆明市 is ¥1,234,000")
 * and what `clausal diff --facts` compares between two versions.
 *
 * Sums are exact rationals (src/model/rational.ts). Results that are unknown are counted apart:
 * a total with unknown results is a lower bound, and reports say so rather than hide it.
 * Kept pure (no `node:` imports) so the renderers run in a browser too.
 */
import type { Lang } from '../model/diagnostics.js';
import * as Q from '../model/rational.js';
import type { RegionRef, RuleResult } from '../model/result.js';
import type { RuleInfo } from '../model/types.js';
import { areasOf, regionName, subjectKeyOf, type ReportInput } from './report-data.js';
import { REGION_LEVEL_LABELS } from './labels.js';

/** A sum over some subjects. */
export interface TotalCell {
  /** The exact sum. */
  sum: Q.Num;
  /** Subjects whose value (or shortfall) is in the sum. */
  subjects: number;
  /** Subjects of the rule whose value is unknown: the sum leaves them out. */
  unknown: number;
}

/** What a line adds up: a value rule's values, or an obligation's shortfalls. */
export type TotalMeasure = 'value' | 'shortfall';

/** One summed quantity, for the province and per prefecture. */
export interface TotalLine {
  readonly measure: TotalMeasure;
  readonly rule: string;
  readonly cite: string;
  /** The rule's title in the report language. */
  readonly title: string;
  /** The unit of the sum, or null when the quantity has none. */
  readonly unit: string | null;
  /**
   * Set when the rule computes on regions of several levels: one line per level, since adding
   * a county's budget to its prefecture's would count it twice.
   */
  readonly level?: string;
  /** Every subject of the report. */
  readonly province: TotalCell;
  /**
   * Per prefecture, in facts order; subjects above prefecture level come first, without
   * `region`. Empty when no subject lies in a prefecture.
   */
  readonly areas: { readonly region?: RegionRef; readonly cell: TotalCell }[];
}

const ADDITIVE = new Set(['integer', 'number']);

/** Whether a value rule's values can be added up: counts and amounts can, dates and percentages cannot. */
function additive(rule: RuleInfo | undefined): boolean {
  if (!rule) return true;
  const t = rule.condition.type;
  return 't' in t && ADDITIVE.has(t.t);
}

function newCell(): TotalCell {
  return { sum: 0, subjects: 0, unknown: 0 };
}

/** Sums of value rules and shortfalls, in policy order (value rules first, then shortfalls). */
export function totalsOf(input: ReportInput): TotalLine[] {
  const ruleInfo = new Map<string, RuleInfo>();
  for (const r of input.policy?.rules ?? []) if (!ruleInfo.has(r.id)) ruleInfo.set(r.id, r);
  const valueRules = new Set<string>();
  for (const r of ruleInfo.values()) if (r.type === 'value' && additive(r)) valueRules.add(r.id);
  const shortRules = new Set<string>();
  // A value rule's unit: declared, else what its computed results carry (unknown ones carry none).
  const valueUnit = new Map<string, string | null>();
  const shortUnit = new Map<string, string | null>();
  for (const r of input.report.results) {
    if (r.status === 'computed' && !ruleInfo.has(r.rule) && r.value !== undefined && Q.parseDecimal(r.value) !== undefined) valueRules.add(r.rule);
    if (r.status === 'computed' && !valueUnit.has(r.rule)) valueUnit.set(r.rule, r.unit ?? null);
    if (r.shortfall !== undefined && !shortRules.has(r.rule)) {
      shortRules.add(r.rule);
      shortUnit.set(r.rule, r.shortfallUnit ?? null);
    }
  }
  if (valueRules.size === 0 && shortRules.size === 0) return [];

  interface Acc { measure: TotalMeasure; rule: string; cite: string; title: string; unit: string | null; level?: string; province: TotalCell; areas: Map<string, { region?: RegionRef; cell: TotalCell }> }
  const lines = new Map<string, Acc>();
  const levelsOf = new Map<string, Set<string>>();
  const areaCache = new Map<string, { prefecture?: RegionRef; level?: string }>();
  const place = (r: RuleResult) => {
    const key = subjectKeyOf(r.subject);
    let p = areaCache.get(key);
    if (!p) {
      const info = input.subjects?.get(key);
      const self = info?.regions[0]?.id === r.subject.id ? info.regions[0] : undefined;
      p = { prefecture: areasOf(info).prefecture, level: self?.level };
      areaCache.set(key, p);
    }
    return p;
  };
  // First pass: the region levels each rule computes on, to split lines only where needed.
  for (const r of input.report.results) {
    const counts = ((valueRules.has(r.rule) || shortRules.has(r.rule)) && r.status === 'unknown') || (valueRules.has(r.rule) && r.status === 'computed') || (shortRules.has(r.rule) && r.shortfall !== undefined);
    if (!counts) continue;
    const level = place(r).level;
    if (level === undefined) continue;
    let set = levelsOf.get(r.rule);
    if (!set) levelsOf.set(r.rule, (set = new Set()));
    set.add(level);
  }
  const add = (measure: TotalMeasure, r: RuleResult, amount: Q.Num | undefined, unit: string | null) => {
    const where = place(r);
    const level = (levelsOf.get(r.rule)?.size ?? 0) > 1 ? where.level : undefined;
    const key = `${measure}\u0000${r.rule}\u0000${unit ?? ''}\u0000${level ?? ''}`;
    let line = lines.get(key);
    if (!line) {
      line = { measure, rule: r.rule, cite: r.cite, title: r.title, unit, level, province: newCell(), areas: new Map() };
      lines.set(key, line);
    }
    const pKey = where.prefecture?.id ?? '';
    let area = line.areas.get(pKey);
    if (!area) line.areas.set(pKey, (area = { region: where.prefecture, cell: newCell() }));
    for (const cell of [line.province, area.cell]) {
      if (amount === undefined) cell.unknown++;
      else {
        cell.sum = Q.add(cell.sum, amount);
        cell.subjects++;
      }
    }
  };
  for (const r of input.report.results) {
    if (valueRules.has(r.rule)) {
      const unit = ruleInfo.get(r.rule)?.value?.unit ?? valueUnit.get(r.rule) ?? null;
      if (r.status === 'computed' && r.value !== undefined) {
        const v = Q.parseDecimal(r.value);
        if (v !== undefined) add('value', r, v, unit);
      } else if (r.status === 'unknown') add('value', r, undefined, unit);
    }
    if (shortRules.has(r.rule)) {
      if (r.shortfall !== undefined) {
        const v = Q.parseDecimal(r.shortfall);
        if (v !== undefined) add('shortfall', r, v, r.shortfallUnit ?? null);
      } else if (r.status === 'unknown') add('shortfall', r, undefined, shortUnit.get(r.rule) ?? null); // may be short by an unknown amount
    }
  }
  const order = [...ruleInfo.keys()];
  const rank = (id: string) => {
    const i = order.indexOf(id);
    return i < 0 ? order.length : i;
  };
  return [...lines.values()]
    .map((l): TotalLine => ({
      measure: l.measure, rule: l.rule, cite: l.cite, title: l.title, unit: l.unit,
      ...(l.level !== undefined ? { level: l.level } : {}),
      province: l.province,
      // The entry above prefecture level (no region) leads, as in the other overviews; alone
      // (facts without prefectures) it would only repeat the province.
      areas: l.areas.size === 1 && l.areas.has('') ? [] : [...l.areas.values()].sort((a, b) => (a.region ? 1 : 0) - (b.region ? 1 : 0)),
    }))
    .sort((a, b) => (a.measure === b.measure ? 0 : a.measure === 'value' ? -1 : 1) || rank(a.rule) - rank(b.rule));
}

/** Re-exported: reports and diffs group digits alike. */
export const groupDigits = Q.groupDigits;

/**
 * A total for people: exact, grouped digits, with its unit (`18,700.00 元`). Money sums keep the
 * decimals their rule's step implies, so `0.01` steps always show two decimals.
 */
export function formatTotal(sum: Q.Num, unit: string | null, decimals = 0): string {
  const text = groupDigits(Q.toDecimalString(sum, decimals));
  return unit ? `${text} ${unit}` : text;
}

/** Decimals a line's sums show: those of its rule's rounding step (0.01 → 2), else none. */
export function decimalsOf(line: TotalLine, input: ReportInput): number {
  if (line.measure !== 'value') return 0;
  const step = input.policy?.rules.find((r) => r.id === line.rule)?.value?.stepText;
  const m = step ? /\.(\d+)$/.exec(step) : null;
  return m ? m[1].length : 0;
}


/** The rule's title, with the region level when the rule's totals are split by level. */
export function totalTitle(line: TotalLine, lang: Lang): string {
  const level = line.level === undefined ? '' : (REGION_LEVEL_LABELS[line.level]?.[lang] ?? line.level);
  return `${line.title}${level ? (lang === 'zh' ? `（${level}）` : ` (${level})`) : ''}`;
}

/** Words of a total line's heading: `第六条 年度职业津贴` or `三（一） 缺口：…`. */
export function totalLabel(line: TotalLine, lang: Lang): string {
  const title = totalTitle(line, lang);
  return `${line.cite} ${line.measure === 'shortfall' ? (lang === 'zh' ? `缺口：${title}` : `shortfall: ${title}`) : title}`;
}

/** Name of an area of a total: the prefecture, or the words for "above prefecture level". */
export function totalAreaName(region: RegionRef | undefined, lang: Lang): string {
  return region ? regionName(region) : lang === 'zh' ? '省级及未归属地区' : 'province level and unplaced';
}

/** The province row's name. */
export function provinceWord(lang: Lang): string {
  return lang === 'zh' ? '全省合计' : 'province total';
}

/** "2 个对象" / "2 subjects", plus the unknown ones when there are any. */
export function subjectsPhrase(cell: TotalCell, lang: Lang): string {
  const base = lang === 'zh' ? `${cell.subjects} 个对象` : `${cell.subjects} subject${cell.subjects === 1 ? '' : 's'}`;
  if (cell.unknown === 0) return base;
  return lang === 'zh' ? `${base}；另有 ${cell.unknown} 个信息不全，未计入` : `${base}; ${cell.unknown} unknown, left out`;
}
