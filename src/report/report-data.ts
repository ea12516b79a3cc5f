/**
 * What the markdown, HTML and CSV reports share: the renderer input, where a subject sits
 * (prefecture and county), counts per clause and per area, and the compliance rate. Kept pure
 * (no `node:` imports) so the renderers run in a browser too.
 */
import type { Lang } from '../model/diagnostics.js';
import { emptySummary, type EvaluationReport, type RegionRef, type RuleResult, type Status, type SubjectInfo, type SubjectRef, type Summary } from '../model/result.js';
import type { Policy } from '../model/types.js';

/** What every report renderer receives (the same shape `registerFormat` renderers get). */
export interface ReportInput {
  /** The evaluation to render. */
  readonly report: EvaluationReport;
  /** Language of the report's own words (explanations come already in the evaluation's language). */
  readonly lang: Lang;
  /** Names and regions of subjects, keyed `${kind}\u0000${id}` (see `subjectInfos`). */
  readonly subjects?: ReadonlyMap<string, SubjectInfo>;
  /** The evaluated policy: rule order, titles and kind names in both languages. */
  readonly policy?: Policy;
}

/** Key of a subject in {@link ReportInput.subjects}. */
export function subjectKeyOf(s: SubjectRef): string {
  return `${s.kind}\u0000${s.id}`;
}

/** The two levels a province report groups by; `undefined` when a subject sits above them. */
export interface Areas {
  readonly prefecture?: RegionRef;
  readonly county?: RegionRef;
}

/**
 * Prefecture and county of a subject. Regions tagged with a `level` decide; a chain without
 * levels falls back to its position below the top (top = province), so other policies with
 * unnamed levels still get two levels of grouping.
 */
export function areasOf(info: SubjectInfo | undefined): Areas {
  if (!info || info.regions.length === 0) return {};
  const chain = info.regions;
  if (chain.some((r) => r.level !== undefined)) {
    return { prefecture: chain.find((r) => r.level === 'prefecture'), county: chain.find((r) => r.level === 'county') };
  }
  const top = chain.length - 1;
  return { prefecture: top >= 1 ? chain[top - 1] : undefined, county: top >= 2 ? chain[top - 2] : undefined };
}

/**
 * Where a subject lies, for a list entry: prefecture and county names joined by " · ", leaving
 * out the subject itself when it is one of them (a county is not "in" itself).
 */
export function placeOf(input: ReportInput, ref: SubjectRef): string {
  const info = input.subjects?.get(subjectKeyOf(ref));
  const { prefecture, county } = areasOf(info);
  const self = info?.regions[0]?.id === ref.id ? ref.id : undefined;
  return [prefecture, county].filter((r) => r && r.id !== self).map(regionName).join(' · ');
}

/** A region's name for people: its name, or its id when it has none. */
export function regionName(r: RegionRef | undefined): string {
  return r ? (r.name ?? r.id) : '';
}

/** Statuses that count as a decided obligation in the compliance rate. */
export const DECIDED: readonly Status[] = ['compliant', 'violation', 'pending', 'advisory'];

/**
 * Compliance rate of a set of counts: compliant ÷ (compliant + violation + pending + advisory).
 * Unknown results are left out (nothing is known about them) and so are entitlements and
 * not-applicable results (they are not requirements). `undefined` when nothing was decided.
 */
export function complianceRate(s: Summary): number | undefined {
  const decided = DECIDED.reduce((n, k) => n + s[k], 0);
  return decided === 0 ? undefined : s.compliant / decided;
}

/**
 * A rate as a percentage with one decimal. A rate that is not exactly 0 or 1 never shows as
 * 0.0% or 100.0%: a reader takes "100%" to mean nothing is left to do.
 */
export function formatRate(rate: number | undefined): string {
  if (rate === undefined) return '—';
  if (rate >= 1) return '100%';
  if (rate <= 0) return '0%';
  const tenths = Math.min(999, Math.max(1, Math.round(rate * 1000)));
  return `${(tenths / 10).toFixed(1)}%`;
}

/** One rule with the counts of its results. */
export interface RuleStats {
  readonly id: string;
  readonly cite: string;
  /** Title in the report language (from the first result). */
  readonly title: string;
  /** Entitlement rules (eligible/ineligible) are not requirements and stay out of compliance rates. */
  entitlement: boolean;
  readonly counts: Summary;
}

/** One clause of the source document with the counts of its rules' results. */
export interface ClauseStats {
  readonly cite: string;
  /** Obligation rules under this clause, in policy order. */
  readonly obligations: RuleStats[];
  /** Entitlement rules under this clause, in policy order. */
  readonly entitlements: RuleStats[];
  /** Sum of the obligation rules' counts. */
  readonly counts: Summary;
}

/** Counts of one area (prefecture or county) with its subjects. */
export interface AreaStats {
  readonly region?: RegionRef;
  subjects: number;
  readonly counts: Summary;
  /** Counties of a prefecture, in first-seen order; empty for counties. */
  readonly children: AreaStats[];
}

/** Everything the overview parts of the reports show. */
export interface Overview {
  /** Clauses in policy order (the first rule of each clause decides its place). */
  readonly clauses: ClauseStats[];
  /** Prefectures in facts order, after a region-less entry for subjects above prefecture level. */
  readonly areas: AreaStats[];
  /** Number of subjects per kind, in first-seen order. */
  readonly subjectsByKind: Map<string, number>;
  readonly subjectCount: number;
}

function newArea(region: RegionRef | undefined): AreaStats {
  return { region, subjects: 0, counts: emptySummary(), children: [] };
}

function addCounts(into: Summary, from: Summary): void {
  for (const k of Object.keys(from) as Status[]) into[k] += from[k];
}

/** Counts per rule, clause, area and kind in one pass over the results. */
export function overviewOf(input: ReportInput): Overview {
  const rules = new Map<string, RuleStats>();
  // Policy order first, so results of an extended policy keep the document's order.
  for (const rule of input.policy?.rules ?? []) {
    if (!rules.has(rule.id)) rules.set(rule.id, { id: rule.id, cite: rule.cite, title: '', entitlement: rule.type === 'entitlement', counts: emptySummary() });
  }
  const areas = new Map<string, AreaStats>();
  const counties = new Map<string, AreaStats>();
  const subjectsByKind = new Map<string, number>();
  let subjectCount = 0;
  let lastKind = '';
  let lastId: string | undefined;
  let lastAreas: AreaStats[] = [];
  for (const r of input.report.results) {
    let rule = rules.get(r.rule);
    if (!rule) {
      rule = { id: r.rule, cite: r.cite, title: r.title, entitlement: false, counts: emptySummary() };
      rules.set(r.rule, rule);
    }
    if (rule.title === '') rules.set(r.rule, (rule = { ...rule, title: r.title }));
    if (r.status === 'eligible' || r.status === 'ineligible') rule.entitlement = true;
    rule.counts[r.status]++;
    // Results come grouped by subject; comparing the parts avoids building a key per result.
    if (r.subject.id !== lastId || r.subject.kind !== lastKind) {
      lastId = r.subject.id;
      lastKind = r.subject.kind;
      subjectCount++;
      subjectsByKind.set(r.subject.kind, (subjectsByKind.get(r.subject.kind) ?? 0) + 1);
      const where = areasOf(input.subjects?.get(subjectKeyOf(r.subject)));
      const pKey = where.prefecture?.id ?? '';
      let p = areas.get(pKey);
      if (!p) {
        p = newArea(where.prefecture);
        areas.set(pKey, p);
      }
      lastAreas = [p];
      if (where.prefecture) {
        const cKey = `${pKey}\u0000${where.county?.id ?? ''}`;
        let county = counties.get(cKey);
        if (!county) {
          county = newArea(where.county);
          counties.set(cKey, county);
          p.children.push(county);
        }
        lastAreas.push(county);
      }
      for (const a of lastAreas) a.subjects++;
    }
    for (const a of lastAreas) a.counts[r.status]++;
  }
  const clauses = new Map<string, ClauseStats>();
  for (const rule of rules.values()) {
    if (rule.title === '') continue; // declared but never evaluated on these facts
    let c = clauses.get(rule.cite);
    if (!c) {
      c = { cite: rule.cite, obligations: [], entitlements: [], counts: emptySummary() };
      clauses.set(rule.cite, c);
    }
    if (rule.entitlement) c.entitlements.push(rule);
    else {
      c.obligations.push(rule);
      addCounts(c.counts, rule.counts);
    }
  }
  // The entry without a prefecture (the province itself, unplaced subjects) leads: it is the top.
  const ordered = [...areas.values()].sort((a, b) => (a.region ? 1 : 0) - (b.region ? 1 : 0));
  return { clauses: [...clauses.values()], areas: ordered, subjectsByKind, subjectCount };
}

/** Number of obligation results a set of counts has (decided or unknown). */
export function obligationCount(s: Summary): number {
  return DECIDED.reduce((n, k) => n + s[k], 0) + s.unknown;
}

/** Number of entitlement results a set of counts has. */
export function entitlementCount(s: Summary): number {
  return s.eligible + s.ineligible;
}

/** A subject's kind in words: the policy's label in the report language, else the kind name. */
export function kindLabel(input: ReportInput, kind: string): string {
  const label = input.policy?.kinds.get(kind)?.label;
  return (input.lang === 'en' ? label?.en : label?.zh) ?? label?.zh ?? kind;
}

/** The policy title in the report language, falling back to the zh title and then the id. */
export function policyTitle(input: ReportInput): string {
  const t = input.policy?.title;
  return (input.lang === 'en' ? t?.en : t?.zh) ?? t?.zh ?? input.report.policy.title ?? input.report.policy.id;
}

/** The subject's name, or its id when the facts gave none. */
export function subjectName(input: ReportInput, r: RuleResult): string {
  return input.subjects?.get(subjectKeyOf(r.subject))?.name ?? r.subject.id;
}

/** Results needing action, most urgent first: violations, then pending by nearest deadline; facts order among equals. */
export function actionItems(report: EvaluationReport, status: 'violation' | 'pending'): RuleResult[] {
  const items = report.results.filter((r) => r.status === status);
  if (status === 'pending') items.sort((a, b) => (a.due ?? '9999-12-31').localeCompare(b.due ?? '9999-12-31'));
  return items;
}
