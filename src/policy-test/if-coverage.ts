/**
 * Branch coverage of conditionals: which arms of every `if … then … else` (and so of every
 * `else if` chain: each `else if` is the `else` arm of the `if` before it) the checks of
 * `clausal test` took. A test suite that never pays the capped amount or never withholds an
 * allowance leaves that clause of the text untested, however many checks pass.
 *
 * Each checked (subject, rule) is decided again by closures compiled with a branch hook (see
 * {@link Compiler}); the ordinary evaluator carries no hook. As for rule branches, only checked
 * results count. An `if` is identified by its place in the source, so the copies of a small
 * definition inlined into several rules are one `if`, covered by whichever rule took it.
 */
import { Compiler, type Compiled, type Frame } from '../compile/compile.js';
import { texprText } from '../compile/describe.js';
import { paramsAsOf } from '../eval/evaluate.js';
import { subExpressions } from '../eval/def-reads.js';
import type { SubjectRef } from '../model/result.js';
import type { Policy, RuleInfo, TExpr } from '../model/types.js';
import type { Span } from '../model/span.js';
import type { TestCase } from './parse-tests.js';

type IfExpr = Extract<TExpr, { op: 'if' }>;

/** The two arms of an `if`. */
export type IfArm = 'then' | 'else';

/** One `if` of the policy and how often each arm was taken. */
export interface IfSite {
  /** The whole `if` expression in its rule file. */
  readonly span: Span;
  /** Where each arm's expression starts, for "not covered" messages. */
  readonly arms: Readonly<Record<IfArm, Span>>;
  /** The condition, as text (`w.qualification == senior`). */
  readonly condition: string;
  /** Rules whose evaluation can reach it, in policy order. */
  readonly rules: readonly string[];
  /** Times the `then` arm was taken by checked results. */
  then: number;
  /** Times the `else` arm was taken. */
  else: number;
}

function siteKey(s: Span): string {
  return `${s.file}\u0000${s.start}`;
}

/** Every `if` the rules can reach (through shared definition bodies too), in source order. */
export function ifSitesOf(policy: Policy): Map<string, IfSite> {
  const sites = new Map<string, IfSite>();
  for (const rule of policy.rules) {
    const seen = new Set<TExpr>();
    const walk = (x: TExpr): void => {
      if (seen.has(x)) return;
      seen.add(x);
      if (x.op === 'if') {
        const key = siteKey(x.span);
        let site = sites.get(key);
        if (!site) sites.set(key, (site = { span: x.span, arms: { then: x.then.span, else: x.otherwise.span }, condition: texprText(x.condition), rules: [], then: 0, else: 0 }));
        if (!site.rules.includes(rule.id)) (site.rules as string[]).push(rule.id);
      }
      if (x.op === 'def') walk(x.body);
      for (const c of subExpressions(x)) walk(c);
    };
    for (const x of [rule.where, rule.condition, rule.deadline]) if (x) walk(x);
  }
  return new Map([...sites].sort(([, a], [, b]) => a.span.file.localeCompare(b.span.file, 'en') || a.span.start - b.span.start));
}

/** Re-decides checked results with the branch hook and counts the arms taken. */
export class IfBranchTracker {
  /** Every `if` of the policy, by place. */
  readonly sites: Map<string, IfSite>;
  private readonly compiled = new Map<RuleInfo, { where?: Compiled; condition: Compiled; deadline?: Compiled }>();
  private readonly compiler: Compiler;
  private readonly rules: Map<string, RuleInfo>;
  private params: Readonly<Record<string, unknown>> = {};
  private asOf = '';
  private currentCase: TestCase | undefined;

  constructor(private readonly policy: Policy) {
    this.sites = ifSitesOf(policy);
    this.rules = new Map(policy.rules.map((r) => [r.id, r]));
    this.compiler = new Compiler(policy, (x: IfExpr, then: boolean) => {
      const site = this.sites.get(siteKey(x.span));
      if (site) site[then ? 'then' : 'else']++;
    });
  }

  /** Takes one checked (subject, rule) of a case into account. */
  observe(c: TestCase, subject: SubjectRef, ruleId: string): void {
    if (this.sites.size === 0) return;
    const rule = this.rules.get(ruleId);
    const s = c.facts.byKind.get(subject.kind)?.get(subject.id);
    if (!rule || !s) return;
    if (this.currentCase !== c) {
      // One parameter table per case: shared definition bodies remember their last call per
      // table, so a new case must not reuse the previous one's answers.
      this.currentCase = c;
      this.asOf = c.asOf;
      this.params = paramsAsOf(this.policy, c.asOf, c.params);
    }
    let fns = this.compiled.get(rule);
    if (!fns) {
      fns = {
        where: rule.where ? this.compiler.compile(rule.where) : undefined,
        condition: this.compiler.compile(rule.condition),
        deadline: rule.deadline ? this.compiler.compile(rule.deadline) : undefined,
      };
      this.compiled.set(rule, fns);
    }
    const frame: Frame = { slots: new Array<unknown>(Math.max(1, rule.slots)), asOf: this.asOf, params: this.params, missing: [], errors: [] };
    frame.slots[0] = s;
    // As the evaluator decides: the requirement only where the rule applies (or may apply).
    if (fns.where && fns.where(frame) === false) return;
    fns.condition(frame);
    fns.deadline?.(frame);
  }
}
