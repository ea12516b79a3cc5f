/**
 * The impact of an amendment on real facts: both policy versions are evaluated on the same
 * facts as of the same date, results are matched by (subject, rule) — a renamed rule by its
 * match from the semantic diff — and every status that changes is listed and counted per
 * transition (`compliant -> violation`), per subject kind and per prefecture.
 *
 * A rule that exists on one side only counts as `not_applicable` on the other: an added rule
 * that finds 3 violations shows as 3 subjects going from not applicable to violation, while
 * an added rule that applies to nobody changes nothing.
 */
import type { Facts, Subject } from '../facts/facts.js';
import { subjectInfos, subjectKey } from '../facts/subject-info.js';
import { decide, prepareRun } from '../eval/evaluate.js';
import { STATUSES, type RegionRef, type Status, type SubjectInfo, type SubjectRef } from '../model/result.js';
import type { Labels, Policy, RuleInfo } from '../model/types.js';
import type { PolicyDiff } from './semantic.js';
import { amountOf, AmountTally, type AmountOf, type TotalChange, type ValueChange } from './amounts.js';

/** A prefecture-level region (`level: prefecture`), or null for subjects outside any. */
export interface PrefectureRef {
  readonly id: string;
  readonly name: string | null;
}

/** One subject and rule whose status differs between the versions. */
export interface ImpactEntry {
  readonly subject: SubjectRef;
  /** The subject's `name` fact, when it has one. */
  readonly name: string | null;
  readonly prefecture: PrefectureRef | null;
  /** The rule id in the new version (the old id when the rule was removed). */
  readonly rule: string;
  /** The rule id in the old version (the new id when the rule was added). */
  readonly oldRule: string;
  readonly cite: string;
  readonly old: Status;
  readonly new: Status;
  readonly oldDue: string | null;
  readonly newDue: string | null;
}

/** Subjects of one kind that go from one status to another. */
export interface Transition {
  /** The subject kind. */
  readonly kind: string;
  readonly kindLabel: Labels | null;
  readonly from: Status;
  readonly to: Status;
  /** Distinct subjects with at least one rule making this transition. */
  readonly subjects: number;
  /** (subject, rule) results making it. */
  readonly results: number;
  /** Distinct subjects per prefecture, most first; `prefecture: null` for subjects outside any. */
  readonly byPrefecture: readonly { readonly prefecture: PrefectureRef | null; readonly subjects: number }[];
  /** Results per rule (new id), most first. */
  readonly byRule: readonly { readonly rule: string; readonly results: number }[];
}

/** The impact of a diff on one facts file. */
export interface Impact {
  readonly asOf: string;
  /** Subjects in the facts (as loaded for the new version). */
  readonly subjects: number;
  /** Distinct subjects with at least one changed status. */
  readonly changedSubjects: number;
  /** Ordered by the urgency of the new status, then of the old, then by subject kind (new policy order). */
  readonly transitions: readonly Transition[];
  /** Ordered by subject (facts order) then rule (new policy order; removed rules last). */
  readonly entries: readonly ImpactEntry[];
  /** Computed values and shortfalls that differ, in the order of {@link Impact.entries}. */
  readonly values: readonly ValueChange[];
  /** Sums of values and shortfalls that change, for the province and per prefecture. */
  readonly totals: readonly TotalChange[];
}

/** Inputs of {@link computeImpact}: facts are loaded once per policy (validation follows each schema). */
export interface ImpactInput {
  readonly diff: PolicyDiff;
  readonly oldPolicy: Policy;
  readonly newPolicy: Policy;
  readonly oldFacts: Facts;
  readonly newFacts: Facts;
  readonly asOf: string;
}

interface Side {
  readonly status: Status;
  readonly due: string | null;
  readonly cite: string;
  readonly oldRule: string;
  readonly amount: AmountOf | undefined;
  readonly title: Labels | null;
  readonly kind: string;
  readonly info: RuleInfo;
}

function prefectureOf(info: SubjectInfo | undefined): PrefectureRef | null {
  const r: RegionRef | undefined = info?.regions.find((x) => x.level === 'prefecture');
  return r ? { id: r.id, name: r.name ?? null } : null;
}

const rank = (s: Status) => STATUSES.indexOf(s);

/** Evaluates both versions on the facts and collects the status changes. */
export function computeImpact(input: ImpactInput): Impact {
  const { diff, oldPolicy, newPolicy, oldFacts, newFacts, asOf } = input;
  const oldRun = prepareRun(oldPolicy, { asOf, lang: 'zh' });
  const newRun = prepareRun(newPolicy, { asOf, lang: 'zh' });

  // Names and regions are only needed for the few subjects that change: built on first use.
  let infos: { readonly n: Map<string, SubjectInfo>; readonly o: Map<string, SubjectInfo> } | undefined;
  const info = (s: SubjectRef) => {
    infos ??= { n: subjectInfos(newPolicy, newFacts), o: subjectInfos(oldPolicy, oldFacts) };
    return infos.n.get(subjectKey(s.kind, s.id)) ?? infos.o.get(subjectKey(s.kind, s.id));
  };
  const entries: ImpactEntry[] = [];
  const tally = new AmountTally();
  const push = (subject: SubjectRef, rule: string, oldSide: Side | undefined, newSide: Side | undefined) => {
    const from = oldSide?.status ?? 'not_applicable';
    const to = newSide?.status ?? 'not_applicable';
    if (oldSide?.amount || newSide?.amount || from === 'unknown' || to === 'unknown') {
      const i = info(subject);
      const self = i?.regions[0]?.id === subject.id ? i.regions[0] : undefined;
      const side = (newSide ?? oldSide)!;
      tally.add(
        { ref: subject, name: i?.name ?? null },
        { prefecture: prefectureOf(i), level: self?.level ?? null },
        { rule, oldRule: oldSide?.oldRule ?? rule, cite: side.cite, title: side.title, kind: side.kind, kindLabel: newPolicy.kinds.get(side.kind)?.label ?? oldPolicy.kinds.get(side.kind)?.label ?? null, info: side.info },
        { amount: oldSide?.amount, unknown: from === 'unknown' },
        { amount: newSide?.amount, unknown: to === 'unknown' },
      );
    }
    if (from === to) return;
    const i = info(subject);
    entries.push({
      subject: { kind: subject.kind, id: subject.id },
      name: i?.name ?? null,
      prefecture: prefectureOf(i),
      rule,
      oldRule: oldSide?.oldRule ?? rule,
      cite: (newSide ?? oldSide)!.cite,
      old: from,
      new: to,
      oldDue: oldSide?.due ?? null,
      newDue: newSide?.due ?? null,
    });
  };
  /** The old version's results for one subject, keyed by the rule's id in the new version (so renamed rules meet their match). */
  const oldResults = (subject: Subject | undefined): Map<string, Side> => {
    const out = new Map<string, Side>();
    if (!subject) return out;
    for (const rule of oldRun.compiled.rulesByKind.get(subject.kind) ?? []) {
      const r = decide(oldRun, rule, subject);
      out.set(diff.ruleMap.get(r.rule) ?? r.rule, { status: r.status, due: r.due, cite: r.cite, oldRule: r.rule, amount: amountOf(r, rule.info), title: rule.info.title ?? null, kind: subject.kind, info: rule.info });
    }
    return out;
  };

  // Subject by subject, both versions side by side: memory stays proportional to one subject's
  // results, not to the whole province's. INVARIANT: entries come out in contract order —
  // subjects as in the facts, rules as in the new policy, then rules only the old one has.
  const seen = new Set<Subject>();
  for (const subject of newFacts.subjects) {
    const before = oldFacts.byKind.get(subject.kind)?.get(subject.id);
    if (before) seen.add(before);
    const olds = oldResults(before);
    for (const rule of newRun.compiled.rulesByKind.get(subject.kind) ?? []) {
      const r = decide(newRun, rule, subject);
      const o = olds.get(r.rule);
      olds.delete(r.rule);
      push(r.subject, r.rule, o, { status: r.status, due: r.due, cite: r.cite, oldRule: r.rule, amount: amountOf(r, rule.info), title: rule.info.title ?? null, kind: subject.kind, info: rule.info });
    }
    for (const [rule, o] of olds) push(subject, rule, o, undefined);
  }
  // Subjects only the old schema reads (a kind the new version dropped).
  for (const subject of oldFacts.subjects) {
    if (seen.has(subject)) continue;
    for (const [rule, o] of oldResults(subject)) push(subject, rule, o, undefined);
  }

  // Rules only the old version has come after the new version's.
  const ruleOrder = [...newPolicy.rules.map((r) => r.id), ...oldPolicy.rules.map((r) => r.id)];
  return {
    asOf,
    subjects: newFacts.subjects.length,
    changedSubjects: new Set(entries.map((e) => subjectKey(e.subject.kind, e.subject.id))).size,
    transitions: groupTransitions(entries, newPolicy, oldPolicy),
    entries,
    values: tally.values,
    totals: tally.finish((rule) => {
      const i = ruleOrder.indexOf(rule);
      return i < 0 ? ruleOrder.length : i;
    }),
  };
}

function groupTransitions(entries: readonly ImpactEntry[], newPolicy: Policy, oldPolicy: Policy): Transition[] {
  interface Acc { kind: string; from: Status; to: Status; subjects: Set<string>; results: number; prefectures: Map<string, { prefecture: PrefectureRef | null; subjects: Set<string> }>; rules: Map<string, number> }
  const groups = new Map<string, Acc>();
  for (const e of entries) {
    const k = `${e.subject.kind}\u0000${e.old}\u0000${e.new}`;
    let g = groups.get(k);
    if (!g) {
      g = { kind: e.subject.kind, from: e.old, to: e.new, subjects: new Set(), results: 0, prefectures: new Map(), rules: new Map() };
      groups.set(k, g);
    }
    const s = e.subject.id;
    g.subjects.add(s);
    g.results++;
    const pk = e.prefecture?.id ?? '';
    const p = g.prefectures.get(pk) ?? { prefecture: e.prefecture, subjects: new Set<string>() };
    p.subjects.add(s);
    g.prefectures.set(pk, p);
    g.rules.set(e.rule, (g.rules.get(e.rule) ?? 0) + 1);
  }
  const kinds = [...newPolicy.kinds.keys(), ...oldPolicy.kinds.keys()];
  const kindRank = (k: string) => kinds.indexOf(k);
  const byName = (a: string | null | undefined, b: string | null | undefined) => (a ?? '').localeCompare(b ?? '', 'en');
  return [...groups.values()]
    // The most urgent outcome first, whatever the kind: a reviewer reads new violations before anything else.
    .sort((a, b) => rank(a.to) - rank(b.to) || rank(a.from) - rank(b.from) || kindRank(a.kind) - kindRank(b.kind))
    .map((g) => ({
      kind: g.kind,
      kindLabel: newPolicy.kinds.get(g.kind)?.label ?? oldPolicy.kinds.get(g.kind)?.label ?? null,
      from: g.from,
      to: g.to,
      subjects: g.subjects.size,
      results: g.results,
      byPrefecture: [...g.prefectures.values()]
        .map((p) => ({ prefecture: p.prefecture, subjects: p.subjects.size }))
        // Most affected first; subjects outside any prefecture last; then by region code.
        .sort((a, b) => b.subjects - a.subjects || (a.prefecture ? 0 : 1) - (b.prefecture ? 0 : 1) || byName(a.prefecture?.id, b.prefecture?.id)),
      byRule: [...g.rules].map(([rule, results]) => ({ rule, results })).sort((a, b) => b.results - a.results || byName(a.rule, b.rule)),
    }));
}
