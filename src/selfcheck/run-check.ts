/**
 * One self-check run: evaluate the facts as of a date and render what the page shows and
 * offers for download, with the same renderers as `clausal eval --format json|html`.
 * Browser-safe; tested in Node against the CLI's output.
 */
import type { Lang } from '../model/diagnostics.js';
import type { EvaluationReport, SubjectInfo } from '../model/result.js';
import type { Policy } from '../model/types.js';
import type { Facts } from '../facts/facts.js';
import { evaluate } from '../eval/evaluate.js';
import { subjectInfos } from '../facts/subject-info.js';
import { reportToJsonChunks } from '../report/eval-json.js';
import { reportToHtml } from '../report/html.js';
import type { ReportInput } from '../report/report-data.js';
import { subjectKeyOf } from '../report/report-data.js';
import { placeOfMissing, withMissingPlaces } from '../report/fact-places.js';
import { placeText } from '../facts/raw-facts.js';

/** A fact some decision waits for: one row of the missing-facts list. */
export interface MissingFact {
  /** The facts path as results name it: `regions[530111008].sw_station.established`. */
  readonly path: string;
  readonly kind: string;
  readonly id: string;
  readonly name?: string;
  /** The field (`sw_station.established`) and its label in the page's language. */
  readonly field: string;
  readonly label?: string;
  /** Where to fill it in, when the facts came from a spreadsheet: `云南-昆明.xlsx 机构!F5（…）`. */
  readonly place?: string;
  /** Cites of the rules that stay unknown until the fact is given, in policy order. */
  readonly cites: readonly string[];
}

/** What one run gives the page. */
export interface SelfCheckRun {
  readonly report: EvaluationReport;
  readonly subjects: ReadonlyMap<string, SubjectInfo>;
  /** `eval --format json`, byte for byte. */
  readonly json: string;
  /** `eval --format html`, byte for byte. */
  readonly html: string;
  /** What the report renderers were given: the xlsx issue list is rendered from it on demand. */
  readonly reportInput: ReportInput;
  readonly missing: readonly MissingFact[];
}

const PATH = /^([^[\]]+)\[([^\]]+)\]\.(.+)$/;

/** Evaluates `facts` as of `asOf` and renders the outputs. */
export function runSelfCheck(policy: Policy, facts: Facts, asOf: string, lang: Lang): SelfCheckRun {
  const report = evaluate(policy, facts, { asOf, lang });
  const subjects = subjectInfos(policy, facts);
  const json = [...reportToJsonChunks(report)].join('');
  // As the CLI does: reports people read name a missing fact's cell when the facts came from a spreadsheet.
  const reportInput: ReportInput = { report: withMissingPlaces(report, policy, facts, lang), lang, subjects, policy };
  const html = reportToHtml(reportInput);
  const missing = missingFacts(policy, report, subjects, lang).map((m) => {
    const place = placeOfMissing(policy, facts, m.path);
    return place ? { ...m, place: placeText(place, lang) } : m;
  });
  return { report, subjects, json, html, reportInput, missing };
}

/** The facts that unknown results wait for, one row per fact, in order of first need. */
export function missingFacts(policy: Policy, report: EvaluationReport, subjects: ReadonlyMap<string, SubjectInfo>, lang: Lang): MissingFact[] {
  const kindsByList = new Map([...policy.kinds.values()].map((k) => [k.listKey, k]));
  const rows = new Map<string, { row: Omit<MissingFact, 'cites'>; cites: Set<string> }>();
  for (const r of report.results) {
    if (r.status !== 'unknown') continue;
    for (const path of r.missing) {
      let entry = rows.get(path);
      if (!entry) {
        const m = PATH.exec(path);
        const kind = m ? kindsByList.get(m[1]) : undefined;
        const id = m?.[2] ?? r.subject.id;
        const field = m?.[3] ?? path;
        const info = kind ? subjects.get(subjectKeyOf({ kind: kind.name, id })) : undefined;
        const label = kind?.fields.get(field)?.label;
        entry = { row: { path, kind: kind?.name ?? r.subject.kind, id, name: info?.name, field, label: label ? label[lang] ?? label.zh : undefined }, cites: new Set() };
        rows.set(path, entry);
      }
      entry.cites.add(r.cite);
    }
  }
  return [...rows.values()].map(({ row, cites }) => ({ ...row, cites: [...cites] }));
}
