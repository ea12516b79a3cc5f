/**
 * The evaluator: a checked policy and facts, as of a date -> one decision per subject and rule.
 *
 * Status of a rule for a subject:
 * - outside the policy's or the rule's effective window, or `where` false: `not_applicable`;
 * - `where` unknown: `unknown`;
 * - entitlements: condition true/false/unknown -> `eligible`/`ineligible`/`unknown`;
 * - obligations: condition true -> `compliant`; unknown -> `unknown`; false -> for `must`,
 *   `pending` while the as-of date is on or before the deadline, `violation` after it (or with
 *   no deadline); for `should`/`may`, `advisory`.
 */
import type { Lang } from '../model/diagnostics.js';
import { emptySummary, type EvaluationReport, type RuleResult, type Status, type Summary } from '../model/result.js';
import type { ConstValue, Policy, RuleInfo } from '../model/types.js';
import { valueString } from './value-text.js';
import { Compiler, UNKNOWN, type Compiled, type Frame } from '../compile/compile.js';
import type { Facts, Subject } from '../facts/facts.js';
import { StepBudget } from '../compile/budget.js';
import { compileExplainer, type Explained, type Explainer } from './explain.js';

/** Options of an evaluation. */
export interface EvaluateOptions {
  /** The as-of date, `YYYY-MM-DD`. */
  readonly asOf: string;
  /** Language of explanations (default zh). */
  readonly lang?: Lang;
  /** Parameter values that replace those in force (used by policy tests and what-if runs). */
  readonly paramOverrides?: Readonly<Record<string, ConstValue>>;
  /**
   * Whether results carry explanations and figures (default true). Without them a result is
   * the decision alone (`clausal eval --fields status`), about twice as fast to produce.
   */
  readonly explain?: boolean;
  /** Steps allowed per subject (default `DEFAULT_MAX_STEPS`); past it, E0100 is thrown as {@link EvaluationBudgetExceeded}. */
  readonly maxSteps?: number;
  /** Steps allowed per run (default `DEFAULT_MAX_RUN_STEPS`); past it, E0101. */
  readonly maxRunSteps?: number;
}

/** A rule compiled once into closures. */
export interface CompiledRule {
  readonly info: RuleInfo;
  readonly where?: Compiled;
  readonly condition: Compiled;
  readonly deadline?: Compiled;
  readonly explainer: Explainer;
  /** Position in {@link CompiledPolicy.rules}: indexes per-run tables. */
  readonly index: number;
}

/** A policy compiled once: its rules grouped by the subject kind they apply to. */
export interface CompiledPolicy {
  readonly policy: Policy;
  readonly rules: readonly CompiledRule[];
  readonly rulesByKind: ReadonlyMap<string, readonly CompiledRule[]>;
}

const compiledCache = new WeakMap<Policy, CompiledPolicy>();

/** Compiles a checked policy (cached per policy object). */
export function compilePolicy(policy: Policy): CompiledPolicy {
  const cached = compiledCache.get(policy);
  if (cached) return cached;
  const compiler = new Compiler(policy);
  const rules = policy.rules.map((info, index): CompiledRule => ({
    info,
    where: info.where ? compiler.compile(info.where) : undefined,
    condition: compiler.compile(info.condition),
    deadline: info.deadline ? compiler.compile(info.deadline) : undefined,
    explainer: compileExplainer(policy, info, compiler),
    index,
  }));
  const rulesByKind = new Map<string, CompiledRule[]>();
  for (const r of rules) {
    const list = rulesByKind.get(r.info.kind) ?? [];
    list.push(r);
    rulesByKind.set(r.info.kind, list);
  }
  const out = { policy, rules, rulesByKind };
  compiledCache.set(policy, out);
  return out;
}

/** The value of every parameter in force on `asOf` (UNKNOWN where none is). */
export function paramsAsOf(policy: Policy, asOf: string, overrides: Readonly<Record<string, ConstValue>> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const p of policy.params.values()) {
    let value: unknown = UNKNOWN;
    for (const v of p.history) if (v.from === undefined || v.from <= asOf) value = v.value;
    out[p.name] = value;
  }
  for (const [name, value] of Object.entries(overrides)) if (policy.params.has(name)) out[name] = value;
  return out;
}

/** Evaluation context shared by all subjects of one run. */
export interface RunContext {
  readonly compiled: CompiledPolicy;
  readonly asOf: string;
  readonly lang: Lang;
  readonly params: Readonly<Record<string, unknown>>;
  readonly inForce: boolean;
  /** Whether decisions are explained ({@link EvaluateOptions.explain}). */
  readonly explain: boolean;
  /** One reusable frame per rule: a run decides millions of (subject, rule) pairs. */
  readonly frames: Map<CompiledRule, Frame>;
  /** The same frames by rule index (an array read, not a map lookup, per decision). */
  readonly frameByIndex: (Frame | undefined)[];
  /** Whether each rule (by index) is in force on the as-of date. */
  readonly inWindow: readonly boolean[];
  /** The deadline in force found by the last `decideStatus` (`YYYY-MM-DD`), or null. */
  due: string | null;
  /** The value a value rule computed in the last `decideStatus` (exact number or date). */
  value: unknown;
  /** Steps left for the current subject and the run. */
  readonly budget: StepBudget;
}

const NONE: readonly never[] = Object.freeze([]);
const UNEXPLAINED: Explained = Object.freeze({ text: '', figures: NONE });

/** Prepares a run: compiles (cached) and resolves parameters for the date. */
export function prepareRun(policy: Policy, options: EvaluateOptions): RunContext {
  const asOf = options.asOf;
  const inForce = (!policy.effectiveFrom || policy.effectiveFrom <= asOf) && (!policy.effectiveUntil || asOf <= policy.effectiveUntil);
  const compiled = compilePolicy(policy);
  const inWindow = compiled.rules.map(({ info }) => inForce && (!info.from || info.from <= asOf) && (!info.until || asOf <= info.until));
  return { compiled, asOf, lang: options.lang ?? 'zh', params: paramsAsOf(policy, asOf, options.paramOverrides), inForce, explain: options.explain ?? true, frames: new Map(), frameByIndex: [], inWindow, due: null, value: undefined, budget: new StepBudget(options.maxSteps, options.maxRunSteps) };
}

/** The rule's reusable frame in this run. */
export function frameOf(ctx: RunContext, rule: CompiledRule): Frame {
  let frame = ctx.frameByIndex[rule.index];
  if (frame === undefined || ctx.compiled.rules[rule.index] !== rule) {
    frame = ctx.frames.get(rule);
    if (!frame) {
      frame = { slots: new Array<unknown>(Math.max(1, rule.info.slots)), asOf: ctx.asOf, params: ctx.params, missing: [], errors: [], budget: ctx.budget };
      ctx.frames.set(rule, frame);
    }
    if (ctx.compiled.rules[rule.index] === rule) ctx.frameByIndex[rule.index] = frame;
  }
  return frame;
}

/**
 * Decides the status of one rule for one subject, without explaining it: the hot path of
 * every evaluation. The deadline in force is left in `ctx.due`; the facts read but missing are
 * in the rule's frame ({@link frameOf}) until the next decision of the same rule.
 */
export function decideStatus(ctx: RunContext, rule: CompiledRule, subject: Subject): Status {
  const info = rule.info;
  const frame = frameOf(ctx, rule);
  if (frame.missing.length !== 0) frame.missing.length = 0;
  if (frame.errors.length !== 0) frame.errors.length = 0;
  frame.slots[0] = subject;
  ctx.due = null;
  ctx.budget.enter(info.id, subject);
  const inWindow = ctx.compiled.rules[rule.index] === rule ? ctx.inWindow[rule.index] : ctx.inForce && (!info.from || info.from <= ctx.asOf) && (!info.until || ctx.asOf <= info.until);
  if (!inWindow) return 'not_applicable';
  if (rule.where) {
    const applies = rule.where(frame);
    if (applies === UNKNOWN) return 'unknown';
    if (applies !== true) return 'not_applicable';
  }
  const holds = rule.condition(frame);
  if (info.type === 'value') {
    // A value rule: the "condition" is the value. `none` (an excluded or absent value) is no
    // value at all, so the rule does not apply.
    ctx.value = holds;
    return holds === UNKNOWN ? 'unknown' : holds === null ? 'not_applicable' : 'computed';
  }
  let due: string | null = null;
  if (rule.deadline) {
    const d = rule.deadline(frame);
    if (typeof d === 'string') due = d;
    ctx.due = due;
  }
  if (holds === UNKNOWN) return 'unknown';
  if (info.type === 'entitlement') return holds === true ? 'eligible' : 'ineligible';
  if (holds === true) return 'compliant';
  if (info.modality !== 'must') return 'advisory';
  // The deadline itself is unknown (an unset date parameter): so is the status.
  if (rule.deadline && due === null) return 'unknown';
  return due !== null && ctx.asOf <= due ? 'pending' : 'violation';
}

/** The missing facts of the last decision of `rule` (deduplicated, reading order); empty unless unknown. */
export function missingOf(ctx: RunContext, rule: CompiledRule, status: Status): readonly string[] {
  if (status !== 'unknown') return NONE;
  const m = frameOf(ctx, rule).missing;
  return m.length === 0 ? NONE : m.length === 1 ? [m[0]] : [...new Set(m)];
}

/** Decides one rule for one subject, with its explanation. */
export function decide(ctx: RunContext, rule: CompiledRule, subject: Subject): RuleResult {
  const info = rule.info;
  const status = decideStatus(ctx, rule, subject);
  const due = ctx.due;
  const frame = frameOf(ctx, rule);
  const missing = missingOf(ctx, rule, status);
  const errors = status === 'unknown' && frame.errors.length ? [...new Set(frame.errors)] : NONE;
  const explained = ctx.explain ? rule.explainer(ctx, subject, status, due, missing, errors) : UNEXPLAINED;
  const result: RuleResult = {
    subject: subject.ref,
    rule: info.id,
    cite: info.cite,
    modality: info.modality,
    status,
    due: info.deadline ? due : null,
    missing,
    explanation: explained.text,
    title: (ctx.lang === 'en' ? info.title?.en : undefined) ?? info.title?.zh ?? info.id,
    figures: explained.figures,
    ...(status === 'computed' ? { value: valueString(ctx.value, info), unit: info.value?.unit ?? null } : {}),
    ...(explained.shortfall !== undefined ? { shortfall: explained.shortfall, shortfallUnit: explained.shortfallUnit ?? null } : {}),
  };
  return result;
}

/**
 * Every result in contract order, produced lazily: a consumer that streams them out (NDJSON,
 * JSON) holds one at a time, so memory does not grow with the number of results.
 */
export function evaluateLazily(policy: Policy, facts: Facts, options: EvaluateOptions, summary?: Summary): Generator<RuleResult> {
  return evaluateSubjects(prepareRun(policy, options), facts.subjects, summary);
}

/**
 * Every result for `subjects` in a prepared run, in contract order: for facts that arrive in
 * parts (streamed NDJSON, one worker thread's share), all decided in one run.
 */
export function* evaluateSubjects(ctx: RunContext, subjects: Iterable<Subject>, summary?: Summary): Generator<RuleResult> {
  for (const subject of subjects) {
    const rules = ctx.compiled.rulesByKind.get(subject.kind);
    if (!rules) continue;
    for (const rule of rules) {
      const r = decide(ctx, rule, subject);
      if (summary) summary[r.status]++;
      yield r;
    }
  }
}

/** Calls `onResult` for every subject and rule, in contract order, without collecting them. */
export function evaluateEach(policy: Policy, facts: Facts, options: EvaluateOptions, onResult: (r: RuleResult) => void): void {
  const ctx = prepareRun(policy, options);
  for (const subject of facts.subjects) {
    const rules = ctx.compiled.rulesByKind.get(subject.kind);
    if (!rules) continue;
    for (const rule of rules) onResult(decide(ctx, rule, subject));
  }
}

/** Evaluates every rule on every subject of its kind. */
export function evaluate(policy: Policy, facts: Facts, options: EvaluateOptions): EvaluationReport {
  const results: RuleResult[] = [];
  const summary = emptySummary();
  evaluateEach(policy, facts, options, (r) => {
    results.push(r);
    summary[r.status]++;
  });
  return {
    policy: { id: policy.id, version: policy.version, title: policy.title?.zh },
    asOf: options.asOf,
    results,
    summary,
  };
}
