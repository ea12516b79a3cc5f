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
    ...(r.value !== undefined ? { value: r.value, unit: r.unit ?? null } : {}),
    due: r.due,
    missing: r.missing,
    explanation: r.explanation,
    figures: r.figures,
    ...(r.shortfall !== undefined ? { shortfall: r.shortfall, shortfallUnit: r.shortfallUnit ?? null } : {}),
  };
}

/** `,"value":…,"unit":…` of a value rule's result (contract 3a), else nothing. */
function valueText(r: RuleResult): string {
  return r.value === undefined ? '' : `,"value":${JSON.stringify(r.value)},"unit":${r.unit == null ? 'null' : q(r.unit)}`;
}

/** `,"shortfall":…,"shortfallUnit":…` of an unmet numeric requirement (contract 3a), else nothing. */
function shortfallText(r: RuleResult): string {
  return r.shortfall === undefined ? '' : `,"shortfall":${JSON.stringify(r.shortfall)},"shortfallUnit":${r.shortfallUnit == null ? 'null' : q(r.shortfallUnit)}`;
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
  const shortfall = shortfallText(r);
  return `{"subject":{"kind":${q(r.subject.kind)},"id":${JSON.stringify(r.subject.id)}},"rule":${q(r.rule)},"cite":${q(r.cite)},"modality":"${r.modality}","status":"${r.status}"${valueText(r)},"due":${r.due === null ? 'null' : q(r.due)},"missing":${missing},"explanation":${JSON.stringify(r.explanation)},"figures":${figures}${shortfall}}\n`;
}

/** Which fields result lines carry: all of them, or the decision alone (no explanation, no figures). */
export type ResultFields = 'all' | 'status';

interface RuleText {
  /** `},"rule":…,"cite":…,"modality":…,"status":"…","due":` per status. */
  readonly upToDue: Map<Status, string>;
  /** The whole tail of a not-applicable line as UTF-8, for the explanation it was made with. */
  naText?: string;
  naTail?: Uint8Array;
  /** Tails of status-only lines without missing facts, as UTF-8, by status then due date. */
  readonly statusTails: Map<Status, Map<string | null, Uint8Array>>;
}

const encoder = new TextEncoder();

/**
 * Renders results as NDJSON lines (or the result lines of a JSON report), the same text as
 * {@link resultToNdjson} for `all`, with what repeats made once and kept as UTF-8 bytes: the
 * subject's head per subject, the rule's fields per rule and status, the whole tail of a
 * not-applicable line (half of a province's results) and of a status-only line.
 */
export class NdjsonRenderer {
  private lastSubject: SubjectRef | undefined;
  private head = '';
  private headBytes = new Uint8Array(0);
  private readonly rules = new Map<string, RuleText>();
  private lines = 0;

  /**
   * `json`: lines of a JSON report's `results` array (separated by commas, no newline);
   * `continued`: the array already has lines, so even the first one starts with a comma.
   */
  constructor(readonly fields: ResultFields = 'all', private readonly json = false, continued = false) {
    if (continued) this.lines = 1;
  }

  private ruleText(r: RuleResult): RuleText {
    let text = this.rules.get(r.rule);
    if (text === undefined) {
      text = { upToDue: new Map(), statusTails: new Map() };
      this.rules.set(r.rule, text);
    }
    return text;
  }

  private upToDue(text: RuleText, r: RuleResult): string {
    let upToDue = text.upToDue.get(r.status);
    if (upToDue === undefined) {
      upToDue = `},"rule":${q(r.rule)},"cite":${q(r.cite)},"modality":"${r.modality}","status":"${r.status}","due":`;
      text.upToDue.set(r.status, upToDue);
    }
    return upToDue;
  }

  private get end(): string {
    return this.json ? '}' : '}\n';
  }

  /** One result as one line (for NDJSON with the trailing newline; for JSON with its separator). */
  line(r: RuleResult): string {
    if (r.subject !== this.lastSubject) {
      this.lastSubject = r.subject;
      this.head = `{"subject":{"kind":${q(r.subject.kind)},"id":${JSON.stringify(r.subject.id)}`;
      this.headBytes = encoder.encode(this.head);
    }
    const sep = this.json ? (this.lines++ === 0 ? '\n    ' : ',\n    ') : '';
    return `${sep}${this.head}${this.tail(r)}`;
  }

  /** Everything after the subject's head. */
  private tail(r: RuleResult): string {
    const text = this.ruleText(r);
    const cached = this.upToDue(text, r);
    // A value varies per result: it goes between the cached status and `"due":`.
    const upToDue = r.value === undefined ? cached : `${cached.slice(0, -',"due":'.length)}${valueText(r)},"due":`;
    const due = r.due === null ? 'null' : q(r.due);
    const missing = r.missing.length === 0 ? '[]' : JSON.stringify(r.missing);
    if (this.fields === 'status') return `${upToDue}${due},"missing":${missing}${this.end}`;
    const figures = r.figures.length === 0 ? '[]' : JSON.stringify(r.figures);
    const shortfall = shortfallText(r);
    return `${upToDue}${due},"missing":${missing},"explanation":${JSON.stringify(r.explanation)},"figures":${figures}${shortfall}${this.end}`;
  }

  /** Appends one result to `out` as UTF-8, copying the bytes of what repeats. */
  write(r: RuleResult, out: Utf8Chunker): void {
    if (r.subject !== this.lastSubject) {
      this.lastSubject = r.subject;
      this.head = `{"subject":{"kind":${q(r.subject.kind)},"id":${JSON.stringify(r.subject.id)}`;
      this.headBytes = encoder.encode(this.head);
    }
    if (this.json) out.addBytes(this.lines++ === 0 ? FIRST_SEP : SEP);
    out.addBytes(this.headBytes);
    const simple = r.missing.length === 0 && r.due === null;
    if (this.fields === 'status' && r.missing.length === 0 && r.value === undefined) {
      const text = this.ruleText(r);
      let byDue = text.statusTails.get(r.status);
      if (!byDue) text.statusTails.set(r.status, (byDue = new Map()));
      let tail = byDue.get(r.due);
      if (!tail) byDue.set(r.due, (tail = encoder.encode(this.tail(r))));
      out.addBytes(tail);
      return;
    }
    if (this.fields === 'all' && simple && r.status === 'not_applicable' && r.figures.length === 0 && r.shortfall === undefined) {
      const text = this.ruleText(r);
      if (text.naText !== r.explanation || !text.naTail) {
        text.naText = r.explanation;
        text.naTail = encoder.encode(this.tail(r));
      }
      out.addBytes(text.naTail);
      return;
    }
    out.add(this.tail(r));
  }
}

const FIRST_SEP = encoder.encode('\n    ');
const SEP = encoder.encode(',\n    ');

/**
 * Text to UTF-8 in chunks of about `size` bytes; full chunks wait in {@link ready}. Uses
 * `TextEncoder` (not Node's Buffer) so the report layer still loads in a browser.
 */
export class Utf8Chunker {
  /** Full chunks, in order; the caller takes them out. */
  readonly ready: Uint8Array[] = [];
  private buf: Uint8Array;
  private off = 0;

  constructor(private readonly size = 1 << 20) {
    this.buf = new Uint8Array(size);
  }

  /** Appends text. */
  add(s: string): void {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    if (this.off + s.length * 3 > this.size) {
      this.flush();
      if (s.length * 3 > this.size) {
        this.ready.push(encoder.encode(s));
        return;
      }
    }
    this.off += encoder.encodeInto(s, this.off === 0 ? this.buf : this.buf.subarray(this.off)).written;
  }

  /** Appends bytes (copied). */
  addBytes(b: Uint8Array): void {
    if (this.off + b.length > this.size) {
      this.flush();
      if (b.length > this.size) {
        this.ready.push(b.slice());
        return;
      }
    }
    this.buf.set(b, this.off);
    this.off += b.length;
  }

  /** Moves what is buffered to {@link ready}. */
  flush(): void {
    if (this.off === 0) return;
    this.ready.push(this.buf.subarray(0, this.off));
    this.buf = new Uint8Array(this.size);
    this.off = 0;
  }
}

/** Results as NDJSON, UTF-8 encoded, in chunks of about a megabyte. */
export function* ndjsonBytes(results: Iterable<RuleResult>, fields: ResultFields = 'all'): Generator<Uint8Array> {
  const renderer = new NdjsonRenderer(fields);
  const out = new Utf8Chunker();
  for (const r of results) {
    renderer.write(r, out);
    if (out.ready.length) yield* out.ready.splice(0);
  }
  out.flush();
  yield* out.ready.splice(0);
}

/** A report as JSON text, UTF-8 encoded, from results produced one by one; `summary()` is read after the last result. */
export function* jsonBytes(head: { policy: EvaluationReport['policy']; asOf: string }, results: Iterable<RuleResult>, summary: () => Summary, fields: ResultFields = 'all'): Generator<Uint8Array> {
  const renderer = new NdjsonRenderer(fields, true);
  const out = new Utf8Chunker();
  out.add(`{\n  "policy": ${JSON.stringify({ id: head.policy.id, version: head.policy.version })},\n  "asOf": ${JSON.stringify(head.asOf)},\n  "results": [`);
  let first = true;
  for (const r of results) {
    renderer.write(r, out);
    first = false;
    if (out.ready.length) yield* out.ready.splice(0);
  }
  out.add(`${first ? '' : '\n  '}],\n  "summary": ${JSON.stringify(summary())}\n}\n`);
  out.flush();
  yield* out.ready.splice(0);
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
