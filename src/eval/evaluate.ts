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
import { Compiler, UNKNOWN, type Compiled, type Frame } from '../compile/compile.js';
import type { Facts, Subject } from '../facts/facts.js';
import { compileExplainer, type Explainer } from './explain.js';

/** Options of an evaluation. */
export interface EvaluateOptions {
  /** The as-of date, `YYYY-MM-DD`. */
  readonly asOf: string;
  /** Language of explanations (default zh). */
  readonly lang?: Lang;
  /** Parameter values that replace those in force (used by policy tests and what-if runs). */
  readonly paramOverrides?: Readonly<Record<string, ConstValue>>;
}

/** A rule compiled once into closures. */
export interface CompiledRule {
  readonly info: RuleInfo;
  readonly where?: Compiled;
  readonly condition: Compiled;
  readonly deadline?: Compiled;
  readonly explainer: Explainer;
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
  const rules = policy.rules.map((info): CompiledRule => ({
    info,
    where: info.where ? compiler.compile(info.where) : undefined,
    condition: compiler.compile(info.condition),
    deadline: info.deadline ? compiler.compile(info.deadline) : undefined,
    explainer: compileExplainer(policy, info, compiler),
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
  /** One reusable frame per rule: a run decides millions of (subject, rule) pairs. */
  readonly frames: Map<CompiledRule, Frame>;
}

const NONE: readonly never[] = Object.freeze([]);

/** Prepares a run: compiles (cached) and resolves parameters for the date. */
export function prepareRun(policy: Policy, options: EvaluateOptions): RunContext {
  const asOf = options.asOf;
  const inForce = (!policy.effectiveFrom || policy.effectiveFrom <= asOf) && (!policy.effectiveUntil || asOf <= policy.effectiveUntil);
  return { compiled: compilePolicy(policy), asOf, lang: options.lang ?? 'zh', params: paramsAsOf(policy, asOf, options.paramOverrides), inForce, frames: new Map() };
}

/** Decides one rule for one subject. */
export function decide(ctx: RunContext, rule: CompiledRule, subject: Subject): RuleResult {
  const info = rule.info;
  let frame = ctx.frames.get(rule);
  if (!frame) {
    frame = { slots: new Array<unknown>(Math.max(1, info.slots)), asOf: ctx.asOf, params: ctx.params, missing: [], errors: [] };
    ctx.frames.set(rule, frame);
  }
  frame.missing.length = 0;
  frame.errors.length = 0;
  frame.slots[0] = subject;
  const inWindow = ctx.inForce && (!info.from || info.from <= ctx.asOf) && (!info.until || ctx.asOf <= info.until);
  let status: Status;
  let due: string | null = null;
  if (!inWindow) {
    status = 'not_applicable';
  } else {
    const applies = rule.where ? rule.where(frame) : true;
    if (applies === UNKNOWN) status = 'unknown';
    else if (applies !== true) status = 'not_applicable';
    else {
      const holds = rule.condition(frame);
      if (rule.deadline) {
        const d = rule.deadline(frame);
        if (typeof d === 'string') due = d;
      }
      if (holds === UNKNOWN) status = 'unknown';
      else if (info.type === 'entitlement') status = holds === true ? 'eligible' : 'ineligible';
      else if (holds === true) status = 'compliant';
      else if (info.modality !== 'must') status = 'advisory';
      else if (rule.deadline && due === null) {
        // The deadline itself is unknown (an unset date parameter): so is the status.
        status = 'unknown';
      } else status = due !== null && ctx.asOf <= due ? 'pending' : 'violation';
    }
  }
  const missing = status === 'unknown' ? [...new Set(frame.missing)] : NONE;
  const errors = status === 'unknown' ? [...new Set(frame.errors)] : NONE;
  const explained = rule.explainer(ctx, subject, status, due, missing, errors);
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
    ...(explained.shortfall !== undefined ? { shortfall: explained.shortfall } : {}),
  };
  return result;
}

/**
 * Every result in contract order, produced lazily: a consumer that streams them out (NDJSON,
 * JSON) holds one at a time, so memory does not grow with the number of results.
 */
export function* evaluateLazily(policy: Policy, facts: Facts, options: EvaluateOptions, summary?: Summary): Generator<RuleResult> {
  const ctx = prepareRun(policy, options);
  for (const subject of facts.subjects) {
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
