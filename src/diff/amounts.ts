/**
 * The cost of an amendment: how every computed value and every shortfall changes between two
 * policy versions on the same facts, per subject and summed by prefecture and for the province
 * ("the 2026 draft raises the allowance budget of 某市 by 4,800.00 元"). Fed result by result
 * by src/diff/impact.ts, so memory stays proportional to the number of sums, not of results.
 *
 * Sums are exact rationals and are written as exact decimal strings. A subject whose value is
 * unknown on a side is left out of that side's sum and counted apart, as in the reports.
 */
import * as Q from '../model/rational.js';
import type { RuleResult, SubjectRef } from '../model/result.js';
import type { Labels, RuleInfo } from '../model/types.js';
import type { PrefectureRef } from './impact.js';

/** What an amount is: a value rule's value, or how far an obligation falls short. */
export type AmountMeasure = 'value' | 'shortfall';

/** One subject and rule whose amount differs between the versions (both sides have one). */
export interface ValueChange {
  readonly subject: SubjectRef;
  readonly name: string | null;
  readonly prefecture: PrefectureRef | null;
  /** Rule id in the new version. */
  readonly rule: string;
  /** Rule id in the old version. */
  readonly oldRule: string;
  readonly cite: string;
  readonly measure: AmountMeasure;
  readonly unit: string | null;
  /** Exact decimal strings. */
  readonly old: string;
  readonly new: string;
  /** `new − old`, an exact decimal string (negative when it falls). */
  readonly delta: string;
}

/** One side's sum over some subjects. */
export interface AmountSum {
  /** Exact decimal string. */
  readonly sum: string;
  /** Subjects in the sum. */
  readonly subjects: number;
  /** Subjects whose amount is unknown on this side (left out of the sum). */
  readonly unknown: number;
}

/** A sum before and after, for the province or one prefecture. */
export interface AmountDelta {
  readonly old: AmountSum;
  readonly new: AmountSum;
  /** `new.sum − old.sum`, an exact decimal string. */
  readonly delta: string;
  /** Subjects whose amount differs (appears, disappears or changes). */
  readonly changedSubjects: number;
}

/** The change of one summed quantity. */
export interface TotalChange {
  readonly measure: AmountMeasure;
  /** Rule id in the new version (the old one when the rule was removed). */
  readonly rule: string;
  readonly cite: string;
  readonly title: Labels | null;
  /** The kind of subject the rule is decided for. */
  readonly kind: string;
  readonly kindLabel: Labels | null;
  readonly unit: string | null;
  /** Set when the rule is summed over regions of several levels (one change per level). */
  readonly level: string | null;
  /** Decimals the amounts print with (those of the rule's rounding step). */
  readonly decimals: number;
  readonly province: AmountDelta;
  /** Prefectures where anything differs, largest change first; `prefecture: null` for subjects outside any. */
  readonly byPrefecture: readonly (AmountDelta & { readonly prefecture: PrefectureRef | null })[];
}

/** The amount one result carries for the totals, if any. */
export interface AmountOf {
  readonly measure: AmountMeasure;
  /** Exact value, or undefined when unknown. */
  readonly amount: Q.Num | undefined;
  readonly unit: string | null;
}

/**
 * The amount a result contributes: a value rule's number (computed) or unknown value, an
 * obligation's shortfall, or nothing. Unknown obligations are counted as unknown shortfalls
 * only once the rule is known to have shortfalls (see {@link AmountTally}).
 */
export function amountOf(r: RuleResult, info: RuleInfo): AmountOf | undefined {
  if (info.type === 'value') {
    const t = info.condition.type;
    if (!('t' in t) || (t.t !== 'integer' && t.t !== 'number')) return undefined;
    const unit = info.value?.unit ?? r.unit ?? null;
    if (r.status === 'computed' && r.value !== undefined) return { measure: 'value', amount: Q.parseDecimal(r.value), unit };
    return r.status === 'unknown' ? { measure: 'value', amount: undefined, unit } : undefined;
  }
  if (r.shortfall !== undefined) return { measure: 'shortfall', amount: Q.parseDecimal(r.shortfall), unit: r.shortfallUnit ?? null };
  return undefined;
}

interface Cell { sum: Q.Num; subjects: number; unknown: number }
interface AreaAcc { prefecture: PrefectureRef | null; old: Cell; new: Cell; changed: number }
interface LineAcc {
  measure: AmountMeasure; rule: string; cite: string; title: Labels | null; kind: string; kindLabel: Labels | null;
  unit: string | null; level: string | null; decimals: number; province: AreaAcc; areas: Map<string, AreaAcc>;
}

const newCell = (): Cell => ({ sum: 0, subjects: 0, unknown: 0 });

/** Where a subject counts: its prefecture and, for a region, its own level. */
export interface AmountPlace {
  readonly prefecture: PrefectureRef | null;
  readonly level: string | null;
}

/** What one side says about a (subject, rule): its amount, or that it is unknown. */
export interface AmountSide {
  readonly amount: AmountOf | undefined;
  /** The result was `unknown` (an obligation that may fall short by an unknown amount). */
  readonly unknown: boolean;
}

/** Decimals of a rounding step's text: `0.01` → 2. */
export function stepDecimals(info: RuleInfo | undefined): number {
  const m = info?.value?.stepText ? /\.(\d+)$/.exec(info.value.stepText) : null;
  return m ? m[1].length : 0;
}

/** Accumulates both sides' amounts per rule, prefecture and (for regions) level. */
export class AmountTally {
  private readonly lines = new Map<string, LineAcc>();
  /** Unknown obligations per rule and place, kept until it is known whether the rule has shortfalls. */
  private readonly unknownObligations = new Map<string, { place: AmountPlace; old: number; new: number; changed: number }>();
  readonly values: ValueChange[] = [];

  /** Adds one (subject, rule) with what each side says. `meta` describes the rule (new side first). */
  add(
    subject: { readonly ref: SubjectRef; readonly name: string | null },
    place: AmountPlace,
    meta: { rule: string; oldRule: string; cite: string; title: Labels | null; kind: string; kindLabel: Labels | null; info: RuleInfo },
    oldSide: AmountSide,
    newSide: AmountSide,
  ): void {
    const o = oldSide.amount;
    const n = newSide.amount;
    if (!o && !n) {
      if (oldSide.unknown || newSide.unknown) {
        const key = `${meta.rule}\u0000${place.level ?? ''}\u0000${place.prefecture?.id ?? ''}`;
        const u = this.unknownObligations.get(key) ?? { place, old: 0, new: 0, changed: 0 };
        if (oldSide.unknown) u.old++;
        if (newSide.unknown) u.new++;
        this.unknownObligations.set(key, u);
      }
      return;
    }
    const measure = (n ?? o)!.measure;
    const unit = (n ?? o)!.unit;
    const line = this.line(meta, measure, unit, place.level);
    const area = this.area(line, place.prefecture);
    // Unchanged: the same measure on both sides, both unknown or both the same number.
    const same = !!o && !!n && o.measure === n.measure
      && (o.amount === undefined || n.amount === undefined ? o.amount === n.amount : Q.compare(o.amount, n.amount) === 0);
    for (const acc of [line.province, area]) {
      if (o?.measure === measure) put(acc.old, o.amount);
      else if (oldSide.unknown) acc.old.unknown++;
      if (n?.measure === measure) put(acc.new, n.amount);
      else if (newSide.unknown) acc.new.unknown++;
      if (!same) acc.changed++;
    }
    if (!same && o?.amount !== undefined && n?.amount !== undefined && o.measure === n.measure) {
      this.values.push({
        subject: subject.ref, name: subject.name, prefecture: place.prefecture, rule: meta.rule, oldRule: meta.oldRule, cite: meta.cite,
        measure, unit, old: Q.toDecimalString(o.amount, line.decimals), new: Q.toDecimalString(n.amount, line.decimals),
        delta: Q.toDecimalString(Q.sub(n.amount, o.amount), line.decimals),
      });
    }
  }

  /** The sums that changed: value rules first, each group in `ruleRank` order (the new policy's). */
  finish(ruleRank: (rule: string) => number): TotalChange[] {
    // Unknown obligations of rules that do have shortfalls: those subjects may fall short too.
    for (const [key, u] of this.unknownObligations) {
      const rule = key.split('\u0000')[0];
      for (const line of this.lines.values()) {
        if (line.measure !== 'shortfall' || line.rule !== rule || line.level !== u.place.level) continue;
        const area = this.area(line, u.place.prefecture);
        for (const acc of [line.province, area]) {
          acc.old.unknown += u.old;
          acc.new.unknown += u.new;
        }
        break;
      }
    }
    const perRule = new Map<string, number>();
    for (const l of this.lines.values()) perRule.set(`${l.measure}\u0000${l.rule}`, (perRule.get(`${l.measure}\u0000${l.rule}`) ?? 0) + 1);
    const out: TotalChange[] = [];
    for (const l of this.lines.values()) {
      const province = delta(l.province, l.decimals);
      if (!differs(l.province)) continue;
      const byPrefecture = [...l.areas.values()].filter(differs).map((a) => ({ prefecture: a.prefecture, ...delta(a, l.decimals) }));
      byPrefecture.sort((a, b) => Q.compare(abs(b.delta), abs(a.delta)) || (a.prefecture ? 0 : 1) - (b.prefecture ? 0 : 1) || (a.prefecture?.id ?? '').localeCompare(b.prefecture?.id ?? '', 'en'));
      out.push({
        measure: l.measure, rule: l.rule, cite: l.cite, title: l.title, kind: l.kind, kindLabel: l.kindLabel, unit: l.unit,
        // A level is only worth naming when the rule has lines for several.
        level: (perRule.get(`${l.measure}\u0000${l.rule}`) ?? 0) > 1 ? l.level : null,
        decimals: l.decimals, province, byPrefecture,
      });
    }
    return out.sort((a, b) => (a.measure === b.measure ? 0 : a.measure === 'value' ? -1 : 1) || ruleRank(a.rule) - ruleRank(b.rule));
  }

  private line(meta: { rule: string; cite: string; title: Labels | null; kind: string; kindLabel: Labels | null; info: RuleInfo }, measure: AmountMeasure, unit: string | null, level: string | null): LineAcc {
    // Regions are always kept apart by level: a county's budget added to its prefecture's would count twice.
    const key = `${measure}\u0000${meta.rule}\u0000${unit ?? ''}\u0000${level ?? ''}`;
    let line = this.lines.get(key);
    if (!line) {
      line = {
        measure, rule: meta.rule, cite: meta.cite, title: meta.title, kind: meta.kind, kindLabel: meta.kindLabel, unit, level,
        decimals: measure === 'value' ? stepDecimals(meta.info) : 0,
        province: { prefecture: null, old: newCell(), new: newCell(), changed: 0 }, areas: new Map(),
      };
      this.lines.set(key, line);
    }
    return line;
  }

  private area(line: LineAcc, prefecture: PrefectureRef | null): AreaAcc {
    const key = prefecture?.id ?? '';
    let a = line.areas.get(key);
    if (!a) line.areas.set(key, (a = { prefecture, old: newCell(), new: newCell(), changed: 0 }));
    return a;
  }
}

function put(cell: Cell, amount: Q.Num | undefined): void {
  if (amount === undefined) cell.unknown++;
  else {
    cell.sum = Q.add(cell.sum, amount);
    cell.subjects++;
  }
}

function differs(a: AreaAcc): boolean {
  return a.changed > 0 || Q.compare(a.old.sum, a.new.sum) !== 0 || a.old.unknown !== a.new.unknown;
}

function sumOf(c: Cell, decimals: number): AmountSum {
  return { sum: Q.toDecimalString(c.sum, decimals), subjects: c.subjects, unknown: c.unknown };
}

function delta(a: AreaAcc, decimals: number): AmountDelta {
  return { old: sumOf(a.old, decimals), new: sumOf(a.new, decimals), delta: Q.toDecimalString(Q.sub(a.new.sum, a.old.sum), decimals), changedSubjects: a.changed };
}

function abs(decimal: string): Q.Num {
  return Q.parseDecimal(decimal.replace(/^-/, '')) ?? 0;
}
