/**
 * Missing facts named where an officer fills them in: `institutions[T-02].post_duties_defined`
 * becomes `institutions[T-02].post_duties_defined → 云南-昆明.xlsx 机构!F5（已明确岗位职责与任职条件）`
 * in reports people read. Machine formats keep the bare paths (their contract); the places are
 * added only where facts came from spreadsheets, which are the only ones that have cells.
 */
import type { Lang } from '../model/diagnostics.js';
import type { EvaluationReport } from '../model/result.js';
import type { Policy } from '../model/types.js';
import type { Facts } from '../facts/facts.js';
import { placeText, type CellPlace } from '../facts/raw-facts.js';

/** The cell a missing-fact path (`institutions[T-02].posts.total`) would be filled in, if known. */
export function placeOfMissing(policy: Policy, facts: Facts, path: string): CellPlace | undefined {
  if (!facts.placeOf) return undefined;
  const open = path.indexOf('[');
  const close = path.lastIndexOf('].');
  if (open <= 0 || close < open) return undefined;
  const list = path.slice(0, open);
  const kind = [...policy.kinds.values()].find((k) => k.listKey === list);
  return kind ? facts.placeOf(kind.name, path.slice(open + 1, close), path.slice(close + 2)) : undefined;
}

/** The report with each missing path in its explanation followed by its cell. */
export function withMissingPlaces(report: EvaluationReport, policy: Policy, facts: Facts, lang: Lang): EvaluationReport {
  if (!facts.placeOf) return report;
  const cache = new Map<string, string | undefined>();
  const placed = (path: string) => {
    if (!cache.has(path)) {
      const p = placeOfMissing(policy, facts, path);
      cache.set(path, p && placeText(p, lang));
    }
    return cache.get(path);
  };
  return {
    ...report,
    results: report.results.map((r) => {
      if (r.missing.length === 0) return r;
      let explanation = r.explanation;
      for (const m of r.missing) {
        const where = placed(m);
        if (where) explanation = explanation.split(m).join(`${m} → ${where}`);
      }
      return { ...r, explanation };
    }),
  };
}
