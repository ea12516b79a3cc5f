/**
 * The one evaluation pipeline of `clausal eval`: a facts source, an engine, a sink. The CLI
 * chooses the three parts and nothing else decides in between (the shape of DuckDB's own
 * `read_* -> query -> COPY … TO`).
 *
 * - A {@link FactsSource} only *names* the facts (paths as given, limits): each engine reads them
 *   its own way (the in-process engine through the facts loaders, possibly streaming; the DuckDB
 *   engine through the same loaders, or straight from Parquet / a database file).
 * - An {@link Engine} decides every rule for every subject and pushes the results, in contract
 *   order, in batches, to the sink. Engines are registered by name ({@link registerEngine}).
 * - A {@link ResultSink} renders them (JSON, NDJSON, text, markdown, html, csv, xlsx, parquet…).
 *   Its {@link SinkNeeds} tell the engine what it must produce.
 *
 * This module holds types and the registry only: it is browser-safe and imports no engine.
 */
import { fsDetail } from '../model/fs-problem.js';
import { error, type Diagnostic, type Lang } from '../model/diagnostics.js';
import type { RuleResult, Status, SubjectInfo, Summary } from '../model/result.js';
import type { Policy } from '../model/types.js';
import type { Facts, FactsLimits } from '../facts/facts.js';

/** Where the facts come from, as the user named them; engines read them. */
export interface FactsSource {
  /** The `--facts` paths as given: files (`.yaml`, `.json`, `.ndjson`, `.xlsx`, …) or folders. */
  readonly paths: readonly string[];
  /** Limits on the facts (`--max-subjects`, `--max-facts-size`); defaults when absent. */
  readonly limits?: FactsLimits;
}

/** What the sink needs the engine to produce. */
export interface SinkNeeds {
  /** Explanations and figures in each result (`--fields all`); false: the decision alone. */
  readonly explanations: boolean;
  /** Names and regions of subjects (reports group by prefecture and county). */
  readonly subjects: boolean;
  /**
   * Whether the sink may receive results while facts are still being read (JSON and NDJSON:
   * yes; reports that need every subject first: no). An engine that streams facts only does so
   * when this is true, and then a facts error can come after results were written (the sink's
   * {@link ResultSink.abort} is called).
   */
  readonly streaming: boolean;
  /**
   * Whether {@link ResultSink.abort} leaves nothing of what was written (the output is a file
   * renamed into place at the end, `--out`). Then an engine may write results while it still
   * reads the facts, even without `--stream`: a facts error found later leaves the old file.
   */
  readonly atomic?: boolean;
}

/** The head of a run, given to the sink before any result. */
export interface RunHead {
  readonly policy: Policy;
  readonly asOf: string;
  readonly lang: Lang;
  /** Names and regions, keyed `${kind}\u0000${id}`; present when {@link SinkNeeds.subjects}. */
  readonly subjects?: ReadonlyMap<string, SubjectInfo>;
  /** The loaded facts, when the engine has them whole (reports name a missing fact's spreadsheet cell from them). */
  readonly facts?: Facts;
}

/**
 * Where results go. Methods may return promises (a sink writing through DuckDB); the engine
 * awaits each before the next call.
 */
export interface ResultSink {
  readonly needs: SinkNeeds;
  /** Called once, after the facts are loaded (or the held part of a streamed file) and before any result. */
  begin(head: RunHead): void | Promise<void>;
  /**
   * Results in contract order (subject in facts order, then rule in policy order), omitted
   * statuses already left out. The array is the engine's and may be reused after the call returns.
   */
  write(batch: readonly RuleResult[]): void | Promise<void>;
  /** Called once after the last result, with counts over every decision (omitted ones included). */
  end(summary: Summary): void | Promise<void>;
  /** Discards partial output (facts errors found mid-stream, or a failed engine). Never throws. */
  abort(): void | Promise<void>;
  /**
   * Set by a sink whose whole output DuckDB can write itself (`COPY (…) TO file`): NDJSON with
   * `--fields status`, Parquet. An engine that had DuckDB write the file in `format` calls
   * `take(file)` once, between `begin` and `end`, instead of `write`; other engines ignore it.
   */
  readonly copy?: SinkCopy;
}

/** See {@link ResultSink.copy}. */
export interface SinkCopy {
  /** `ndjson`: the lines `--format ndjson --fields status` prints; `parquet`: the columns `--format parquet --fields status` writes. */
  readonly format: 'ndjson' | 'parquet';
  /** Takes the file as the sink's whole output (the engine removes it afterwards). */
  take(file: string): void | Promise<void>;
}

/** What an engine is asked to do. */
export interface EvalRequest {
  /** The checked policy. */
  readonly policy: Policy;
  /** The policy folder it was loaded from (an engine in another thread or process reloads it). */
  readonly policyDir: string;
  /** `YYYY-MM-DD`. */
  readonly asOf: string;
  /** Language of explanations. */
  readonly lang: Lang;
  /** Statuses decided and counted but not handed to the sink (`--omit not_applicable`). */
  readonly omit: ReadonlySet<Status>;
  /**
   * Whether the user allows streaming facts (`--stream`): subjects no other subject needs are
   * decided and dropped as they are read, and facts errors may then come after results.
   */
  readonly stream: boolean;
  /** The evaluation budget (`--max-steps`, `--max-run-steps`); an engine that exceeds it throws `EvaluationBudgetExceeded`. */
  readonly steps?: { readonly maxSteps?: number; readonly maxRunSteps?: number };
  /** A progress line for a person watching (the CLI's); engines report phases and counts. */
  readonly progress?: ProgressHook;
}

/** What an engine may tell a progress line. */
export interface ProgressHook {
  /** A phase: `loading facts`, `evaluating` (counting subjects up to `total`). */
  phase(label: 'loading facts' | 'evaluating', total?: number): void;
  /** Subjects done in the current phase (throttled by the line itself, unless `force`: give the last count so). */
  tick(done: number, force?: boolean): void;
  /** Clears the line (before diagnostics are printed). */
  end(): void;
}

/** How a run ended. Engines never throw for user errors: they return diagnostics here. */
export interface EngineOutcome {
  /** Counts per status over every decision (omitted statuses included). */
  readonly summary: Summary;
  /** Facts diagnostics (warnings included), or why the engine could not run the policy. */
  readonly diagnostics: readonly Diagnostic[];
  /** Texts the diagnostics point into (for code frames), by file. */
  readonly texts?: ReadonlyMap<string, string>;
  /**
   * `ok`: every result was handed to the sink and `end` called; `bad-facts`: facts errors
   * (exit 4, `abort` called); `unsupported`: the engine cannot run this policy (exit 1, nothing written).
   */
  readonly outcome: 'ok' | 'bad-facts' | 'unsupported';
}

/** An evaluation engine: in-process closures, DuckDB SQL, … */
export interface Engine {
  /** `--engine` name. */
  readonly name: string;
  /** Reads the facts, decides, and pushes results to the sink. */
  run(source: FactsSource, request: EvalRequest, sink: ResultSink): Promise<EngineOutcome>;
}

/**
 * Where a sink's bytes go: a temporary file renamed over `--out` on {@link Output.commit}, or
 * stdout. `write` throws the file system's error (ENOSPC…); the pipeline reports it as X0005.
 */
export interface Output {
  write(chunk: string | Uint8Array): void;
  /** Makes the output visible (for `--out`: fsync and rename). */
  commit(): void;
  /** Drops what was written (for `--out`: the old file stays). Never throws. */
  discard(): void;
}

/**
 * A failure to write the output (`--out`), exit 1: the file system refused (X0005, `detail` is
 * the errno code), or the target is one an output may not replace (`diagnostic`: X0110-X0113).
 */
export class OutputError extends Error {
  constructor(readonly path: string, readonly detail: string, readonly diagnostic: Diagnostic = error('X0005', undefined, { path, ...fsDetail(detail, undefined, 'write') })) {
    super(`cannot write ${path}: ${detail}`);
  }
}

/** What a sink is made from: the CLI's choices. */
export interface SinkOptions {
  /** `--format`. */
  readonly format: string;
  readonly output: Output;
  readonly lang: Lang;
  /** `--fields`: `status` drops explanations and figures (machine formats). */
  readonly fields: 'all' | 'status';
  /** `--all` (text): list compliant and not-applicable results too. */
  readonly all: boolean;
  /** Colour for text on a terminal. */
  readonly color: boolean;
  /** Whether the output is a file (`--out`) rather than stdout. */
  readonly toFile: boolean;
}

/** Makes the sink of one `--format`. */
export type SinkFactory = (options: SinkOptions) => ResultSink;

/** What a format is: its factory, and whether it is a machine format (`--fields`, `--omit` apply). */
export interface SinkFormat {
  readonly create: SinkFactory;
  readonly machine: boolean;
}

const SINKS = new Map<string, SinkFormat>();

/** Adds an `eval --format NAME` sink (json, ndjson, parquet, …). */
export function registerSink(name: string, format: SinkFormat): void {
  SINKS.set(name, format);
}

/** The sink format registered under `name`. */
export function sinkNamed(name: string): SinkFormat | undefined {
  return SINKS.get(name);
}

/** Names of the registered sink formats. */
export function sinkNames(): readonly string[] {
  return [...SINKS.keys()];
}

const ENGINES = new Map<string, Engine>();

/** Adds an engine for `clausal eval --engine NAME` (modules register theirs when imported). */
export function registerEngine(engine: Engine): void {
  ENGINES.set(engine.name, engine);
}

/** The engine registered under `name`. */
export function engineNamed(name: string): Engine | undefined {
  return ENGINES.get(name);
}

/** Names of the registered engines, in registration order. */
export function engineNames(): readonly string[] {
  return [...ENGINES.keys()];
}
