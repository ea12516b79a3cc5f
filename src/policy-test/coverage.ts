/**
 * Rule and branch coverage of policy tests: which rules the checks exercise, and which
 * branches of each rule.
 *
 * A rule has up to four branches, read off the status each check actually got:
 *
 * | branch           | statuses                                      |
 * |------------------|-----------------------------------------------|
 * | `not_applicable` | not_applicable (its `where` is false)         |
 * | `met`            | compliant, eligible                           |
 * | `unmet`          | violation, pending, advisory, ineligible      |
 * | `unknown`        | unknown                                       |
 *
 * A rule without `where` has no `not_applicable` branch (state `none`, not counted). A branch
 * that no facts can reach is `impossible`, with the reason, and is not counted either: the
 * report says so instead of asking for a test that cannot be written. Impossibility is
 * decided conservatively from the rule's typed expressions (see {@link mayBeUnknown}); a
 * branch not proven impossible is counted.
 *
 * Only checked results count: a result the case computed but no check looked at proves
 * nothing about the rule.
 */
import type { MessageTemplate } from '../model/diagnostics.js';
import type { Status } from '../model/result.js';
import { isNum, isZero } from '../model/rational.js';
import type { Policy, RuleInfo, TExpr } from '../model/types.js';
import type { Observation } from './runner.js';
import type { IfSite } from './if-coverage.js';

/** The branches of a rule, in report order. */
export type BranchName = 'not_applicable' | 'met' | 'unmet' | 'unknown';

/** Every branch name, in report order. */
export const BRANCHES: readonly BranchName[] = ['not_applicable', 'met', 'unmet', 'unknown'];

/** `covered` by a check; `missed`; `impossible` for any facts; `none`: not a branch of the rule. */
export type BranchState = 'covered' | 'missed' | 'impossible' | 'none';

/** One branch of one rule. */
export interface BranchCoverage {
  readonly branch: BranchName;
  readonly state: BranchState;
  /** How many checks took this branch. */
  readonly checks: number;
  /** Why the branch is impossible or not a branch. */
  readonly reason?: MessageTemplate;
}

/** Coverage of one rule. */
export interface RuleCoverage {
  readonly rule: string;
  readonly cite: string;
  readonly kind: string;
  /** How many checks looked at this rule. */
  readonly checks: number;
  readonly branches: readonly BranchCoverage[];
}

/** A covered/total ratio. */
export interface Ratio {
  readonly covered: number;
  readonly total: number;
  /** Percentage with one decimal (100 when there is nothing to cover). */
  readonly percent: number;
}

/** The whole coverage report. */
export interface Coverage {
  /**
   * Which rules are counted: `own`, the rules the policy's own files declare (the default for
   * an extending policy, whose tests are about what it adds), or `all`, inherited ones too.
   */
  readonly scope: 'own' | 'all';
  /** Inherited rules left out of the counts (0 with scope `all` or without `extends`). */
  readonly inheritedRules: number;
  readonly rules: Ratio;
  /** Counted branches; `impossible` says how many were left out as impossible. */
  readonly branches: Ratio & { readonly impossible: number };
  readonly byRule: readonly RuleCoverage[];
  /**
   * Arms of every `if` (two per `if`; an `else if` chain of n conditions has n + 1 arms, each
   * `else if` being the `else` of the one before): covered when a checked result took it.
   * Present when the run tracked them and the policy has an `if`.
   */
  readonly ifs?: Ratio & { readonly sites: readonly IfSite[] };
}

/** The branch a status comes from. */
export function branchOf(status: Status): BranchName {
  switch (status) {
    case 'not_applicable': return 'not_applicable';
    case 'compliant':
    case 'eligible': return 'met';
    case 'violation':
    case 'pending':
    case 'advisory':
    case 'ineligible': return 'unmet';
    case 'unknown': return 'unknown';
    // A computed value is the rule's "met" outcome: it was decided from the facts.
    case 'computed': return 'met';
  }
}

function ratio(covered: number, total: number): Ratio {
  return { covered, total, percent: total === 0 ? 100 : Math.floor((covered * 1000) / total) / 10 };
}

/**
 * Whether evaluating `x` can give UNKNOWN for some facts. Conservative: true unless every
 * input is known by construction. A subject's `id` is always present; any other declared
 * fact may be absent; a parameter is unknown where no value is in force while the policy is;
 * a division may divide by zero.
 */
export function mayBeUnknown(x: TExpr, policy: Policy): boolean {
  switch (x.op) {
    case 'const':
    case 'today':
    case 'var':
      return false;
    case 'param': {
      const p = policy.params.get(x.name);
      if (!p || p.history.length === 0) return true;
      const first = p.history[0].from;
      return first !== undefined && (policy.effectiveFrom === undefined || first > policy.effectiveFrom);
    }
    case 'field':
      return x.path !== 'id' || mayBeUnknown(x.target, policy);
    case 'relation':
      return mayBeUnknown(x.target, policy);
    case 'call':
    case 'table':
      return x.args.some((a) => mayBeUnknown(a, policy));
    case 'set':
      return x.items.some((a) => mayBeUnknown(a, policy));
    case 'not':
    case 'neg':
      return mayBeUnknown(x.operand, policy);
    case 'binary': {
      const divides = x.bop === '/' && !(x.right.op === 'const' && isNum(x.right.value) && !isZero(x.right.value));
      return divides || mayBeUnknown(x.left, policy) || mayBeUnknown(x.right, policy);
    }
    case 'aggregate':
      return mayBeUnknown(x.source, policy) || (!!x.where && mayBeUnknown(x.where, policy)) || (!!x.body && mayBeUnknown(x.body, policy));
    case 'if':
      return mayBeUnknown(x.condition, policy) || mayBeUnknown(x.then, policy) || mayBeUnknown(x.otherwise, policy);
    case 'def': {
      if (x.args.some((a) => mayBeUnknown(a, policy))) return true;
      // A shared body is met once per call: remember its answer, or nested calls cost 2^depth.
      let body = bodiesMayBeUnknown.get(x.body);
      if (body === undefined) bodiesMayBeUnknown.set(x.body, (body = mayBeUnknown(x.body, policy)));
      return body;
    }
  }
}

// Keyed by the shared body; a body belongs to one checked policy, so the answer is fixed.
const bodiesMayBeUnknown = new WeakMap<TExpr, boolean>();

function constantBool(x: TExpr | undefined): boolean | undefined {
  return x?.op === 'const' && typeof x.value === 'boolean' ? x.value : undefined;
}

/** Which branches a rule has and which of them no facts can reach, before any test runs. */
function possibleBranches(rule: RuleInfo, policy: Policy): Map<BranchName, { state: 'none' | 'impossible'; reason: MessageTemplate }> {
  const out = new Map<BranchName, { state: 'none' | 'impossible'; reason: MessageTemplate }>();
  if (!rule.where) {
    out.set('not_applicable', { state: 'none', reason: { zh: '规则没有适用条件（where）', en: 'the rule has no `where`' } });
  } else if (constantBool(rule.where) === true) {
    out.set('not_applicable', { state: 'impossible', reason: { zh: '适用条件恒为真', en: '`where` is always true' } });
  }
  if (rule.type === 'value') out.set('unmet', { state: 'none', reason: { zh: '值规则只有“已计算”与“信息不全”', en: 'a value rule is computed or unknown, never unmet' } });
  const condition = constantBool(rule.condition);
  if (condition === true) out.set('unmet', { state: 'impossible', reason: { zh: '要求恒为真', en: 'the requirement is always true' } });
  if (condition === false) out.set('met', { state: 'impossible', reason: { zh: '要求恒为假', en: 'the requirement is always false' } });
  const reads = [rule.where, rule.condition, rule.type === 'obligation' && rule.modality === 'must' ? rule.deadline : undefined];
  if (!reads.some((x) => x && mayBeUnknown(x, policy))) {
    out.set('unknown', {
      state: 'impossible',
      reason: { zh: '适用条件与要求不读取可能缺失的事实或未设定的参数', en: 'neither `where` nor the requirement reads a fact that can be absent or an unset parameter' },
    });
  }
  return out;
}

/** Options of {@link computeCoverage}. */
export interface CoverageOptions {
  /** Count the rules an extending policy inherits too (default: only its own). */
  readonly inherited?: boolean;
}

/** Computes coverage from the checks' observations. */
export function computeCoverage(policy: Policy, observations: readonly Observation[], ifSites?: ReadonlyMap<string, IfSite>, options: CoverageOptions = {}): Coverage {
  const all = options.inherited === true;
  // A rule declared by the base policy has the base's id: an extension's tests need not cover it.
  const counted = all ? policy.rules : policy.rules.filter((r) => r.declaredIn === policy.id);
  const countedIds = new Set(counted.map((r) => r.id));
  const taken = new Map<string, Map<BranchName, number>>();
  const checks = new Map<string, number>();
  for (const o of observations) {
    checks.set(o.rule, (checks.get(o.rule) ?? 0) + 1);
    const m = taken.get(o.rule) ?? new Map<BranchName, number>();
    const b = branchOf(o.status);
    m.set(b, (m.get(b) ?? 0) + 1);
    taken.set(o.rule, m);
  }
  let coveredRules = 0;
  let coveredBranches = 0;
  let totalBranches = 0;
  let impossible = 0;
  const byRule = counted.map((rule): RuleCoverage => {
    const n = checks.get(rule.id) ?? 0;
    if (n > 0) coveredRules++;
    const special = possibleBranches(rule, policy);
    const branches = BRANCHES.map((branch): BranchCoverage => {
      const count = taken.get(rule.id)?.get(branch) ?? 0;
      const s = special.get(branch);
      if (s) {
        if (s.state === 'impossible') impossible++;
        return { branch, state: s.state, checks: count, reason: s.reason };
      }
      totalBranches++;
      if (count > 0) coveredBranches++;
      return { branch, state: count > 0 ? 'covered' : 'missed', checks: count };
    });
    return { rule: rule.id, cite: rule.cite, kind: rule.kind, checks: n, branches };
  });
  const sites = ifSites ? [...ifSites.values()].filter((s) => s.rules.some((r) => countedIds.has(r))) : undefined;
  const arms = sites?.reduce((n, s) => n + (s.then > 0 ? 1 : 0) + (s.else > 0 ? 1 : 0), 0) ?? 0;
  return {
    scope: all ? 'all' : 'own',
    inheritedRules: policy.rules.length - counted.length,
    rules: ratio(coveredRules, counted.length),
    branches: { ...ratio(coveredBranches, totalBranches), impossible },
    byRule,
    ...(sites && sites.length > 0 ? { ifs: { ...ratio(arms, sites.length * 2), sites } } : {}),
  };
}
