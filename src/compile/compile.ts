/**
 * Typed expressions -> nested closures. Each rule is compiled once; evaluating a subject
 * calls the closures with a frame, never re-walking the AST. Names, field paths, table keys
 * and constant sets are resolved here, at compile time. No user text ever becomes JavaScript
 * source, so the engine also runs under a browser's content-security policy.
 *
 * Values at run time: exact numbers ({@link Num}), strings (text, enum members, `YYYY-MM-DD`
 * dates), booleans, `null` (none: known absent), {@link UNKNOWN} (a fact or parameter is
 * missing), subjects, arrays (lists), Sets, durations. Logic is three-valued (Kleene).
 */
import { assertNever } from '../model/ast.js';
import { addDuration, daysBetween, wholeYearsBetween } from '../model/dates.js';
import * as Q from '../model/rational.js';
import type { Duration, Policy, RelationInfo, TExpr } from '../model/types.js';
import { tableKey } from '../check/checker.js';
import { texprText } from './describe.js';
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
  constructor(private readonly policy: Policy) {}

  /** Compiles one expression. */
  compile(x: TExpr): Compiled {
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
        return (f) => {
          const v = f.params[name];
          if (v === UNKNOWN) f.missing.push(missing);
          return v;
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
        const rows = this.policy.tables.get(x.table)?.rows ?? new Map();
        return (f) => {
          const values = args.map((a) => a(f));
          if (values.includes(UNKNOWN)) return UNKNOWN;
          if (values.includes(null)) return null;
          const hit = rows.get(tableKey(values));
          return hit === undefined ? null : hit;
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
      default:
        return assertNever(x);
    }
  }

  private field(x: Extract<TExpr, { op: 'field' }>): Compiled {
    const target = this.compile(x.target);
    const path = x.path;
    const segments = path.split('.');
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
      case 'ceil': return numeric(Q.ceil);
      case 'floor': return numeric(Q.floor);
      case 'round': return numeric(Q.round);
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
      case '>=': {
        const test = { '<': (c: number) => c < 0, '<=': (c: number) => c <= 0, '>': (c: number) => c > 0, '>=': (c: number) => c >= 0 }[x.bop];
        const dates = x.left.type.t === 'date' || x.right.type.t === 'date';
        return (f) => {
          const a = l(f);
          const b = r(f);
          if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
          // An absent thing is never on time nor large enough: `station.established <= d` is false with no station.
          if (a === null || b === null) return false;
          if (dates) return test((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0);
          return test(Q.compare(a as Q.Num, b as Q.Num));
        };
      }
      case 'in':
      case 'not in': {
        const negate = x.bop === 'not in';
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
          return op(a as Q.Num, b as Q.Num);
        };
      }
      case '*':
        return (f) => {
          const a = l(f);
          const b = r(f);
          if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
          if (a === null || b === null) return null;
          return Q.mul(a as Q.Num, b as Q.Num);
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
          return q;
        };
      default:
        return assertNever(x.bop);
    }
  }

  private aggregate(x: Extract<TExpr, { op: 'aggregate' }>): Compiled {
    const source = this.compile(x.source);
    const where = x.where ? this.compile(x.where) : undefined;
    const body = x.body ? this.compile(x.body) : undefined;
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
          for (const item of list) {
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
          for (const item of list) {
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
            else if (x.fn === 'sum') acc = Q.add(acc, n);
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
          for (const item of list) {
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
