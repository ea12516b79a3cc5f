/**
 * The sinks of `clausal eval --format`: JSON and NDJSON written as results arrive (a province's
 * results are never all in memory), text and the registered report formats (markdown, html, csv,
 * xlsx, …) from the whole report once the last result is in.
 */
import type { Lang } from '../model/diagnostics.js';
import type { EvaluationReport, RuleResult, SubjectInfo, Summary } from '../model/result.js';
import type { Policy } from '../model/types.js';
import { NdjsonRenderer, Utf8Chunker } from '../report/eval-json.js';
import { reportToText } from '../report/eval-text.js';
import { withMissingPlaces } from '../report/fact-places.js';
import { registerSink, type Output, type ResultSink, type RunHead, type SinkCopy, type SinkNeeds, type SinkOptions } from './engine.js';
import { copyFileTo } from './copy-file.js';

/** JSON (`json: true`) or NDJSON lines, rendered as UTF-8 and written a megabyte at a time. */
class MachineSink implements ResultSink {
  readonly needs: SinkNeeds;
  private readonly renderer: NdjsonRenderer;
  private readonly chunks = new Utf8Chunker();
  private lines = 0;
  readonly copy?: SinkCopy;

  constructor(private readonly output: Output, private readonly json: boolean, fields: 'all' | 'status', toFile: boolean) {
    this.needs = { explanations: fields === 'all', subjects: false, streaming: true, atomic: toFile };
    this.renderer = new NdjsonRenderer(fields, json);
    // Status-only NDJSON lines are what DuckDB's `COPY … (FORMAT json)` writes, byte for byte.
    if (!json && fields === 'status') this.copy = { format: 'ndjson', take: (file) => copyFileTo(file, output) };
  }

  begin(head: RunHead): void {
    if (this.json) this.chunks.add(`{\n  "policy": ${JSON.stringify({ id: head.policy.id, version: head.policy.version })},\n  "asOf": ${JSON.stringify(head.asOf)},\n  "results": [`);
  }

  write(batch: readonly RuleResult[]): void {
    const { renderer, chunks } = this;
    for (let i = 0; i < batch.length; i++) renderer.write(batch[i], chunks);
    this.lines += batch.length;
    this.drain();
  }

  end(summary: Summary): void {
    if (this.json) this.chunks.add(`${this.lines === 0 ? '' : '\n  '}],\n  "summary": ${JSON.stringify(summary)}\n}\n`);
    this.chunks.flush();
    this.drain();
    this.output.commit();
  }

  abort(): void {
    this.output.discard();
  }

  private drain(): void {
    const ready = this.chunks.ready;
    if (ready.length === 0) return;
    for (const c of ready) this.output.write(c);
    ready.length = 0;
  }
}

/** A report format rendered from the whole evaluation (`registerFormat`). */
export type FormatRenderer = (input: {
  report: EvaluationReport;
  lang: Lang;
  subjects: ReadonlyMap<string, SubjectInfo>;
  policy: Policy;
}) => Iterable<string | Uint8Array> | Promise<Iterable<string | Uint8Array>>;

/** Collects every result, then renders the report and writes it. */
class ReportSink implements ResultSink {
  readonly needs: SinkNeeds = { explanations: true, subjects: true, streaming: false };
  private head: RunHead | undefined;
  private readonly results: RuleResult[] = [];

  constructor(private readonly output: Output, private readonly render: FormatRenderer, private readonly lang: Lang) {}

  begin(head: RunHead): void {
    this.head = head;
  }

  write(batch: readonly RuleResult[]): void {
    for (let i = 0; i < batch.length; i++) this.results.push(batch[i]);
  }

  async end(summary: Summary): Promise<void> {
    const head = this.head!;
    const evaluated: EvaluationReport = { policy: { id: head.policy.id, version: head.policy.version, title: head.policy.title?.zh }, asOf: head.asOf, results: this.results, summary };
    // Reports people read name a missing fact's cell too, when the facts came from a spreadsheet.
    const report = head.facts ? withMissingPlaces(evaluated, head.policy, head.facts, this.lang) : evaluated;
    for (const chunk of await this.render({ report, lang: this.lang, subjects: head.subjects ?? new Map(), policy: head.policy })) this.output.write(chunk);
    this.output.commit();
  }

  abort(): void {
    this.output.discard();
  }
}

const RENDERERS = new Map<string, FormatRenderer>();

/** The report renderer registered for `--format name` (for callers that render a whole report themselves, such as `--record`). */
export function formatRenderer(name: string): FormatRenderer | undefined {
  return RENDERERS.get(name);
}

/**
 * Adds an `eval --format` report renderer (markdown, html, csv, xlsx…): it receives the whole
 * evaluation with subjects' names and regions.
 */
export function registerFormat(name: string, render: FormatRenderer): void {
  RENDERERS.set(name, render);
  registerSink(name, { machine: false, create: (o: SinkOptions) => new ReportSink(o.output, render, o.lang) });
}

// Registered in the order usage messages list them.
registerSink('text', {
  machine: false,
  create: (o) => new ReportSink(o.output, (input) => [reportToText(input.report, { lang: input.lang, color: o.color, subjects: input.subjects, all: o.all, policy: input.policy })], o.lang),
});
registerSink('json', { machine: true, create: (o) => new MachineSink(o.output, true, o.fields, o.toFile) });
registerSink('ndjson', { machine: true, create: (o) => new MachineSink(o.output, false, o.fields, o.toFile) });
