/**
 * JSON and NDJSON renderings of an evaluation (contract section 3). Key order follows the
 * contract so diffs of outputs stay readable; extensions (`title`, `figures`, `shortfall`)
 * come after the contract's keys.
 */
import type { EvaluationReport, RuleResult } from '../model/result.js';

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
    title: r.title,
    figures: r.figures,
    ...(r.shortfall !== undefined ? { shortfall: r.shortfall } : {}),
  };
}

/** The whole report as JSON text, streamed in chunks (a province has hundreds of thousands of results). */
export function* reportToJsonChunks(report: EvaluationReport): Generator<string> {
  yield `{\n  "policy": ${JSON.stringify({ id: report.policy.id, version: report.policy.version })},\n  "asOf": ${JSON.stringify(report.asOf)},\n  "results": [`;
  let first = true;
  let buffer = '';
  for (const r of report.results) {
    buffer += `${first ? '\n    ' : ',\n    '}${JSON.stringify(resultToJson(r))}`;
    first = false;
    if (buffer.length > 1 << 16) {
      yield buffer;
      buffer = '';
    }
  }
  yield `${buffer}${first ? '' : '\n  '}],\n  "summary": ${JSON.stringify(report.summary)}\n}\n`;
}

/** One line per result. */
export function resultToNdjson(r: RuleResult): string {
  return `${JSON.stringify(resultToJson(r))}\n`;
}
