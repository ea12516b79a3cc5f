/**
 * A deliberately naive reference interpreter for differential testing: it walks the typed
 * expression tree for every subject (no compilation, no caching) and does its arithmetic with
 * BigInt fractions, so it shares neither the closure compiler nor the number module with the
 * engine it checks. Only statuses and `missing` are compared; explanations are not.
 */
import { addDuration, daysBetween, wholeYearsBetween } from '../../src/model/dates.js';
import type { Policy, RuleInfo, TExpr, Duration } from '../../src/model/types.js';
import type { Facts, Subject } from '../../src/facts/facts.js';
import type { Status } from '../../src/model/result.js';
import { Rational } from '../../src/model/rational.js';
import { tableKey } from '../../src/check/checker.js';

const U = Symbol('unknown');
type Frac = { n: bigint; d: bigint };

function frac(v: unknown): Frac | undefined {
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return { n: BigInt(v), d: 1n };
    const [int, dec = ''] = String(v).split('.');
    return { n: BigInt(int + dec), d: 10n ** BigInt(dec.length) };
  }
  if (v instanceof Rational) return { n: BigInt(v.n), d: BigInt(v.d) };
  if (v && typeof v === 'object' && 'n' in v && 'd' in v && typeof (v as Frac).n === 'bigint') return v as Frac;
  return undefined;
}
const cmp = (a: Frac, b: Frac) => { const l = a.n * b.d; const r = b.n * a.d; return l < r ? -1 : l > r ? 1 : 0; };
const isFrac = (v: unknown): boolean => frac(v) !== undefined;
function eq(a: unknown, b: unknown): boolean {
  if (isFrac(a) && isFrac(b)) return cmp(frac(a)!, frac(b)!) === 0;
  return a === b;
}
function inColl(v: unknown, c: unknown): boolean {
  const items = c instanceof Set ? [...c] : (c as unknown[]);
  return items.some((x) => eq(v, x));
}
function isSubject(v: unknown): v is Subject {
  return !!v && typeof v === 'object' && 'related' in v && 'data' in v;
}

class Ref {
  missing: string[] = [];
  constructor(private readonly policy: Policy, private readonly asOf: string, private readonly params: Record<string, unknown>) {}

  ev(x: TExpr, env: Map<number, unknown>): unknown {
    switch (x.op) {
      case 'const': return x.value;
      case 'today': return this.asOf;
      case 'var': return env.get(x.slot);
      case 'param': {
        const v = this.params[x.name];
        if (v === U) this.missing.push(`param ${x.name}`);
        return v;
      }
      case 'field': {
        const s = this.ev(x.target, env);
        if (s === U) return U;
        if (!isSubject(s)) return null;
        let cur: unknown = s.data;
        for (const seg of x.path.split('.')) {
          if (cur === null) return null;
          cur = (cur as Record<string, unknown>)[seg];
          if (cur === undefined) {
            this.missing.push(`${s.path}.${x.path}`);
            return U;
          }
        }
        return cur;
      }
      case 'relation': {
        const s = this.ev(x.target, env);
        if (s === U) return U;
        if (!isSubject(s)) return null;
        const out: Subject[] = [];
        const walk = (p: Subject) => {
          for (const c of p.related[x.relation.name] ?? []) {
            out.push(c);
            if (x.relation.transitive) walk(c);
          }
        };
        walk(s);
        return out;
      }
      case 'call': {
        const a = x.args.map((y) => this.ev(y, env));
        if (x.fn === 'has') return a[0] === U ? U : a[0] !== null;
        if (a.includes(U)) return U;
        if (a.includes(null)) return null;
        const f = a.map(frac);
        switch (x.fn) {
          case 'ceil': case 'floor': {
            const step = f[1];
            if (step && step.n <= 0n) return U;
            const { n, d } = step ? { n: f[0]!.n * step.d, d: f[0]!.d * step.n } : f[0]!;
            const q = n / d;
            const r = x.fn === 'ceil' ? (q * d < n ? q + 1n : q) : (q * d > n ? q - 1n : q);
            return step ? { n: r * step.n, d: step.d } : Number(r);
          }
          case 'years_between': return wholeYearsBetween(a[0] as string, a[1] as string);
          case 'days_between': return daysBetween(a[0] as string, a[1] as string);
          case 'size': return a[0] instanceof Set ? a[0].size : (a[0] as unknown[]).length;
          case 'percent': return a[0];
          case 'abs': { const { n, d } = f[0]!; return { n: n < 0n ? -n : n, d }; }
          case 'min': case 'max': {
            let best = f[0]!;
            for (const y of f) if ((cmp(y!, best) < 0) === (x.fn === 'min') && cmp(y!, best) !== 0) best = y!;
            return best;
          }
          case 'round': case 'round_half_even': {
            // With a step: the whole multiple of the step nearest x (x / step rounded, times step).
            const step = f[1];
            if (step && step.n <= 0n) return U;
            const q: Frac = step ? { n: f[0]!.n * step.d, d: f[0]!.d * step.n } : f[0]!;
            const r = x.fn === 'round' ? roundHalfAway(q) : roundHalfEven(q);
            return step ? { n: r * step.n, d: step.d } : Number(r);
          }
        }
        return U;
      }
      case 'table': {
        const a = x.args.map((y) => this.ev(y, env));
        if (a.includes(U)) return U;
        if (a.includes(null)) return null;
        const v = this.policy.tables.get(x.table)!.rows.get(tableKey(a.map((y) => (isFrac(y) ? toRational(frac(y)!) : y))));
        return v === undefined ? null : v;
      }
      case 'set': {
        const items = x.items.map((y) => this.ev(y, env));
        return items.includes(U) ? U : new Set(items);
      }
      case 'not': {
        const v = this.ev(x.operand, env);
        return v === U ? U : v !== true;
      }
      case 'neg': {
        const v = this.ev(x.operand, env);
        if (v === U || v === null) return v;
        const f = frac(v)!;
        return { n: -f.n, d: f.d };
      }
      case 'binary': return this.binary(x, env);
      case 'aggregate': return this.aggregate(x, env);
      case 'if': {
        const c = this.ev(x.condition, env);
        if (c === true) return this.ev(x.then, env);
        if (c !== U) return this.ev(x.otherwise, env);
        // Unknown condition: the branches' common value, else unknown; missing = the condition's.
        const mark = this.missing.length;
        const a = this.ev(x.then, env);
        const b = this.ev(x.otherwise, env);
        this.missing.length = mark;
        return a !== U && b !== U && eq(a, b) ? a : U;
      }
    }
  }

  private binary(x: Extract<TExpr, { op: 'binary' }>, env: Map<number, unknown>): unknown {
    const b = (v: unknown) => (v === U ? U : v === true);
    if (x.bop === 'and' || x.bop === 'or') {
      const l = b(this.ev(x.left, env));
      const stop = x.bop === 'and' ? false : true;
      if (l === stop) return stop;
      const r = b(this.ev(x.right, env));
      if (r === stop) return stop;
      return l === U || r === U ? U : !stop;
    }
    const l = this.ev(x.left, env);
    const r = this.ev(x.right, env);
    if (l === U || r === U) return U;
    switch (x.bop) {
      case '==': return eq(l, r);
      case '!=': return !eq(l, r);
      case 'in': return r === null ? false : inColl(l, r);
      case 'not in': return r === null ? true : !inColl(l, r);
      default: break;
    }
    if (l === null || r === null) return ['<', '<=', '>', '>='].includes(x.bop) ? false : null;
    if (typeof l === 'string') {
      if (x.bop === '+' || x.bop === '-') {
        const d = r as Duration;
        return addDuration(l, x.bop === '-' ? -d.amount : d.amount, d.unit);
      }
      const c = l < (r as string) ? -1 : l > (r as string) ? 1 : 0;
      return { '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 }[x.bop as '<'];
    }
    const a = frac(l)!;
    const c = frac(r)!;
    switch (x.bop) {
      case '+': return { n: a.n * c.d + c.n * a.d, d: a.d * c.d };
      case '-': return { n: a.n * c.d - c.n * a.d, d: a.d * c.d };
      case '*': return { n: a.n * c.n, d: a.d * c.d };
      case '/': return c.n === 0n ? U : { n: (a.n * c.d) * (c.n < 0n ? -1n : 1n), d: (a.d * c.n) * (c.n < 0n ? -1n : 1n) };
      default: {
        const k = cmp(a, c);
        return { '<': k < 0, '<=': k <= 0, '>': k > 0, '>=': k >= 0 }[x.bop as '<'];
      }
    }
  }

  private aggregate(x: Extract<TExpr, { op: 'aggregate' }>, env: Map<number, unknown>): unknown {
    const src = this.ev(x.source, env);
    if (src === U) return U;
    const items = src === null ? [] : src instanceof Set ? [...src] : (src as unknown[]);
    const rows = items.map((item) => {
      const e = new Map(env).set(x.slot, item);
      const w = x.where ? this.ev(x.where, e) : true;
      // An item the filter excludes contributes nothing, not even its missing facts.
      const v = w === false ? false : x.body ? this.ev(x.body, e) : true;
      return { w: w === U ? U : w === true, v };
    });
    const kb = (v: unknown) => (v === U ? U : v === true);
    switch (x.fn) {
      case 'all': {
        const parts = rows.map((r) => (r.w === false ? true : kb(r.v) === true ? true : r.w === true && kb(r.v) === false ? false : U));
        return parts.includes(false) ? false : parts.includes(U) ? U : true;
      }
      case 'any': {
        const parts = rows.map((r) => (r.w === true && kb(r.v) === true ? true : r.w === false || kb(r.v) === false ? false : U));
        return parts.includes(true) ? true : parts.includes(U) ? U : false;
      }
      case 'count':
      case 'share': {
        if (rows.some((r) => (r.w === U && kb(r.v) !== false) || (r.w === true && kb(r.v) === U))) return U;
        const incl = rows.filter((r) => r.w === true);
        const hits = incl.filter((r) => kb(r.v) === true).length;
        if (x.fn === 'count') return hits;
        return incl.length === 0 ? null : { n: BigInt(hits), d: BigInt(incl.length) };
      }
      default: {
        const incl = rows.filter((r) => r.w !== false);
        if (incl.some((r) => r.w === U || r.v === U)) return U;
        const vals = incl.map((r) => r.v).filter((v) => v !== null).map((v) => frac(v)!);
        if (x.fn === 'sum') return vals.reduce((a, c) => ({ n: a.n * c.d + c.n * a.d, d: a.d * c.d }), { n: 0n, d: 1n });
        if (vals.length === 0) return null;
        return vals.reduce((a, c) => ((cmp(c, a) < 0) === (x.fn === 'min') ? c : a));
      }
    }
  }
}

/** Floor of a fraction with a positive denominator. */
function floorFrac({ n, d }: Frac): bigint {
  const q = n / d;
  return q * d > n ? q - 1n : q;
}

function roundHalfAway(f: Frac): bigint {
  const { n, d } = f.d < 0n ? { n: -f.n, d: -f.d } : f;
  const q = (2n * (n < 0n ? -n : n) + d) / (2n * d);
  return n < 0n ? -q : q;
}

function roundHalfEven(f: Frac): bigint {
  const { n, d } = f.d < 0n ? { n: -f.n, d: -f.d } : f;
  const fl = floorFrac({ n, d });
  const twiceRest = 2n * (n - fl * d);
  if (twiceRest < d) return fl;
  if (twiceRest > d) return fl + 1n;
  return fl % 2n === 0n ? fl : fl + 1n;
}

/** Decimal text of a fraction with `decimals` places at least (exact when it terminates). */
export function referenceDecimal(v: unknown, decimals: number): string {
  if (typeof v === 'string') return v;
  const f = frac(v)!;
  let { n, d } = f.d < 0n ? { n: -f.n, d: -f.d } : f;
  const negative = n < 0n;
  if (negative) n = -n;
  // Shortest exact decimal: the fewest places p >= decimals with d dividing n * 10^p.
  let p = decimals;
  while ((n * 10n ** BigInt(p)) % d !== 0n && p < 10) p++;
  let digits: bigint;
  if ((n * 10n ** BigInt(p)) % d === 0n) digits = (n * 10n ** BigInt(p)) / d;
  else digits = (2n * n * 10n ** BigInt(p) + d) / (2n * d);
  let text = digits.toString().padStart(p + 1, '0');
  while (p > decimals && text.endsWith('0')) { text = text.slice(0, -1); p--; }
  const out = p === 0 ? text : `${text.slice(0, -p)}.${text.slice(-p)}`;
  return negative && /[1-9]/.test(out) ? `-${out}` : out;
}

function toRational(f: Frac): unknown {
  const g = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : g(b, a % b));
  const k = g(f.n, f.d) || 1n;
  const n = f.n / k;
  const d = f.d / k;
  return d === 1n ? Number(n) : new Rational(Number(n), Number(d));
}

/** Reference decision of one rule for one subject. */
export function referenceDecide(policy: Policy, rule: RuleInfo, subject: Subject, asOf: string): { status: Status; missing: string[]; value?: string } {
  const params: Record<string, unknown> = {};
  for (const p of policy.params.values()) {
    const inForce = p.history.filter((h) => h.from === undefined || h.from <= asOf);
    params[p.name] = inForce.length ? inForce[inForce.length - 1].value : U;
  }
  const ref = new Ref(policy, asOf, params);
  const env = new Map<number, unknown>([[0, subject]]);
  const inForce = (!policy.effectiveFrom || policy.effectiveFrom <= asOf) && (!policy.effectiveUntil || asOf <= policy.effectiveUntil);
  if (!inForce || (rule.from && asOf < rule.from) || (rule.until && asOf > rule.until)) return { status: 'not_applicable', missing: [] };
  const w = rule.where ? ref.ev(rule.where, env) : true;
  const done = (status: Status) => ({ status, missing: status === 'unknown' ? [...new Set(ref.missing)] : [] });
  if (w === U) return done('unknown');
  if (w !== true) return done('not_applicable');
  const c = ref.ev(rule.condition, env);
  if (rule.type === 'value') {
    if (c === U) return done('unknown');
    if (c === null) return done('not_applicable');
    const step = rule.value?.stepText;
    const decimals = step && step.includes('.') ? step.length - step.indexOf('.') - 1 : 0;
    return { ...done('computed'), value: referenceDecimal(c, decimals) };
  }
  const due = rule.deadline ? ref.ev(rule.deadline, env) : undefined;
  if (c === U) return done('unknown');
  if (rule.type === 'entitlement') return done(c === true ? 'eligible' : 'ineligible');
  if (c === true) return done('compliant');
  if (rule.modality !== 'must') return done('advisory');
  if (rule.deadline && typeof due !== 'string') return done('unknown');
  return done(typeof due === 'string' && asOf <= due ? 'pending' : 'violation');
}

/** Reference decisions for all subjects. */
export function referenceEvaluate(policy: Policy, facts: Facts, asOf: string): { subject: string; rule: string; status: Status; missing: string[]; value?: string }[] {
  const out: { subject: string; rule: string; status: Status; missing: string[]; value?: string }[] = [];
  for (const s of facts.subjects) {
    for (const r of policy.rules) {
      if (r.kind !== s.kind) continue;
      out.push({ subject: `${s.kind}:${s.id}`, rule: r.id, ...referenceDecide(policy, r, s, asOf) });
    }
  }
  return out;
}
