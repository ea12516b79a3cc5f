/**
 * JSON and NDJSON renderings of an evaluation (contract section 3). Key order follows the
 * contract; extensions (`figures`, `shortfall`) come after the contract's keys. The rule's
 * title is left out of machine output: it is per rule, not per result, and a province's
 * two million results would carry it two million times.
 *
 * Lines are assembled by hand rather than with `JSON.stringify` on an object: the shape is
 * fixed, and a province's output is hundreds of megabytes, where the generic path costs more
 * than the evaluation itself. Every string goes through `JSON.stringify`, so escaping is
 * exactly JSON's.
 */
import type { EvaluationReport, RuleResult, Summary } from '../model/result.js';

/** One result as a plain object in contract key order. */
export function resultToJson(r: RuleResult): Record<string, unknown> {
  return {
    subject: { kind: r.subject.kind, id: r.subject.id },
    rule: r.rule,
    cite: r.cite,
    modality: r.modality,
    status: r.status,
    due: r.due,
    missing: r.missing,
    explanation: r.explanation,
    figures: r.figures,
    ...(r.shortfall !== undefined ? { shortfall: r.shortfall } : {}),
  };
}

const quoted = new Map<string, string>();
/** JSON text of a string that repeats across results (kinds, rule ids, cites): computed once. */
function q(s: string): string {
  let v = quoted.get(s);
  if (v === undefined) {
    v = JSON.stringify(s);
    if (quoted.size < 10_000) quoted.set(s, v);
  }
  return v;
}

/** One result as one line of JSON (with the trailing newline). Same text as `JSON.stringify(resultToJson(r))`. */
export function resultToNdjson(r: RuleResult): string {
  const missing = r.missing.length === 0 ? '[]' : JSON.stringify(r.missing);
  const figures = r.figures.length === 0 ? '[]' : JSON.stringify(r.figures);
  const shortfall = r.shortfall !== undefined ? `,"shortfall":${r.shortfall}` : '';
  return `{"subject":{"kind":${q(r.subject.kind)},"id":${JSON.stringify(r.subject.id)}},"rule":${q(r.rule)},"cite":${q(r.cite)},"modality":"${r.modality}","status":"${r.status}","due":${r.due === null ? 'null' : q(r.due)},"missing":${missing},"explanation":${JSON.stringify(r.explanation)},"figures":${figures}${shortfall}}\n`;
}

/** Streams a report as JSON text from results produced one by one; `summary()` is read after the last result. */
export function* jsonChunks(head: { policy: EvaluationReport['policy']; asOf: string }, results: Iterable<RuleResult>, summary: () => Summary): Generator<string> {
  yield `{\n  "policy": ${JSON.stringify({ id: head.policy.id, version: head.policy.version })},\n  "asOf": ${JSON.stringify(head.asOf)},\n  "results": [`;
  let first = true;
  let buffer = '';
  for (const r of results) {
    const line = resultToNdjson(r);
    buffer += `${first ? '\n    ' : ',\n    '}${line.slice(0, -1)}`;
    first = false;
    if (buffer.length > 1 << 20) {
      yield buffer;
      buffer = '';
    }
  }
  yield `${buffer}${first ? '' : '\n  '}],\n  "summary": ${JSON.stringify(summary())}\n}\n`;
}

/** The whole report as JSON text, in chunks. */
export function reportToJsonChunks(report: EvaluationReport): Generator<string> {
  return jsonChunks(report, report.results, () => report.summary);
}

/** Streams results as NDJSON in chunks of about a megabyte. */
export function* ndjsonChunks(results: Iterable<RuleResult>): Generator<string> {
  let buffer = '';
  for (const r of results) {
    buffer += resultToNdjson(r);
    if (buffer.length > 1 << 20) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}
