/**
 * Typed expressions -> nested closures. Each rule is compiled once; evaluating a subject
 * calls the closures with a frame, never re-walking the AST. Names, field paths, table keys
 * and constant sets are resolved here, at compile time. No user text ever becomes JavaScript
 * source, so the engine also runs under a browser's content-security policy.
 *
 * Values at run time: exact numbers ({@link Num}), strings (text, enum members, `YYYY-MM-DD`
 * dates), booleans, `null` (none: known absent), {@link UNKNOWN} (a fact or parameter is
 * missing), subjects, arrays (lists), Sets, durations. Logic is three-valued (Kleene).
 *
 * Speed: a province is millions of (subject, rule) pairs, so the closures are kept tight
 * (docs/performance.md): a field read from the rule's own variable reads the slot directly;
 * parameters are looked up once per run, not per call; membership in a named set is one
 * `Set.has`; comparisons of two integers take a fast path; `a >= p * b` compares by cross
 * multiplication without allocating the product; table lookups are memoised on their
 * argument values; subexpressions without facts or parameters are computed at compile time.
 */
import { assertNever } from '../model/ast.js';
import { addDuration, daysBetween, wholeYearsBetween } from '../model/dates.js';
import * as Q from '../model/rational.js';
import { isNumeric, type Duration, type Policy, type RelationInfo, type TExpr } from '../model/types.js';
import { tableKey } from '../check/checker.js';
import { texprText } from './describe.js';
import type { StepBudget } from './budget.js';
import type { FactRecord, Subject } from '../facts/facts.js';

/** The value of anything whose facts are missing. */
export const UNKNOWN: unique symbol = Symbol('unknown');

/** Evaluation state of one rule on one subject. */
export interface Frame {
  /** Variable slots: slot 0 is the rule's subject, the rest aggregate variables. */
  readonly slots: unknown[];
  /** The as-of date. */
  readonly asOf: string;
  /** Parameter values in force on the as-of date, by name; UNKNOWN when unset. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Missing facts read so far (paths), in reading order. */
  readonly missing: string[];
  /** Undefined arithmetic met (division by zero), as expression text. */
  readonly errors: string[];
  /** Steps left for this subject and run; absent: unbounded (explanations, constant folding). */
  readonly budget?: StepBudget;
}

/** A compiled expression. */
export type Compiled = (frame: Frame) => unknown;

function isSubject(v: unknown): v is Subject {
  return typeof v === 'object' && v !== null && (v as Subject).related !== undefined && (v as Subject).data !== undefined;
}

/** Equality across value kinds (exact for numbers). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Q.isNum(a) && Q.isNum(b)) return Q.compare(a, b) === 0;
  return false;
}

function toBool(v: unknown): boolean | typeof UNKNOWN {
  return v === UNKNOWN ? UNKNOWN : v === true;
}

function memberOf(v: unknown, collection: unknown): boolean {
  if (collection instanceof Set) {
    if (collection.has(v)) return true;
    if (v instanceof Q.Rational) for (const x of collection) if (valuesEqual(v, x)) return true;
    return false;
  }
  if (Array.isArray(collection)) return collection.some((x) => valuesEqual(v, x));
  return false;
}

/** Key of a memoised table result, one level below the last argument. */
const MEMO_VALUE = Symbol('value');

// INVARIANT: expressions are immutable, so whether a shared body is constant never changes.
const constantBodies = new WeakMap<TExpr, boolean>();

/**
 * Whether an expression reads nothing that varies: no facts, variables, parameters or dates.
 * Inside a shared definition body, its first `formals` slots (the formals) count as constant.
 */
function isConstant(x: TExpr, formals = 0): boolean {
  switch (x.op) {
    case 'const':
      return true;
    case 'var':
      return x.slot < formals;
    case 'set':
      return x.items.every((i) => isConstant(i, formals));
    case 'not':
    case 'neg':
      return isConstant(x.operand, formals);
    case 'binary':
      return isConstant(x.left, formals) && isConstant(x.right, formals);
    case 'call':
    case 'table':
      return x.args.every((a) => isConstant(a, formals));
    case 'def': {
      if (!x.args.every((a) => isConstant(a, formals))) return false;
      let body = constantBodies.get(x.body);
      if (body === undefined) constantBodies.set(x.body, (body = isConstant(x.body, x.args.length)));
      return body;
    }
    default:
      return false;
  }
}

/**
 * Prefix of a {@link Frame.errors} entry for a number outside the exact range, followed by the
 * expression's text; entries without it are divisions by zero.
 */
export const NUMBER_TOO_LARGE = 'number-too-large:';

/**
 * A result outside the exact range (see `rational.ts`): the value is unknown, and the reason,
 * with the expression, goes to the explanation. A run-level error would throw away every other
 * result of the run for one subject's arithmetic; `unknown` keeps them and says why.
 */
function tooLarge(f: Frame, x: TExpr): typeof UNKNOWN {
  f.errors.push(NUMBER_TOO_LARGE + texprText(x));
  return UNKNOWN;
}

/** The last call of a shared definition body: its arguments, value and what it reported. */
interface DefMemo {
  params: Readonly<Record<string, unknown>> | undefined;
  asOf: string;
  args: unknown[];
  value: unknown;
  missing: string[];
  errors: string[];
}

// INVARIANT: expressions are immutable, so their free slots never change.
const freeSlotMemo = new WeakMap<TExpr, ReadonlySet<number>>();

/** Frame slots an expression reads that it does not bind itself (a `def` body has its own frame). */
function freeSlots(x: TExpr): ReadonlySet<number> {
  const known = freeSlotMemo.get(x);
  if (known) return known;
  const out = new Set<number>();
  const add = (e: TExpr | undefined) => {
    if (e) for (const s of freeSlots(e)) out.add(s);
  };
  switch (x.op) {
    case 'var': out.add(x.slot); break;
    case 'field': case 'relation': add(x.target); break;
    case 'call': case 'table': case 'def': x.args.forEach(add); break;
    case 'set': x.items.forEach(add); break;
    case 'not': case 'neg': add(x.operand); break;
    case 'binary': add(x.left); add(x.right); break;
    case 'aggregate': {
      add(x.source);
      const inner = new Set<number>();
      for (const e of [x.where, x.body]) if (e) for (const s of freeSlots(e)) inner.add(s);
      inner.delete(x.slot);
      for (const s of inner) out.add(s);
      break;
    }
    default: break;
  }
  freeSlotMemo.set(x, out);
  return out;
}

/** The distinct entries of `list` from `start` on, in first-seen order. */
function distinctFrom(list: readonly string[], start: number): string[] {
  if (list.length - start <= 1) return list.slice(start);
  return [...new Set(list.slice(start))];
}

/** Same argument values: identical, or equal exact numbers (subjects by identity). */
function sameArgs(a: readonly unknown[], b: readonly unknown[], n: number): boolean {
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== y && !(x instanceof Q.Rational && y instanceof Q.Rational && x.n === y.n && x.d === y.d)) return false;
  }
  return true;
}

/**
 * `a` compared with `p * q` (-1, 0, 1), as `Q.compare(a, Q.mul(p, q))` gives it, but without
 * allocating the product when every cross product stays a safe integer.
 */
function compareToProduct(a: Q.Num, p: Q.Num, q: Q.Num): number {
  const pn = typeof p === 'number' ? p : p.n;
  const pd = typeof p === 'number' ? 1 : p.d;
  const qn = typeof q === 'number' ? q : q.n;
  const qd = typeof q === 'number' ? 1 : q.d;
  const an = typeof a === 'number' ? a : a.n;
  const ad = typeof a === 'number' ? 1 : a.d;
  if (Number.isSafeInteger(pn) && Number.isSafeInteger(qn) && Number.isSafeInteger(an)) {
    const n = pn * qn;
    const d = pd * qd;
    const left = an * d;
    const right = n * ad;
    if (Number.isSafeInteger(left) && Number.isSafeInteger(right)) return left < right ? -1 : left > right ? 1 : 0;
    // The comparison is exact even when the product itself leaves the exact range (70% of
    // 2^53 - 1 posts): cross products in BigInt, so the boundary never depends on a double.
    if (Number.isSafeInteger(ad) && Number.isSafeInteger(pd) && Number.isSafeInteger(qd)) {
      const bl = BigInt(an) * BigInt(pd) * BigInt(qd);
      const br = BigInt(pn) * BigInt(qn) * BigInt(ad);
      return bl < br ? -1 : bl > br ? 1 : 0;
    }
  }
  if (Q.isExact(a) && Q.isExact(p) && Q.isExact(q)) {
    // Exact whatever the size: the product of two exact numbers may leave the range, a
    // comparison with it need not.
    const l = BigInt(an) * BigInt(pd) * BigInt(qd);
    const r = BigInt(pn) * BigInt(qn) * BigInt(ad);
    return l < r ? -1 : l > r ? 1 : 0;
  }
  return Q.compare(a, Q.mul(p, q));
}

/** Subjects reachable through a relation, following it transitively when declared so. */
function related(subject: Subject, rel: RelationInfo): Subject[] {
  const direct = subject.related[rel.name] ?? [];
  if (!rel.transitive) return direct;
  const cacheKey = `${rel.name}*`;
  const cached = subject.related[cacheKey];
  if (cached) return cached;
  const out: Subject[] = [];
  const stack = [...direct].reverse();
  const seen = new Set<Subject>();
  while (stack.length) {
    const s = stack.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    out.push(s);
    const next = s.related[rel.name] ?? [];
    for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]);
  }
  subject.related[cacheKey] = out;
  return out;
}

/** Compiles typed expressions of one policy. */
export class Compiler {
  /** Slots of the aggregates whose loop body is being compiled, innermost last. */
  private loopSlots: number[] = [];

  /** Each shared definition body compiled once, called by every `def` node over it. */
  private readonly bodies = new Map<TExpr, { readonly fn: Compiled; readonly memo: DefMemo }>();

  /**
   * @param onBranch Told which branch every `if` takes (`true`: then, `false`: else; nothing
   * when the condition is unknown), for the branch coverage of `clausal test`. Without it the
   * closures carry no hook at all, and with it constants are not folded, so every `if` runs.
   */
  constructor(private readonly policy: Policy, private readonly onBranch?: (x: Extract<TExpr, { op: 'if' }>, then: boolean) => void) {}

  /** Compiles one expression. */
  compile(x: TExpr): Compiled {
    if (!this.onBranch && x.op !== 'const' && isConstant(x)) {
      // Hoisted: no facts, parameters or dates in it, so every call gives the same value.
      const fn = this.compileNode(x);
      const probe: Frame = { slots: [], asOf: '', params: {}, missing: [], errors: [] };
      const v = fn(probe);
      // A constant that fails (division by zero) keeps reporting it on each call.
      if (probe.errors.length === 0 && probe.missing.length === 0) return () => v;
      return fn;
    }
    return this.compileNode(x);
  }

  private compileNode(x: TExpr): Compiled {
    switch (x.op) {
      case 'const': {
        const v = x.value;
        return () => v;
      }
      case 'today':
        return (f) => f.asOf;
      case 'var': {
        const slot = x.slot;
        return (f) => f.slots[slot];
      }
      case 'param': {
        const name = x.name;
        const missing = `param ${name}`;
        // The parameters object is built once per run and never changed: look the name up
        // once per run (a prototype-less record is a hash table in V8, slow to read per call).
        let seen: Readonly<Record<string, unknown>> | undefined;
        let value: unknown;
        return (f) => {
          const p = f.params;
          if (p !== seen) {
            seen = p;
            value = p[name];
          }
          if (value === UNKNOWN) f.missing.push(missing);
          return value;
        };
      }
      case 'field':
        return this.field(x);
      case 'relation': {
        const target = this.compile(x.target);
        const rel = x.relation;
        return (f) => {
          const s = target(f);
          if (s === UNKNOWN) return UNKNOWN;
          if (!isSubject(s)) return null;
          return related(s, rel);
        };
      }
      case 'call':
        return this.call(x);
      case 'table': {
        const args = x.args.map((a) => this.compile(a));
        const rows = this.policy.tables.get(x.table)?.rows ?? new Map<string, unknown>();
        const lookup = (values: unknown[]): unknown => {
          if (values.includes(UNKNOWN)) return UNKNOWN;
          if (values.includes(null)) return null;
          const hit = rows.get(tableKey(values));
          return hit === undefined ? null : hit;
        };
        // Memoised on the argument values (strings and numbers: enum members, grades), one map
        // level per argument, so a lookup builds no key string. Other values take the slow path.
        const memo = new Map<unknown, unknown>();
        const n = args.length;
        // INVARIANT: a table call never runs inside itself, so one scratch array serves every call.
        const values = new Array<unknown>(n);
        return (f) => {
          let level: Map<unknown, unknown> | undefined = memo;
          for (let k = 0; k < n; k++) {
            const v = args[k](f);
            values[k] = v;
            if (level !== undefined && (typeof v === 'string' || typeof v === 'number')) level = level.get(v) as Map<unknown, unknown> | undefined;
            else level = undefined;
          }
          if (level !== undefined) {
            const hit = level.get(MEMO_VALUE);
            if (hit !== undefined) return hit;
          }
          const result = lookup(values);
          if (values.every((v) => typeof v === 'string' || typeof v === 'number')) {
            let at = memo;
            for (const v of values) {
              let next = at.get(v) as Map<unknown, unknown> | undefined;
              if (!next) at.set(v, (next = new Map()));
              at = next;
            }
            at.set(MEMO_VALUE, result);
          }
          return result;
        };
      }
      case 'set': {
        const items = x.items.map((i) => this.compile(i));
        return (f) => {
          const out = new Set<unknown>();
          for (const i of items) {
            const v = i(f);
            if (v === UNKNOWN) return UNKNOWN;
            out.add(v);
          }
          return out;
        };
      }
      case 'not': {
        const operand = this.compile(x.operand);
        return (f) => {
          const v = toBool(operand(f));
          return v === UNKNOWN ? UNKNOWN : !v;
        };
      }
      case 'neg': {
        const operand = this.compile(x.operand);
        return (f) => {
          const v = operand(f);
          if (v === UNKNOWN || v === null) return v;
          if (Q.isNum(v)) return Q.neg(v);
          const d = v as Duration;
          return { amount: -d.amount, unit: d.unit };
        };
      }
      case 'binary':
        return this.binary(x);
      case 'aggregate':
        return this.aggregate(x);
      case 'if':
        return this.ifExpr(x);
      case 'def':
        return this.def(x);
      default:
        return assertNever(x);
    }
  }

  /**
   * A call of a shared definition body: the body is compiled once; each call evaluates its
   * arguments into a fresh frame of the body's size. The value depends only on the arguments,
   * the parameters and the date (a body sees nothing else), so the last call's value is kept
   * per body and reused, with the facts it found missing, when the same arguments come again:
   * `d(x) + d(x) + d(x)` computes `d(x)` once, which makes definitions that call the previous
   * one several times per level linear instead of exponential.
   */
  private def(x: Extract<TExpr, { op: 'def' }>): Compiled {
    const args = x.args.map((a) => this.compile(a));
    let shared = this.bodies.get(x.body);
    if (!shared) {
      // A body runs in its own frame: loops around the call are not loops around the body.
      const outerLoops = this.loopSlots;
      this.loopSlots = [];
      const body = this.compile(x.body);
      this.loopSlots = outerLoops;
      shared = { fn: body, memo: { params: undefined, asOf: '', args: [], value: undefined, missing: [], errors: [] } };
      this.bodies.set(x.body, shared);
    }
    const { fn, memo } = shared;
    const n = args.length;
    const size = Math.max(1, x.slots);
    return (f) => {
      const slots = new Array<unknown>(size);
      for (let i = 0; i < n; i++) slots[i] = args[i](f);
      if (memo.params === f.params && memo.asOf === f.asOf && sameArgs(slots, memo.args, n)) {
        for (const m of memo.missing) f.missing.push(m);
        for (const e of memo.errors) f.errors.push(e);
        return memo.value;
      }
      const missingFrom = f.missing.length;
      const errorsFrom = f.errors.length;
      const budget = f.budget;
      if (budget !== undefined && --budget.left < 0) budget.exceeded();
      const value = fn({ slots, asOf: f.asOf, params: f.params, missing: f.missing, errors: f.errors, budget });
      memo.params = f.params;
      memo.asOf = f.asOf;
      memo.args = slots.slice(0, n);
      memo.value = value;
      // Deduplicated: replayed by each later call, repeats would double per level.
      memo.missing = distinctFrom(f.missing, missingFrom);
      memo.errors = distinctFrom(f.errors, errorsFrom);
      return value;
    };
  }

  private field(x: Extract<TExpr, { op: 'field' }>): Compiled {
    const path = x.path;
    const segments = path.split('.');
    if (x.target.op === 'var' && segments.length <= 2) {
      // The common case, `i.posts.social_work`: the subject is in a slot, read it directly.
      // INVARIANT: a slot a field is read from holds a Subject, null or UNKNOWN (type-checked).
      const slot = x.target.slot;
      if (segments.length === 1) {
        return (f) => {
          const s = f.slots[slot] as Subject | null | typeof UNKNOWN;
          if (s === UNKNOWN) return UNKNOWN;
          if (s === null || typeof s !== 'object' || s.data === undefined) return null;
          const v = s.data[path];
          if (v === undefined) {
            f.missing.push(`${s.path}.${path}`);
            return UNKNOWN;
          }
          return v;
        };
      }
      const [outer, inner] = segments;
      return (f) => {
        const s = f.slots[slot] as Subject | null | typeof UNKNOWN;
        if (s === UNKNOWN) return UNKNOWN;
        if (s === null || typeof s !== 'object' || s.data === undefined) return null;
        const group = s.data[outer] as FactRecord | null | undefined;
        if (group === null) return null;
        const v = group === undefined ? undefined : group[inner];
        if (v === undefined) {
          f.missing.push(`${s.path}.${path}`);
          return UNKNOWN;
        }
        return v;
      };
    }
    const target = this.compile(x.target);
    if (segments.length === 1) {
      return (f) => {
        const s = target(f);
        if (s === UNKNOWN) return UNKNOWN;
        if (!isSubject(s)) return null;
        const v = s.data[path];
        if (v === undefined) {
          f.missing.push(`${s.path}.${path}`);
          return UNKNOWN;
        }
        return v;
      };
    }
    return (f) => {
      const s = target(f);
      if (s === UNKNOWN) return UNKNOWN;
      if (!isSubject(s)) return null;
      let cur: unknown = s.data;
      for (const seg of segments) {
        if (cur === null) return null;
        cur = (cur as FactRecord)[seg];
        if (cur === undefined) {
          f.missing.push(`${s.path}.${path}`);
          return UNKNOWN;
        }
      }
      return cur;
    };
  }

  /**
   * `if c then a else b`, three-valued: `none` is false; an unknown condition gives the
   * branches' common value when both are known and equal, and unknown otherwise, with only
   * what the condition read as missing (the branches were read for the comparison alone).
   */
  private ifExpr(x: Extract<TExpr, { op: 'if' }>): Compiled {
    const condition = this.compile(x.condition);
    const a = this.compile(x.then);
    const b = this.compile(x.otherwise);
    const hook = this.onBranch;
    // The hook is wrapped around the condition here, once: ordinary closures never test for it.
    const c: Compiled = hook
      ? (f) => {
          const v = condition(f);
          if (v !== UNKNOWN) hook(x, v === true);
          return v;
        }
      : condition;
    return (f) => {
      const v = c(f);
      if (v === true) return a(f);
      if (v !== UNKNOWN) return b(f);
      const mark = f.missing.length;
      const errors = f.errors.length;
      const left = a(f);
      const right = b(f);
      f.missing.length = mark;
      f.errors.length = errors;
      return left !== UNKNOWN && right !== UNKNOWN && valuesEqual(left, right) ? left : UNKNOWN;
    };
  }

  private call(x: Extract<TExpr, { op: 'call' }>): Compiled {
    const args = x.args.map((a) => this.compile(a));
    const [a0, a1] = args;
    const numeric = (fn: (n: Q.Num) => unknown): Compiled => (f) => {
      const v = a0(f);
      if (v === UNKNOWN || v === null) return v;
      return fn(v as Q.Num);
    };
    switch (x.fn) {
      case 'has':
        return (f) => {
          const v = a0(f);
          if (v === UNKNOWN) return UNKNOWN;
          return v !== null;
        };
      case 'ceil':
      case 'floor':
      case 'round':
      case 'round_half_even': {
        const whole = x.fn === 'ceil' ? Q.ceil : x.fn === 'floor' ? Q.floor : x.fn === 'round' ? Q.round : Q.roundHalfEven;
        if (!a1) return numeric(whole);
        // `round(x, step)`: the nearest whole multiple of the step, exactly.
        return (f) => {
          const v = a0(f);
          const step = a1(f);
          if (v === UNKNOWN || step === UNKNOWN) return UNKNOWN;
          if (v === null || step === null) return null;
          const q = Q.div(v as Q.Num, step as Q.Num);
          if (q === undefined || Q.compare(step as Q.Num, 0) <= 0) {
            f.errors.push(texprText(x));
            return UNKNOWN;
          }
          return Q.mul(whole(q), step as Q.Num);
        };
      }
      case 'abs': return numeric((n) => (Q.compare(n, 0) < 0 ? Q.neg(n) : n));
      case 'percent': return numeric((n) => n);
      case 'min':
      case 'max': {
        const sign = x.fn === 'min' ? -1 : 1;
        return (f) => {
          let best: unknown;
          let unknown = false;
          for (const a of args) {
            const v = a(f);
            if (v === UNKNOWN) unknown = true;
            else if (v !== null && (best === undefined || Q.compare(v as Q.Num, best as Q.Num) * sign > 0)) best = v;
          }
          return unknown ? UNKNOWN : best ?? null;
        };
      }
      case 'years_between':
      case 'days_between': {
        const between = x.fn === 'years_between' ? wholeYearsBetween : daysBetween;
        return (f) => {
          const from = a0(f);
          const to = a1(f);
          if (from === UNKNOWN || to === UNKNOWN) return UNKNOWN;
          if (from === null || to === null) return null;
          return between(from as string, to as string);
        };
      }
      case 'size':
        return (f) => {
          const v = a0(f);
          if (v === UNKNOWN || v === null) return v;
          return v instanceof Set ? v.size : (v as unknown[]).length;
        };
      default:
        return assertNever(x.fn);
    }
  }

  private binary(x: Extract<TExpr, { op: 'binary' }>): Compiled {
    const l = this.compile(x.left);
    const r = this.compile(x.right);
    // Text only when a division fails: computed eagerly, it made compiling a long chain cubic.
    switch (x.bop) {
      case 'and':
        return (f) => {
          const a = toBool(l(f));
          if (a === false) return false;
          const b = toBool(r(f));
          if (b === false) return false;
          return a === UNKNOWN || b === UNKNOWN ? UNKNOWN : true;
        };
      case 'or':
        return (f) => {
          const a = toBool(l(f));
          if (a === true) return true;
          const b = toBool(r(f));
          if (b === true) return true;
          return a === UNKNOWN || b === UNKNOWN ? UNKNOWN : false;
        };
      case '==':
      case '!=': {
        const negate = x.bop === '!=';
        return (f) => {
          const a = l(f);
          const b = r(f);
          if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
          return valuesEqual(a, b) !== negate;
        };
      }
      case '<':
      case '<=':
      case '>':
      case '>=':
        return this.comparison(x, l, r);
      case 'in':
      case 'not in': {
        const negate = x.bop === 'not in';
        const constant = isConstant(x.right) ? r({ slots: [], asOf: '', params: {}, missing: [], errors: [] }) : undefined;
        if (constant instanceof Set) {
          // A named set or a literal one: one hash lookup; exact numbers fall back to equality.
          const set = constant as ReadonlySet<unknown>;
          return (f) => {
            const a = l(f);
            if (a === UNKNOWN) return UNKNOWN;
            if (set.has(a)) return !negate;
            if (a instanceof Q.Rational) for (const v of set) if (valuesEqual(a, v)) return !negate;
            return negate;
          };
        }
        return (f) => {
          const a = l(f);
          const b = r(f);
          if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
          if (b === null) return negate;
          return memberOf(a, b) !== negate;
        };
      }
      case '+':
      case '-': {
        const minus = x.bop === '-';
        if (x.left.type.t === 'date') {
          return (f) => {
            const a = l(f);
            const b = r(f);
            if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
            if (a === null || b === null) return null;
            const d = b as Duration;
            return addDuration(a as string, minus ? -d.amount : d.amount, d.unit);
          };
        }
        const op = minus ? Q.sub : Q.add;
        return (f) => {
          const a = l(f);
          const b = r(f);
          if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
          if (a === null || b === null) return null;
          const v = op(a as Q.Num, b as Q.Num);
          return Q.isExact(v) ? v : tooLarge(f, x);
        };
      }
      case '*':
        return (f) => {
          const a = l(f);
          const b = r(f);
          if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
          if (a === null || b === null) return null;
          const v = Q.mul(a as Q.Num, b as Q.Num);
          return Q.isExact(v) ? v : tooLarge(f, x);
        };
      case '/':
        return (f) => {
          const a = l(f);
          const b = r(f);
          if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
          if (a === null || b === null) return null;
          const q = Q.div(a as Q.Num, b as Q.Num);
          if (q === undefined) {
            f.errors.push(texprText(x));
            return UNKNOWN;
          }
          return Q.isExact(q) ? q : tooLarge(f, x);
        };
      default:
        return assertNever(x.bop);
    }
  }

  /**
   * `<`, `<=`, `>`, `>=`. Absent (null) on either side is false: `station.established <= d` is
   * false with no station. Two integers compare directly; dates compare as strings.
   */
  private comparison(x: Extract<TExpr, { op: 'binary' }>, l: Compiled, r: Compiled): Compiled {
    const bop = x.bop;
    const test = (c: number): boolean => (bop === '<' ? c < 0 : bop === '<=' ? c <= 0 : bop === '>' ? c > 0 : c >= 0);
    if (x.left.type.t === 'date' || x.right.type.t === 'date') {
      return (f) => {
        const a = l(f);
        const b = r(f);
        if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
        if (a === null || b === null) return false;
        return test((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0);
      };
    }
    const right = x.right;
    if (right.op === 'binary' && right.bop === '*' && isNumeric(right.left.type) && isNumeric(right.right.type)) {
      // `have >= share * total`: compare by cross multiplication, without building the product.
      const p = this.compile(right.left);
      const q = this.compile(right.right);
      return (f) => {
        const a = l(f);
        const pv = p(f);
        const qv = q(f);
        if (a === UNKNOWN || pv === UNKNOWN || qv === UNKNOWN) return UNKNOWN;
        if (a === null || pv === null || qv === null) return false;
        return test(compareToProduct(a as Q.Num, pv as Q.Num, qv as Q.Num));
      };
    }
    switch (bop) {
      case '<':
        return (f) => {
          const a = l(f);
          const b = r(f);
          if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
          if (a === null || b === null) return false;
          if (typeof a === 'number' && typeof b === 'number') return a < b;
          return Q.compare(a as Q.Num, b as Q.Num) < 0;
        };
      case '<=':
        return (f) => {
          const a = l(f);
          const b = r(f);
          if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
          if (a === null || b === null) return false;
          if (typeof a === 'number' && typeof b === 'number') return a <= b;
          return Q.compare(a as Q.Num, b as Q.Num) <= 0;
        };
      case '>':
        return (f) => {
          const a = l(f);
          const b = r(f);
          if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
          if (a === null || b === null) return false;
          if (typeof a === 'number' && typeof b === 'number') return a > b;
          return Q.compare(a as Q.Num, b as Q.Num) > 0;
        };
      default:
        return (f) => {
          const a = l(f);
          const b = r(f);
          if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
          if (a === null || b === null) return false;
          if (typeof a === 'number' && typeof b === 'number') return a >= b;
          return Q.compare(a as Q.Num, b as Q.Num) >= 0;
        };
    }
  }

  /**
   * An aggregate. Inside another aggregate's loop, one that reads nothing the enclosing loops
   * bind (`count(x in r.all where x.n > count(y in r.all : y.ok))`: the inner count reads only
   * `r`) has the same value on every iteration: it keeps its last value, keyed on the slots it
   * does read, so the nested shape costs n, not n².
   */
  private aggregate(x: Extract<TExpr, { op: 'aggregate' }>): Compiled {
    const free = [...freeSlots(x)];
    const invariant = this.loopSlots.length > 0 && !free.some((s) => this.loopSlots.includes(s));
    const loop = this.aggregateLoop(x);
    if (!invariant) return loop;
    const n = free.length;
    const keys = new Array<unknown>(n);
    let valid = false;
    let params: Readonly<Record<string, unknown>> | undefined;
    let asOf = '';
    let value: unknown;
    let missing: string[] = [];
    let errors: string[] = [];
    return (f) => {
      const slots = f.slots;
      hit: if (valid && params === f.params && asOf === f.asOf) {
        for (let i = 0; i < n; i++) if (keys[i] !== slots[free[i]]) break hit;
        for (const m of missing) f.missing.push(m);
        for (const e of errors) f.errors.push(e);
        return value;
      }
      const missingFrom = f.missing.length;
      const errorsFrom = f.errors.length;
      value = loop(f);
      for (let i = 0; i < n; i++) keys[i] = slots[free[i]];
      params = f.params;
      asOf = f.asOf;
      missing = distinctFrom(f.missing, missingFrom);
      errors = distinctFrom(f.errors, errorsFrom);
      valid = true;
      return value;
    };
  }

  private aggregateLoop(x: Extract<TExpr, { op: 'aggregate' }>): Compiled {
    const source = this.compile(x.source);
    this.loopSlots.push(x.slot);
    const where = x.where ? this.compile(x.where) : undefined;
    const body = x.body ? this.compile(x.body) : undefined;
    this.loopSlots.pop();
    const slot = x.slot;
    const items = (f: Frame): unknown[] | typeof UNKNOWN | null => {
      const v = source(f);
      if (v === UNKNOWN || v === null) return v as typeof UNKNOWN | null;
      return v instanceof Set ? [...v] : (v as unknown[]);
    };
    const included = (f: Frame): boolean | typeof UNKNOWN => (where ? toBool(where(f)) : true);
    switch (x.fn) {
      case 'count':
      case 'share':
        return (f) => {
          const list = items(f);
          if (list === UNKNOWN) return UNKNOWN;
          if (list === null) return x.fn === 'count' ? 0 : null;
          let total = 0;
          let hits = 0;
          let unknown = false;
          const budget = f.budget;
          for (const item of list) {
            if (budget !== undefined && --budget.left < 0) budget.exceeded();
            f.slots[slot] = item;
            const w = included(f);
            if (w === false) continue;
            const b = body ? toBool(body(f)) : true;
            if (w === UNKNOWN) {
              if (b !== false) unknown = true;
              continue;
            }
            total++;
            if (b === UNKNOWN) unknown = true;
            else if (b) hits++;
          }
          if (unknown) return UNKNOWN;
          if (x.fn === 'count') return hits;
          if (total === 0) return null;
          return Q.makeRational(hits, total);
        };
      case 'sum':
      case 'min':
      case 'max':
        return (f) => {
          const list = items(f);
          if (list === UNKNOWN) return UNKNOWN;
          if (list === null) return null;
          let acc: Q.Num | undefined;
          let unknown = false;
          const budget = f.budget;
          for (const item of list) {
            if (budget !== undefined && --budget.left < 0) budget.exceeded();
            f.slots[slot] = item;
            const w = included(f);
            if (w === false) continue;
            const v = body!(f);
            if (w === UNKNOWN || v === UNKNOWN) {
              unknown = true;
              continue;
            }
            if (v === null) continue;
            const n = v as Q.Num;
            if (acc === undefined) acc = n;
            else if (x.fn === 'sum') {
              acc = Q.add(acc, n);
              if (!Q.isExact(acc)) return tooLarge(f, x);
            }
            else if ((Q.compare(n, acc) < 0) === (x.fn === 'min')) acc = n;
          }
          if (unknown) return UNKNOWN;
          return acc ?? (x.fn === 'sum' ? 0 : null);
        };
      case 'all':
      case 'any': {
        const isAll = x.fn === 'all';
        return (f) => {
          const list = items(f);
          if (list === UNKNOWN) return UNKNOWN;
          if (list === null) return isAll;
          let unknown = false;
          const budget = f.budget;
          for (const item of list) {
            if (budget !== undefined && --budget.left < 0) budget.exceeded();
            f.slots[slot] = item;
            const w = included(f);
            if (w === false) continue;
            const b = body ? toBool(body(f)) : true;
            // all: each item contributes (not w) or b; any: w and b.
            if (isAll) {
              if (b === true) continue;
              if (w === true && b === false) return false;
              unknown = true;
            } else {
              if (w === true && b === true) return true;
              if (b === false) continue;
              unknown = true;
            }
          }
          return unknown ? UNKNOWN : isAll;
        };
      }
      default:
        return assertNever(x.fn);
    }
  }
}
