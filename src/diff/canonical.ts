/**
 * Canonical forms for comparing two versions of a policy: layout-free, comment-free and
 * insensitive to choices that do not change meaning. Two expressions are "the same" for the
 * diff when their canonical forms serialise to the same JSON.
 *
 * What the canonical form forgets, beyond spans and comments (`stripSpans`):
 * - parentheses: the tree already encodes grouping, so `(a and b) or c` = `a and b or c`;
 * - how a number is written: `0.70` = `0.7`, `70.0%` = `70%` (exact rationals compared);
 * - the names of bound variables: `for institution i … i.posts` = `for institution x … x.posts`,
 *   and likewise aggregate variables and definition formals (they are positions, not names);
 * - the order of set-literal items: `{a, b}` = `{b, a}`.
 */
import type * as A from '../model/ast.js';
import { assertNever, stripSpans } from '../model/ast.js';
import { isNum, mul, parseDecimal, type Num } from '../model/rational.js';
import type { ConstValue, Duration, Labels, Type } from '../model/types.js';
import { typeName } from '../model/types.js';
import { printString } from '../syntax/print.js';

/** Exact text of a number: `7/10`, `3`. Equal values give equal keys. */
export function numKey(x: Num): string {
  return typeof x === 'number' ? String(x) : `${x.n}/${x.d}`;
}

function decimalKey(text: string): string {
  const n = parseDecimal(text);
  return n === undefined ? text : numKey(n);
}

/** Names bound in an expression's scope, mapped to their canonical position names. */
type Bound = ReadonlyMap<string, string>;

function bind(bound: Bound, name: string): Map<string, string> {
  const next = new Map(bound);
  next.set(name, `#${bound.size}`);
  return next;
}

/** The canonical form of an expression (plain data, no spans). */
export function canonExpr(e: A.Expr, bound: Bound = new Map()): unknown {
  const go = (x: A.Expr): unknown => canonExpr(x, bound);
  switch (e.kind) {
    case 'paren': return go(e.inner);
    case 'number': return { k: 'number', v: decimalKey(e.text) };
    case 'percent': return { k: 'percent', v: decimalKey(e.text) };
    case 'ratio': return { k: 'ratio', l: decimalKey(e.left), r: decimalKey(e.right) };
    case 'date': return { k: 'date', v: e.value };
    case 'duration': return { k: 'duration', a: e.amount, u: e.unit };
    case 'string': return { k: 'string', v: e.value };
    case 'bool': return { k: 'bool', v: e.value };
    case 'none': return { k: 'none' };
    case 'today': return { k: 'today' };
    case 'name': return bound.has(e.name) ? { k: 'var', v: bound.get(e.name) } : { k: 'name', v: e.name };
    case 'field': return { k: 'field', t: go(e.target), f: e.field };
    case 'call': return { k: 'call', f: e.callee, a: e.args.map(go) };
    case 'set': {
      const items = e.items.map(go);
      // Set literals are unordered: sort by serialised form so `{a, b}` = `{b, a}`.
      return { k: 'set', i: items.map((i) => JSON.stringify(i)).sort() };
    }
    case 'unary': return { k: 'unary', o: e.op, x: go(e.operand) };
    case 'binary': return { k: 'binary', o: e.op, l: go(e.left), r: go(e.right) };
    case 'aggregate': {
      const inner = bind(bound, e.variable);
      return {
        k: 'aggregate',
        f: e.fn,
        s: go(e.source),
        w: e.where ? canonExpr(e.where, inner) : null,
        b: e.body ? canonExpr(e.body, inner) : null,
      };
    }
    case 'if': return { k: 'if', c: go(e.condition), t: go(e.then), e: go(e.otherwise) };
    default: return assertNever(e);
  }
}

/** Serialised canonical form of an optional expression; `null` when absent. */
export function exprKey(e: A.Expr | undefined, bound: Bound = new Map()): string | null {
  return e ? JSON.stringify(canonExpr(e, bound)) : null;
}

/** The scope of a rule: its subject variable. */
export function ruleScope(variable: string | undefined): Bound {
  return variable ? bind(new Map(), variable) : new Map();
}

/** Canonical key of a definition: formal types by position and the body with formals bound. */
export function defineKey(d: A.DefineDecl): string {
  let bound: Bound = new Map();
  for (const f of d.formals) bound = bind(bound, f.name);
  return JSON.stringify({ formals: d.formals.map((f) => stripSpans(f.type)), body: canonExpr(d.body, bound) });
}

/** Equality key of a constant value (exact for numbers; order-free for sets). */
export function valueKey(v: ConstValue | unknown): string {
  if (v === null || v === undefined) return 'none';
  if (isNum(v)) return `n:${numKey(v)}`;
  if (v instanceof Set) return `set:${JSON.stringify([...v].map(valueKey).sort())}`;
  if (typeof v === 'object' && 'unit' in v) {
    const d = v as Duration;
    return `d:${d.amount}${d.unit}`;
  }
  return JSON.stringify(v);
}

function numText(x: Num): string {
  if (typeof x === 'number') return String(x);
  // Terminating decimals print exactly; others as a fraction rather than a rounded decimal,
  // so the diff never shows two different values as the same text.
  let d = x.d;
  while (d % 2 === 0) d /= 2;
  while (d % 5 === 0) d /= 5;
  return d === 1 ? String(x.n / x.d) : `${x.n}/${x.d}`;
}

function percentText(x: Num): string {
  return `${numText(mul(x, 100))}%`;
}

/** A constant as written in a rule file, by its declared type (`70%`, `1:500`, `"text"`). */
export function valueText(v: ConstValue | unknown, type: Type): string {
  if (v === null || v === undefined) return 'none';
  if (v instanceof Set) return `{${[...v].map((x) => valueText(x, type.t === 'set' || type.t === 'list' ? type.of : type)).sort().join(', ')}}`;
  if (isNum(v)) {
    if (type.t === 'percent') return percentText(v);
    if (type.t === 'ratio') return typeof v === 'number' ? `${v}:1` : `${v.n}:${v.d}`;
    return numText(v);
  }
  if (typeof v === 'object' && 'unit' in v) {
    const d = v as Duration;
    return `${d.amount}${d.unit}`;
  }
  if (typeof v === 'string') return type.t === 'string' ? printString(v) : v;
  return String(v);
}

/** A type as written in a declaration; record groups print as `record`. */
export function typeText(t: Type): string {
  return t.t === 'group' ? 'record' : typeName(t);
}

/** A label as written: `"机构" en "institution"`; null when absent. */
export function labelText(l: Labels | undefined): string | null {
  if (!l) return null;
  return `${printString(l.zh)}${l.en !== undefined ? ` en ${printString(l.en)}` : ''}`;
}
