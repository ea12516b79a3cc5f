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
 *
 * The CLI writes through {@link ndjsonBytes} / {@link jsonBytes}: each line is encoded to UTF-8
 * as soon as it is made, so no line outlives the young generation of the heap. (Concatenating
 * a megabyte of lines into one string first kept every line alive across collections, promoted
 * them all, and cost about a quarter of a province's run in garbage collection.)
 */
import type { EvaluationReport, RuleResult, Status, SubjectRef, Summary } from '../model/result.js';

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

/** Which fields result lines carry: all of them, or the decision alone (no explanation, no figures). */
export type ResultFields = 'all' | 'status';

interface RuleText {
  /** `},"rule":…,"cite":…,"modality":…,"status":"…","due":` per status. */
  readonly upToDue: Map<Status, string>;
  /** The whole tail of a not-applicable line, for the explanation text it was made with. */
  naText?: string;
  naTail?: string;
}

/**
 * Renders results as NDJSON lines, the same text as {@link resultToNdjson} (for `all`), with
 * what repeats computed once: the subject's head per subject, the rule's fields per rule and
 * status, the whole line tail of a not-applicable result (half of a province's results).
 */
export class NdjsonRenderer {
  private lastSubject: SubjectRef | undefined;
  private head = '';
  private readonly rules = new Map<string, RuleText>();

  constructor(readonly fields: ResultFields = 'all') {}

  /** One result as one line, with the trailing newline. */
  line(r: RuleResult): string {
    if (r.subject !== this.lastSubject) {
      this.lastSubject = r.subject;
      this.head = `{"subject":{"kind":${q(r.subject.kind)},"id":${JSON.stringify(r.subject.id)}`;
    }
    let text = this.rules.get(r.rule);
    if (text === undefined) {
      text = { upToDue: new Map() };
      this.rules.set(r.rule, text);
    }
    let upToDue = text.upToDue.get(r.status);
    if (upToDue === undefined) {
      upToDue = `},"rule":${q(r.rule)},"cite":${q(r.cite)},"modality":"${r.modality}","status":"${r.status}","due":`;
      text.upToDue.set(r.status, upToDue);
    }
    const due = r.due === null ? 'null' : q(r.due);
    const missing = r.missing.length === 0 ? '[]' : JSON.stringify(r.missing);
    if (this.fields === 'status') return `${this.head}${upToDue}${due},"missing":${missing}}\n`;
    if (r.status === 'not_applicable' && r.due === null && r.missing.length === 0 && r.figures.length === 0 && r.shortfall === undefined) {
      if (text.naText !== r.explanation) {
        text.naText = r.explanation;
        text.naTail = `${upToDue}null,"missing":[],"explanation":${JSON.stringify(r.explanation)},"figures":[]}\n`;
      }
      return this.head + text.naTail!;
    }
    const figures = r.figures.length === 0 ? '[]' : JSON.stringify(r.figures);
    const shortfall = r.shortfall !== undefined ? `,"shortfall":${r.shortfall}` : '';
    return `${this.head}${upToDue}${due},"missing":${missing},"explanation":${JSON.stringify(r.explanation)},"figures":${figures}${shortfall}}\n`;
  }
}

/**
 * Text to UTF-8 in chunks of about `size` bytes. Uses `TextEncoder` (not Node's Buffer) so the
 * report layer still loads in a browser.
 */
export class Utf8Chunker {
  private readonly encoder = new TextEncoder();
  private buf: Uint8Array;
  private off = 0;

  constructor(private readonly size = 1 << 20) {
    this.buf = new Uint8Array(size);
  }

  /** Appends text; returns a full chunk when one is ready (the chunk is not reused afterwards). */
  add(s: string): Uint8Array | undefined {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    if (this.off + s.length * 3 <= this.size) {
      this.off += this.encoder.encodeInto(s, this.off === 0 ? this.buf : this.buf.subarray(this.off)).written;
      return undefined;
    }
    const full = this.take();
    if (s.length * 3 > this.size) {
      const big = this.encoder.encode(s);
      if (!full) return big;
      const both = new Uint8Array(full.length + big.length);
      both.set(full);
      both.set(big, full.length);
      return both;
    }
    this.off = this.encoder.encodeInto(s, this.buf).written;
    return full;
  }

  /** Whatever is buffered, or undefined when nothing is. */
  take(): Uint8Array | undefined {
    if (this.off === 0) return undefined;
    const out = this.buf.subarray(0, this.off);
    this.buf = new Uint8Array(this.size);
    this.off = 0;
    return out;
  }
}

/** Results as NDJSON, UTF-8 encoded, in chunks of about a megabyte. */
export function* ndjsonBytes(results: Iterable<RuleResult>, fields: ResultFields = 'all'): Generator<Uint8Array> {
  const renderer = new NdjsonRenderer(fields);
  const out = new Utf8Chunker();
  for (const r of results) {
    const chunk = out.add(renderer.line(r));
    if (chunk) yield chunk;
  }
  const last = out.take();
  if (last) yield last;
}

/** A report as JSON text, UTF-8 encoded, from results produced one by one; `summary()` is read after the last result. */
export function* jsonBytes(head: { policy: EvaluationReport['policy']; asOf: string }, results: Iterable<RuleResult>, summary: () => Summary, fields: ResultFields = 'all'): Generator<Uint8Array> {
  const renderer = new NdjsonRenderer(fields);
  const out = new Utf8Chunker();
  const encoder = new TextEncoder();
  yield encoder.encode(`{\n  "policy": ${JSON.stringify({ id: head.policy.id, version: head.policy.version })},\n  "asOf": ${JSON.stringify(head.asOf)},\n  "results": [`);
  let first = true;
  for (const r of results) {
    const line = renderer.line(r);
    const chunk = out.add(`${first ? '\n    ' : ',\n    '}${line.slice(0, -1)}`);
    first = false;
    if (chunk) yield chunk;
  }
  const last = out.take();
  if (last) yield last;
  yield encoder.encode(`${first ? '' : '\n  '}],\n  "summary": ${JSON.stringify(summary())}\n}\n`);
}

/** Streams a report as JSON text from results produced one by one; `summary()` is read after the last result. */
export function* jsonChunks(head: { policy: EvaluationReport['policy']; asOf: string }, results: Iterable<RuleResult>, summary: () => Summary): Generator<string> {
  const decoder = new TextDecoder();
  for (const chunk of jsonBytes(head, results, summary)) yield decoder.decode(chunk);
}

/** The whole report as JSON text, in chunks. */
export function reportToJsonChunks(report: EvaluationReport): Generator<string> {
  return jsonChunks(report, report.results, () => report.summary);
}

/** Streams results as NDJSON in chunks of about a megabyte. */
export function* ndjsonChunks(results: Iterable<RuleResult>): Generator<string> {
  const decoder = new TextDecoder();
  for (const chunk of ndjsonBytes(results)) yield decoder.decode(chunk);
}
