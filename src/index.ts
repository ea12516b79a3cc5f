/**
 * Clausal: policy clauses as versioned rule files, checked and evaluated against facts.
 *
 * ```ts
 * import { loadPolicy, loadFacts, evaluate } from 'clausal';
 * const { policy } = loadPolicy('policies/yunnan-social-work/2021');
 * const { facts } = loadFacts(policy!, 'policies/yunnan-social-work/examples/province.yaml');
 * const report = evaluate(policy!, facts!, { asOf: '2022-06-01', lang: 'zh' });
 * ```
 *
 * Everything exported here is safe to embed: it never writes to stdout and never exits the
 * process. Only the `load…` functions ({@link loadPolicy}, {@link loadFacts}, {@link loadFactsSet},
 * …) and {@link startWorkbench} touch the file system.
 *
 * @packageDocumentation
 */
export type { Span, LineCol } from './model/span.js';
export { LineIndex } from './model/span.js';
export type { Diagnostic, DiagnosticCode, DiagnosticArgs, Lang, Severity, MessageTemplate } from './model/diagnostics.js';
export { CATALOGUE, messageOf, hasErrors } from './model/diagnostics.js';
export type { EvaluationReport, RuleResult, Status, Modality, Summary, SubjectRef, Figure, SubjectInfo, RegionRef } from './model/result.js';
export { STATUSES, emptySummary } from './model/result.js';
export type * from './model/types.js';
export type * as Ast from './model/ast.js';
export { Rational, makeRational, parseDecimal, formatNum, formatPercent, compare as compareNum } from './model/rational.js';
export type { Num } from './model/rational.js';
export { isValidDate, addDuration } from './model/dates.js';
export { parseClauseFile, parseExpression, type ParseResult, type ParseLimits } from './syntax/parse.js';
export { compileSources, parseRuleFile, isRuleFileName, type PolicySourceFile, type LoadedPolicy, type SourceResolver, type ParsedRuleFile } from './policy-sources.js';
export { checkPolicy, type CheckInput, type CheckResult } from './check/checker.js';
export { outlineSource, locateQuote, type NumberingScheme } from './check/source-outline.js';
export { loadPolicy, type LoadPolicyOptions } from './loader/load-policy.js';
export { loadFacts } from './loader/load-facts.js';
/**
 * Facts the way `clausal eval --facts` reads them (Node only): {@link loadFactsSet} takes every
 * `--facts` path (a YAML/JSON/NDJSON file, an `.xlsx` workbook, a folder of CSV files, or a
 * folder of per-prefecture files) and merges them into one set, with the texts its diagnostics
 * point into; {@link factsSourcesOf} lists what one path stands for; {@link readFactsFile} reads
 * one text facts file within the size limits. {@link mergeFactsParts} is the browser-safe merge
 * of parts already read (what the self-check page runs).
 */
export { loadFactsSet, factsSourcesOf, readFactsFile, type FactsSetResult, type ReadFacts } from './loader/load-facts.js';
export { mergeFactsParts } from './facts/merge-facts.js';
export type { RawFactsPart } from './facts/raw-facts.js';
export { loadFactsText, factsFormatOf, type FactsFormat } from './facts/parse-facts.js';
export type { Facts, Subject, FactsResult, FactsLimits, FactRecord, RawSubject, PositionLookup } from './facts/facts.js';
export { buildFacts, DEFAULT_FACTS_LIMITS } from './facts/facts.js';
export { FactsBuilder, type BuildOptions } from './facts/facts.js';
export { factsProjection, type Projection, type ProjectionOptions } from './facts/projection.js';
export { subjectInfos } from './facts/subject-info.js';
export { evaluate, evaluateEach, evaluateLazily, compilePolicy, paramsAsOf, type EvaluateOptions, type CompiledPolicy, type CompiledRule, type RunContext, prepareRun, decide } from './eval/evaluate.js';
export { UNKNOWN, type Compiled, type Frame } from './compile/compile.js';
export type { Explainer, Explained } from './eval/explain.js';
export { DiagnosticRenderer, type SourceTexts } from './report/diagnostics.js';
export { reportToText, type TextReportOptions } from './report/eval-text.js';
export { reportToJsonChunks, resultToJson, resultToNdjson, jsonChunks, ndjsonChunks } from './report/eval-json.js';
export { sourceCoverage, type SourceCoverage, type ParagraphCoverage, type ParagraphState } from './check/coverage.js';

/**
 * Evaluation at scale (docs/performance.md): decisions without explanations, results of a
 * prepared run over subjects that arrive in parts, streamed NDJSON facts (held kinds first, the
 * others in batches), and result lines encoded to UTF-8 as they are made.
 */
export { decideStatus, missingOf, frameOf, evaluateSubjects } from './eval/evaluate.js';
export { streamFacts, streamableKinds, type FactsLine, type FactsPart, type StreamEnd, type StreamOptions } from './facts/stream-facts.js';
export { NdjsonRenderer, Utf8Chunker, ndjsonBytes, jsonBytes, type ResultFields } from './report/eval-json.js';

/**
 * Policy tests (`clausal test`): parse a policy's `tests.yaml` files, run them, measure rule
 * and branch coverage, render the report. {@link loadPolicyTests} reads from disk (Node only);
 * everything else works on texts held in memory.
 */
export {
  parsePolicyTests,
  type TestSuite,
  type TestCase,
  type TestExpectation,
  type TestLocation,
  type ParsedTests,
  type ParseTestsOptions,
  type FactsFileReader,
} from './policy-test/parse-tests.js';
export { IfBranchTracker, ifSitesOf, type IfSite, type IfArm } from './policy-test/if-coverage.js';
export { runPolicyTests, type Mismatch, type TestRun, type TestFailure, type TestSummary, type CaseOutcome, type Observation, type RunTestsOptions } from './policy-test/runner.js';
export { computeCoverage, branchOf, mayBeUnknown, BRANCHES, type Ratio, type Coverage, type RuleCoverage, type BranchCoverage, type BranchName, type BranchState, type CoverageOptions } from './policy-test/coverage.js';
export { testRunToText, testRunToJson, coverageToText, type TestReportOptions } from './policy-test/render.js';
export { loadPolicyTests, isTestFileName, type LoadedTests, type LoadTestsOptions } from './policy-test/load-tests.js';
export { POLICY_TESTS_SCHEMA, policyTestsSchemaJson, type Json } from './policy-test/schema.js';
/**
 * JSON Logic export: {@link exportJsonLogic} translates every rule into JSON Logic with parameters
 * resolved for a date (and lists what it cannot express); {@link jsonLogicData} builds the data
 * object a rule is evaluated on from a loaded subject. See docs/embedding/jsonlogic.md.
 */
export {
  exportJsonLogic,
  jsonLogicData,
  type JsonLogic,
  type JsonLogicExport,
  type JsonLogicExportOptions,
  type JsonLogicRule,
  type UnsupportedRule,
  type UnsupportedCode,
} from './export/jsonlogic.js';
/**
 * Semantic diff of two policy versions: {@link diffPolicies} compares checked policies (layout,
 * comments and order are not changes), {@link computeImpact} evaluates both on the same facts and
 * groups the subjects whose status changes, and the renderers print text, Markdown or the JSON
 * documented in docs/review/diff-json.md.
 */
export {
  diffPolicies,
  matchRules,
  historyText,
  countChanges,
  DIFF_ITEMS,
  type PolicyDiff,
  type PolicyIdent,
  type DiffChange,
  type DiffDetail,
  type DiffAspect,
  type DiffItem,
  type ChangeType,
} from './diff/semantic.js';
export { computeImpact, type Impact, type ImpactInput, type ImpactEntry, type Transition, type PrefectureRef } from './diff/impact.js';
export type { TotalChange, ValueChange, AmountDelta, AmountSum, AmountMeasure } from './diff/amounts.js';
export { diffToText, diffToMarkdown, diffToJson, diffToJsonValue, transitionSentence, totalSentence, DIFF_JSON_VERSION, MARKDOWN_MAX_ENTRIES, type DiffRenderInput } from './diff/render.js';
/**
 * Report formats of `clausal eval --format markdown|html|csv`, usable in a browser too:
 * {@link reportToMarkdown} for an email or a pull request, {@link reportToCsvChunks} for
 * spreadsheets (UTF-8 with BOM, RFC 4180, formula-safe), and {@link reportToHtmlChunks} for one
 * self-contained, printable HTML page with charts, filters and a drill-down per subject.
 */
export { reportToMarkdown, type MarkdownOptions } from './report/markdown.js';
export { reportToCsvChunks } from './report/csv.js';
export { reportToHtml, reportToHtmlChunks } from './report/html.js';
export type { ReportInput } from './report/report-data.js';
/** Sums of value rules and shortfalls by prefecture and for the province, as the reports print them. */
export { totalsOf, formatTotal, type TotalLine, type TotalCell, type TotalMeasure } from './report/totals.js';
/**
 * The policy workbench (`clausal serve`, Node only): {@link startWorkbench} serves the browser
 * app built into dist/workbench/ and a small JSON API to list, read and save the files of one
 * policy directory; the browser checks, evaluates and diffs with the bundled engine. See
 * docs/workbench.md.
 */
export { startWorkbench, isLoopback, appCsp, WorkbenchStartError, type WorkbenchOptions, type RunningWorkbench } from './serve/server.js';
export { DEFAULT_WORKSPACE_LIMITS, type WorkspaceLimits } from './serve/workspace.js';
/**
 * Facts from spreadsheets (Node only): {@link loadSpreadsheetFacts} reads an `.xlsx` workbook
 * or a folder of CSV files (sheets or files `regions`, `institutions`, `workers`; headers are
 * field paths or their zh labels) through the same validation as YAML, each diagnostic naming
 * its sheet (or file), row and column; {@link factsTemplateBytes} writes the empty workbook of
 * `clausal template`. {@link factsFromTables} is the format-free core (browser-safe).
 */
export { loadSpreadsheetFacts, isSpreadsheetFacts, parseCsv, type SpreadsheetFactsResult } from './loader/load-spreadsheet.js';
export { factsTemplate, factsTemplateBytes, templateColumns, TEMPLATE_ROWS } from './loader/facts-template.js';
export { factsFromTables, type Table, type TableRow, type Cell, type CellValue } from './loader/sheet-table.js';
/**
 * Spreadsheet facts from bytes in memory (browser-safe; what the offline self-check page runs):
 * {@link spreadsheetFactsFromBytes} takes one workbook or a CSV set; {@link decodeText} reads a
 * CSV file's bytes as UTF-8 (with or without a byte-order mark), UTF-16 or GBK/GB18030.
 */
export { spreadsheetFactsFromBytes, csvSetFacts, type SpreadsheetInput, type BytesFile } from './loader/spreadsheet-intake.js';
export { decodeText, type DecodedText, type TextEncodingName } from './loader/decode-text.js';
/**
 * Rules as SQL: {@link lowerPolicy} lowers a checked policy for one date into the backend-neutral
 * form ({@link LoweredPolicy}: parameters resolved, exact integer arithmetic, presence vs none,
 * Kleene logic, reading order); {@link sqlScript} prints it as SQL for DuckDB, PostgreSQL or
 * Trino; {@link evaluateWithDuckDb} (Node only) runs it in embedded DuckDB and returns the same
 * results as {@link evaluate}. See docs/embedding/sql.en.md.
 */
export { lowerPolicy, freeSlots, type LowerOptions } from './lower/lower.js';
export type * from './lower/lowered.js';
export { sqlScript, type SqlScriptOptions } from './sql/sql-script.js';
export { DIALECT_NAMES, DIALECTS, sqlIdent, sqlString, type DialectName, type SqlDialect } from './sql/dialects.js';
export { factTablesDdl, knownColumn, resultQuery, RESULT_COLUMNS, type ResultQueryOptions } from './sql/print-sql.js';
export { factInserts, scaledDecimal, DECIMAL_SCALE } from './sql/fact-inserts.js';
export { evaluateWithDuckDb, streamWithDuckDb, loadFactTables, type DuckDbRun, type DuckDbStreamOptions } from './sql/duckdb-engine.js';
/**
 * Limits a hostile policy meets (SECURITY.md): {@link StepBudget} counts evaluation steps per
 * subject and per run and throws {@link EvaluationBudgetExceeded} (E0100/E0101) when spent;
 * {@link DEFAULT_MAX_COMPILED_SIZE} bounds compiled size (C0101); {@link defaultPolicyRoot} is the
 * folder a policy's `source` and `extends` may not leave.
 */
export { StepBudget, EvaluationBudgetExceeded, type BudgetSubject, DEFAULT_MAX_STEPS, DEFAULT_MAX_RUN_STEPS } from './compile/budget.js';
export { DEFAULT_MAX_COMPILED_SIZE } from './check/checker.js';
export { defaultPolicyRoot } from './loader/load-policy.js';
/** Where a spreadsheet fact sits ({@link CellPlace}), and its text for messages. */
export { type CellPlace, placeText } from './facts/raw-facts.js';
