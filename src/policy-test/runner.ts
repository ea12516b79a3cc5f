/**
 * Runs parsed policy tests: each case is evaluated with the ordinary evaluator (with its
 * as-of date and parameter overrides), and each check compares one (subject, rule) result
 * with what the case expects. Pure: no file system, no output.
 *
 * What a check compares:
 * - `status`, always;
 * - `missing`, when given: as a set (the evaluator lists paths in reading order, which is an
 *   implementation detail a test should not pin down);
 * - `due`, when given (`null` = the rule has no deadline in force);
 * - `explanation`, when given: each fragment must occur in the explanation in its language,
 *   so a test stays valid when wording around the figures changes.
 */
import { compare, parseDecimal } from '../model/rational.js';
import type { Lang } from '../model/diagnostics.js';
import type { RuleResult, Status, SubjectRef } from '../model/result.js';
import type { Policy } from '../model/types.js';
import { evaluate } from '../eval/evaluate.js';
import type { TestCase, TestExpectation, TestLocation, TestSuite } from './parse-tests.js';
import type { IfBranchTracker } from './if-coverage.js';

/** Which parts of a check did not hold. */
export type Mismatch = 'status' | 'missing' | 'due' | 'explanation' | 'value' | 'shortfall';

/** A check that failed: what was expected and what the evaluator decided. */
export interface TestFailure {
  readonly at: TestLocation;
  readonly case: string;
  readonly subject: SubjectRef;
  readonly rule: string;
  readonly mismatches: readonly Mismatch[];
  readonly expected: {
    readonly status: Status;
    readonly missing?: readonly string[];
    readonly due?: string | null;
    /** The fragments that were not found, per language. */
    readonly explanation?: Partial<Record<Lang, readonly string[]>>;
    readonly value?: string;
    readonly shortfall?: string | null;
  };
  readonly actual: {
    readonly status: Status;
    readonly due: string | null;
    readonly missing: readonly string[];
    readonly value?: string;
    readonly shortfall?: string;
    /** The explanation in the requested language. */
    readonly explanation: string;
  };
}

/** The outcome of one case. */
export interface CaseOutcome {
  readonly name: string;
  readonly at: TestLocation;
  readonly asOf: string;
  readonly checks: number;
  readonly failed: number;
}

/** A check's rule and the status it actually got: what coverage is computed from. */
export interface Observation {
  readonly rule: string;
  readonly status: Status;
}

/** Counts of a run. */
export interface TestSummary {
  readonly files: number;
  readonly cases: number;
  readonly checks: number;
  readonly passed: number;
  readonly failed: number;
}

/** Everything a run found. */
export interface TestRun {
  readonly policy: { readonly id: string; readonly version: string };
  readonly files: readonly string[];
  readonly cases: readonly CaseOutcome[];
  readonly failures: readonly TestFailure[];
  readonly observations: readonly Observation[];
  readonly summary: TestSummary;
}

/** Options of {@link runPolicyTests}. */
export interface RunTestsOptions {
  /** Language of the explanations shown in failures (default zh). */
  readonly lang?: Lang;
  /** Counts the `if` arms each checked result takes (for `--coverage`). */
  readonly ifBranches?: IfBranchTracker;
}

function keyOf(kind: string, id: string, rule: string): string {
  return `${kind}\u0000${id}\u0000${rule}`;
}

function index(results: readonly RuleResult[]): Map<string, RuleResult> {
  return new Map(results.map((r) => [keyOf(r.subject.kind, r.subject.id, r.rule), r]));
}

/** Evaluates a case in every language its checks need (the display language first). */
function evaluateCase(policy: Policy, c: TestCase, lang: Lang): Map<Lang, Map<string, RuleResult>> {
  const langs = new Set<Lang>([lang]);
  for (const e of c.expect) for (const l of Object.keys(e.explanation ?? {}) as Lang[]) langs.add(l);
  const out = new Map<Lang, Map<string, RuleResult>>();
  for (const l of langs) out.set(l, index(evaluate(policy, c.facts, { asOf: c.asOf, lang: l, paramOverrides: c.params }).results));
  return out;
}

/** Exact equality of two amounts as written (`300` = `300.00`); dates and other text as text. */
function sameAmount(expected: string, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  const a = parseDecimal(expected);
  const b = parseDecimal(actual);
  return a !== undefined && b !== undefined ? compare(a, b) === 0 : expected === actual;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

function check(e: TestExpectation, byLang: Map<Lang, Map<string, RuleResult>>, lang: Lang, caseName: string): { failure?: TestFailure; actual: Status } {
  const key = keyOf(e.subject.kind, e.subject.id, e.rule);
  const shown = byLang.get(lang)!.get(key);
  // INVARIANT: the parser checked that the subject exists and the rule applies to its kind,
  // and the evaluator decides every rule of a kind for every subject of that kind.
  if (!shown) throw new Error(`no result for ${e.subject.kind} ${e.subject.id} / ${e.rule}`);
  const mismatches: Mismatch[] = [];
  if (shown.status !== e.status) mismatches.push('status');
  if (e.missing !== undefined && !sameSet(e.missing, shown.missing)) mismatches.push('missing');
  if (e.due !== undefined && e.due !== shown.due) mismatches.push('due');
  let notFound: Partial<Record<Lang, readonly string[]>> | undefined;
  for (const [l, fragments] of Object.entries(e.explanation ?? {}) as [Lang, readonly string[]][]) {
    const text = byLang.get(l)!.get(key)!.explanation;
    const absent = fragments.filter((f) => !text.includes(f));
    if (absent.length) notFound = { ...notFound, [l]: absent };
  }
  if (notFound) mismatches.push('explanation');
  if (e.value !== undefined && !sameAmount(e.value, shown.value)) mismatches.push('value');
  if (e.shortfall !== undefined && (e.shortfall === null ? shown.shortfall !== undefined : !sameAmount(e.shortfall, shown.shortfall))) mismatches.push('shortfall');
  if (mismatches.length === 0) return { actual: shown.status };
  return {
    actual: shown.status,
    failure: {
      at: e.at,
      case: caseName,
      subject: e.subject,
      rule: e.rule,
      mismatches,
      expected: {
        status: e.status,
        ...(e.missing !== undefined ? { missing: e.missing } : {}),
        ...(e.due !== undefined ? { due: e.due } : {}),
        ...(notFound ? { explanation: notFound } : {}),
        ...(e.value !== undefined ? { value: e.value } : {}),
        ...(e.shortfall !== undefined ? { shortfall: e.shortfall } : {}),
      },
      actual: {
        status: shown.status, due: shown.due, missing: shown.missing, explanation: shown.explanation,
        ...(shown.value !== undefined ? { value: shown.value } : {}),
        ...(shown.shortfall !== undefined ? { shortfall: shown.shortfall } : {}),
      },
    },
  };
}

/** Runs the cases of the given suites, in file order then case order. */
export function runPolicyTests(policy: Policy, suites: readonly TestSuite[], options: RunTestsOptions = {}): TestRun {
  const lang = options.lang ?? 'zh';
  const cases: CaseOutcome[] = [];
  const failures: TestFailure[] = [];
  const observations: Observation[] = [];
  let checks = 0;
  for (const suite of suites) {
    for (const c of suite.cases) {
      const byLang = evaluateCase(policy, c, lang);
      let failed = 0;
      for (const e of c.expect) {
        const r = check(e, byLang, lang, c.name);
        observations.push({ rule: e.rule, status: r.actual });
        options.ifBranches?.observe(c, e.subject, e.rule);
        if (r.failure) {
          failures.push(r.failure);
          failed++;
        }
      }
      checks += c.expect.length;
      cases.push({ name: c.name, at: c.at, asOf: c.asOf, checks: c.expect.length, failed });
    }
  }
  return {
    policy: { id: policy.id, version: policy.version },
    files: suites.map((s) => s.file),
    cases,
    failures,
    observations,
    summary: { files: suites.length, cases: cases.length, checks, passed: checks - failures.length, failed: failures.length },
  };
}
