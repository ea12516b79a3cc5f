/**
 * Checked policy -> {@link LoweredPolicy} for one as-of date (see lowered.ts for what the form
 * makes explicit). A rule using a construct the lowered form cannot express exactly is left out
 * and listed in `unsupported` with the construct, never approximated.
 */
import * as Q from '../model/rational.js';
import type { Span } from '../model/span.js';
import type { ConstValue, Policy, RuleInfo, TExpr, Type } from '../model/types.js';
import { isNumeric } from '../model/types.js';
import { Compiler, UNKNOWN, type Frame } from '../compile/compile.js';
import { texprText } from '../compile/describe.js';
import { EXPANSION_BUDGET } from '../compile/expand.js';
import { paramsAsOf } from '../eval/evaluate.js';
import type { LColumn, LConst, LExpr, LField, LKind, LoweredPolicy, LoweredRule, LType, Unsupported } from './lowered.js';

/** Options of {@link lowerPolicy}. */
export interface LowerOptions {
  /** The as-of date, `YYYY-MM-DD`: parameters and `today` are resolved for it. */
  readonly asOf: string;
}

/** Thrown inside the lowering of one rule; caught per rule and listed as unsupported. */
class Refused {
  constructor(readonly construct: string, readonly reason: string, readonly span: Span) {}
}

/** An exact number: numerator (integer or decimal) over a positive integer denominator. */
interface Frac { readonly n: LExpr; readonly d: LExpr }

const ONE: LExpr = { op: 'lit', type: 'int', value: 1n };

function lit(type: LType, value: LConst): LExpr {
  return { op: 'lit', type, value };
}

function isLit(x: LExpr, value?: LConst): boolean {
  return x.op === 'lit' && (value === undefined || x.value === value);
}

/** The lowered type of a checked type. */
function lowerType(t: Type): LType | undefined {
  switch (t.t) {
    case 'integer': return 'int';
    case 'number': case 'percent': case 'ratio': return 'decimal';
    case 'date': return 'date';
    case 'boolean': return 'bool';
    case 'string': case 'enum': case 'subject': return 'text';
    case 'group': return 'record';
    case 'list': return lowerType(t.of) && t.of.t !== 'list' && t.of.t !== 'group' ? 'list' : undefined;
    default: return undefined;
  }
}

/** The fact columns of every kind, in declaration order; fields no backend can hold are left out. */
export function lowerKinds(policy: Policy): LKind[] {
  return [...policy.kinds.values()].map((k) => {
    const columns: LColumn[] = [];
    for (const f of k.fields.values()) {
      const type = lowerType(f.type);
      if (!type) continue;
      const element = f.type.t === 'list' ? lowerType(f.type.of) : undefined;
      columns.push({ path: f.path, type, ...(element ? { element } : {}), ...(f.type.t === 'subject' ? { ref: f.type.kind } : {}) });
    }
    return { name: k.name, listKey: k.listKey, columns };
  });
}

/** Lowers every rule of a checked policy for one date. */
export function lowerPolicy(policy: Policy, options: LowerOptions): LoweredPolicy {
  const params = paramsAsOf(policy, options.asOf);
  const compiler = new Compiler(policy);
  const inForce = (!policy.effectiveFrom || policy.effectiveFrom <= options.asOf) && (!policy.effectiveUntil || options.asOf <= policy.effectiveUntil);
  const rules: LoweredRule[] = [];
  const unsupported: Unsupported[] = [];
  policy.rules.forEach((rule, index) => {
    // Value rules yield amounts, not statuses: the lowered form has no place for them yet.
    try {
      rules.push(new RuleLowering(policy, rule, compiler, options.asOf, params).lower(index, inForce));
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      unsupported.push({ rule: rule.id, construct: e.construct, reason: e.reason, span: e.span });
    }
  });
  return { policy: { id: policy.id, version: policy.version }, asOf: options.asOf, kinds: lowerKinds(policy), rules, unsupported };
}

/** Whether an expression reads facts (or variables bound to them). */
function readsFacts(x: TExpr): boolean {
  switch (x.op) {
    case 'const': case 'today': case 'param': return false;
    case 'var': case 'field': case 'relation': case 'aggregate': return true;
    case 'set': return x.items.some(readsFacts);
    case 'not': case 'neg': return readsFacts(x.operand);
    case 'binary': return readsFacts(x.left) || readsFacts(x.right);
    case 'call': case 'table': return x.args.some(readsFacts);
    // A definition's body sees only its arguments, the parameters and the date.
    case 'def': return x.args.some(readsFacts);
    case 'if': return readsFacts(x.condition) || readsFacts(x.then) || readsFacts(x.otherwise);
  }
}

class RuleLowering {
  /** The subject kind bound to each variable slot (undefined: a list element). */
  private readonly slotKinds = new Map<number, string | undefined>();
  /** Inside a shared definition's body: its slots -> the rule's slots. */
  private env: Map<number, number> | undefined;
  /** Slots for the aggregate variables of inlined definition bodies, past any rule's own. */
  private nextSlot = 1_000;

  constructor(
    private readonly policy: Policy,
    private readonly rule: RuleInfo,
    private readonly compiler: Compiler,
    private readonly asOf: string,
    private readonly params: Readonly<Record<string, unknown>>,
  ) {
    this.slotKinds.set(0, rule.kind);
  }

  lower(index: number, policyInForce: boolean): LoweredRule {
    const r = this.rule;
    const inForce = policyInForce && (!r.from || r.from <= this.asOf) && (!r.until || this.asOf <= r.until);
    if (r.type === 'value') return this.lowerValue(index, inForce);
    return {
      id: r.id, index, cite: r.cite, modality: r.modality, type: r.type === 'entitlement' ? 'entitlement' : 'obligation', kind: r.kind, inForce,
      ...(r.where ? { where: this.value(r.where) } : {}),
      condition: this.value(r.condition),
      ...(r.deadline ? { deadline: this.value(r.deadline) } : {}),
    };
  }

  /** A value rule: its value as an exact decimal fraction (or a date), with its unit and places. */
  private lowerValue(index: number, inForce: boolean): LoweredRule {
    const r = this.rule;
    const x = r.condition;
    const step = r.value?.stepText;
    const decimals = step !== undefined && step.includes('.') ? step.length - step.indexOf('.') - 1 : 0;
    const head = { id: r.id, index, cite: r.cite, modality: r.modality, type: 'value' as const, kind: r.kind, inForce, ...(r.where ? { where: this.value(r.where) } : {}) };
    if (x.type.t === 'date') return { ...head, condition: this.value(x), value: { decimals, unit: r.value?.unit ?? null } };
    if (!isNumeric(x.type)) return this.refuse(x, 'value-type');
    const f = this.num(x);
    if (numType(f.n) !== 'int') return this.refuse(x, 'value-decimal');
    if (f.d.op !== 'lit' || typeof f.d.value !== 'bigint') return this.refuse(x, 'share-arithmetic');
    let rest = f.d.value;
    while (rest % 2n === 0n) rest /= 2n;
    while (rest % 5n === 0n) rest /= 5n;
    // A repeating decimal is written rounded to ten places by the engine: not an exact column.
    if (rest !== 1n) return this.refuse(x, 'value-repeating');
    return { ...head, condition: f.n, value: { denominator: f.d.value, decimals, unit: r.value?.unit ?? null } };
  }

  /** The rule's slot for a slot of the expression being lowered. */
  private slot(s: number): number {
    return this.env?.get(s) ?? s;
  }

  /** A shared definition, inlined: its formals are the rule's variables given as arguments. */
  private inline<T>(x: Extract<TExpr, { op: 'def' }>, lowerBody: (body: TExpr) => T): T {
    const map = new Map<number, number>();
    x.args.forEach((a, i) => {
      if (a.op !== 'var') this.refuse(x, 'definition-argument');
      map.set(i, this.slot(a.slot));
    });
    const saved = this.env;
    this.env = map;
    try {
      return lowerBody(x.body);
    } finally {
      this.env = saved;
    }
  }

  private refuse(x: TExpr, reason: string): never {
    throw new Refused(texprText(x), reason, x.span);
  }

  /** Evaluates an expression that reads no facts with the engine's own closures. */
  private folded(x: TExpr): { value: unknown; missing: readonly string[] } {
    const frame: Frame = { slots: [], asOf: this.asOf, params: this.params, missing: [], errors: [] };
    const value = this.compiler.compile(x)(frame);
    if (frame.errors.length) this.refuse(x, 'undefined-arithmetic');
    return { value, missing: frame.missing };
  }

  /** A non-numeric constant (or a numeric one as an exact literal when integral). */
  private constant(x: TExpr, value: unknown, missing: readonly string[]): LExpr {
    const type = lowerType(x.type) ?? 'text';
    if (value === UNKNOWN) return { op: 'unknown', type, missing };
    if (value === null) return lit(type, null);
    if (typeof value === 'boolean') return lit('bool', value);
    if (typeof value === 'string') return lit(x.type.t === 'date' ? 'date' : 'text', value);
    return this.refuse(x, 'constant');
  }

  /** Every definition call is inlined: bounded, as for JSON Logic, so a policy whose definitions call each other several times per level is refused rather than expanded exponentially. */
  private visits = 0;

  private count(x: TExpr): void {
    if (++this.visits > EXPANSION_BUDGET) this.refuse(x, 'definition-size');
  }

  /** Any expression (numbers as exact fractions are turned into values only where integral). */
  value(x: TExpr): LExpr {
    this.count(x);
    if (isNumeric(x.type)) {
      const f = this.num(x);
      if (isLit(f.d, 1n)) return f.n;
      return this.refuse(x, 'fraction-value');
    }
    if (!readsFacts(x)) {
      const { value, missing } = this.folded(x);
      return this.constant(x, value, missing);
    }
    switch (x.op) {
      case 'var': {
        const slot = this.slot(x.slot);
        if (this.slotKinds.get(slot) !== undefined) return this.refuse(x, 'subject-value');
        const type = lowerType(x.type);
        if (!type) return this.refuse(x, 'type');
        return { op: 'item', type, slot };
      }
      case 'def': return this.inline(x, (body) => this.value(body));
      case 'field': return this.field(x);
      case 'not': return { op: 'not', type: 'bool', operand: this.value(x.operand) };
      case 'call': return this.call(x);
      case 'table': return this.table(x);
      case 'binary': return this.binary(x);
      case 'aggregate': return this.aggregate(x);
      case 'if': {
        const type = lowerType(x.type);
        if (!type || type === 'list' || type === 'record') return this.refuse(x, 'conditional');
        return { op: 'if', type, condition: this.value(x.condition), then: this.value(x.then), otherwise: this.value(x.otherwise) };
      }
      default: return this.refuse(x, x.op);
    }
  }

  /** `date ± duration` on facts: the duration must be a known constant (`6m`, a set parameter). */
  private dateShift(x: Extract<TExpr, { op: 'binary' }>): LExpr {
    if (readsFacts(x.right)) return this.refuse(x, 'date-arithmetic');
    const operand = this.value(x.left);
    const { value } = this.folded(x.right);
    if (value === null || typeof value !== 'object' || !('unit' in value)) return this.refuse(x, 'date-arithmetic');
    const d = value as { amount: number; unit: 'y' | 'm' | 'd' };
    if (!Number.isSafeInteger(d.amount)) return this.refuse(x, 'date-arithmetic');
    const amount = BigInt(x.bop === '-' ? -d.amount : d.amount) * (d.unit === 'y' ? 12n : 1n);
    return { op: 'date-add', type: 'date', operand, amount, unit: d.unit === 'd' ? 'd' : 'm', text: texprText(x) };
  }

  private field(x: Extract<TExpr, { op: 'field' }>): LExpr {
    if (x.target.op !== 'var') {
      // Through a reference (`w.institution.category`, any depth): the backend looks the subject up by id.
      if (x.target.type.t !== 'subject') return this.refuse(x, 'reference-chain');
      const kind = x.target.type.kind;
      const ref = this.value(x.target);
      const type = lowerType(x.type);
      if (!type || ref.type !== 'text') return this.refuse(x, 'type');
      return { op: 'deref', type, ref, kind, path: x.path };
    }
    const slot = this.slot(x.target.slot);
    const kind = this.slotKinds.get(slot);
    if (kind === undefined) return this.refuse(x, 'reference-chain');
    const type = lowerType(x.type);
    if (!type) return this.refuse(x, 'type');
    return { op: 'field', type, slot, kind, path: x.path };
  }

  private call(x: Extract<TExpr, { op: 'call' }>): LExpr {
    switch (x.fn) {
      case 'has': return { op: 'has', type: 'bool', operand: this.value(x.args[0]) };
      case 'size': {
        const operand = this.value(x.args[0]);
        if (operand.type !== 'list') return this.refuse(x, 'size');
        return { op: 'size', type: 'int', operand };
      }
      default: return this.refuse(x, `call-${x.fn}`);
    }
  }

  /** `scale`: numeric cells are multiplied by it (a common denominator of fractional cells). */
  private table(x: Extract<TExpr, { op: 'table' }>, scale = 1n): LExpr {
    const info = this.policy.tables.get(x.table);
    if (!info) return this.refuse(x, 'table');
    const type = lowerType(info.result);
    if (!type || type === 'list' || type === 'record') return this.refuse(x, 'table');
    const args = x.args.map((a) => this.value(a));
    const constOf = (v: ConstValue, t: Type): LConst => {
      if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
      if (Q.isNum(v) && typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v) * scale;
      if (v instanceof Q.Rational && (BigInt(v.n) * scale) % BigInt(v.d) === 0n) return (BigInt(v.n) * scale) / BigInt(v.d);
      if (t.t === 'error') return null;
      return this.refuse(x, 'table-value');
    };
    // The checked rows, keyed as tableKey joins them: integers in decimal, members and text as is.
    const rows: { keys: LConst[]; value: LConst }[] = [];
    for (const [key, value] of info.rows) {
      const keys = key.split('\u0000').map((k, i): LConst => {
        const t = info.formals[i]?.type;
        if (t?.t === 'integer') {
          if (!/^-?\d+$/.test(k)) return this.refuse(x, 'table-key');
          return BigInt(k);
        }
        if (t?.t === 'boolean') return k === 'true';
        if (t?.t === 'enum' || t?.t === 'string' || t?.t === 'date') return k;
        return this.refuse(x, 'table-key');
      });
      rows.push({ keys, value: constOf(value, info.result) });
    }
    return { op: 'table', type: type === 'decimal' ? 'int' : type, args, rows };
  }

  private binary(x: Extract<TExpr, { op: 'binary' }>): LExpr {
    const { bop } = x;
    switch (bop) {
      case 'and': case 'or':
        return { op: bop, type: 'bool', left: this.value(x.left), right: this.value(x.right) };
      case '==': case '!=': {
        const negate = bop === '!=';
        if (isNumeric(x.left.type) || isNumeric(x.right.type)) {
          const l = this.num(x.left);
          const r = this.num(x.right);
          return { op: 'equals', type: 'bool', negate, left: mul(l.n, r.d), right: mul(r.n, l.d), ...readsOf(l, r) };
        }
        return { op: 'equals', type: 'bool', negate, left: this.value(x.left), right: this.value(x.right) };
      }
      case '<': case '<=': case '>': case '>=': {
        if (isNumeric(x.left.type) || isNumeric(x.right.type)) {
          const l = this.num(x.left);
          const r = this.num(x.right);
          // Cross products: both denominators are positive, so the order is kept.
          return { op: 'compare', type: 'bool', cmp: bop, left: mul(l.n, r.d), right: mul(r.n, l.d), ...readsOf(l, r) };
        }
        return { op: 'compare', type: 'bool', cmp: bop, left: this.value(x.left), right: this.value(x.right) };
      }
      case 'in': case 'not in': {
        const negate = bop === 'not in';
        const operand = this.value(x.left);
        if (!readsFacts(x.right)) {
          const { value } = this.folded(x.right);
          if (!(value instanceof Set)) return this.refuse(x, 'membership');
          const values: LConst[] = [];
          const fractional = [...value].some((v) => v instanceof Q.Rational) || operand.type === 'decimal';
          if (fractional && isNumeric(x.left.type)) return this.numericMembership(x, [...value], negate);
          for (const v of value) {
            if (typeof v === 'string' || typeof v === 'boolean') values.push(v);
            else if (typeof v === 'number' && Number.isSafeInteger(v)) values.push(BigInt(v));
            else return this.refuse(x, 'membership');
          }
          return { op: 'in-set', type: 'bool', negate, operand, values };
        }
        const list = this.value(x.right);
        if (list.type !== 'list' || operand.type === 'decimal') return this.refuse(x, 'membership');
        return { op: 'in-list', type: 'bool', negate, operand, list };
      }
      case '+': case '-':
        if (x.left.type.t === 'date') return this.dateShift(x);
        return this.refuse(x, 'arithmetic');
      default:
        return this.refuse(x, 'arithmetic');
    }
  }

  /**
   * `n in {1.5, 2}` for a fractional operand or members: exact equalities joined by `or` (the
   * operand is read once by the engine; backends list a missing fact once).
   */
  private numericMembership(x: Extract<TExpr, { op: 'binary' }>, members: unknown[], negate: boolean): LExpr {
    const a = this.num(x.left);
    if (a.d.op !== 'lit') return this.refuse(x, 'membership');
    let test: LExpr = lit('bool', false);
    for (const m of members) {
      if (!Q.isNum(m)) return this.refuse(x, 'membership');
      const [p, q] = typeof m === 'number' ? [m, 1] : [m.n, m.d];
      if (!Number.isSafeInteger(p)) return this.refuse(x, 'membership');
      const eq: LExpr = { op: 'equals', type: 'bool', negate: false, left: mul(a.n, lit('int', BigInt(q))), right: mul(lit('int', BigInt(p)), a.d) };
      test = isLit(test, false) ? eq : { op: 'or', type: 'bool', left: test, right: eq };
    }
    // Unknown operand: unknown either way; `not in` is the negation.
    return negate ? { op: 'not', type: 'bool', operand: test } : test;
  }

  /** Fractions over one common constant denominator (their numerators scaled), or a refusal. */
  private common(x: TExpr, fs: readonly Frac[]): { ns: LExpr[]; d: LExpr } {
    const dens: bigint[] = [];
    for (const f of fs) {
      if (f.d.op !== 'lit' || typeof f.d.value !== 'bigint') return this.refuse(x, 'share-arithmetic');
      dens.push(f.d.value);
    }
    const l = dens.reduce((a, b) => (a / gcd(a, b)) * b, 1n);
    return { ns: fs.map((f, i) => mul(f.n, lit('int', l / dens[i]))), d: lit('int', l) };
  }

  /** A numeric expression as an exact fraction. */
  num(x: TExpr): Frac {
    this.count(x);
    if (!readsFacts(x)) {
      const { value, missing } = this.folded(x);
      if (value === UNKNOWN) return { n: { op: 'unknown', type: 'int', missing }, d: ONE };
      if (value === null) return { n: lit('int', null), d: ONE };
      if (typeof value === 'number' && Number.isSafeInteger(value)) return { n: lit('int', BigInt(value)), d: ONE };
      if (value instanceof Q.Rational) return { n: lit('int', BigInt(value.n)), d: lit('int', BigInt(value.d)) };
      return this.refuse(x, 'number');
    }
    switch (x.op) {
      case 'field': return { n: this.field(x), d: ONE };
      case 'var': {
        // A number of a list fact bound by an aggregate.
        const slot = this.slot(x.slot);
        if (this.slotKinds.get(slot) !== undefined) return this.refuse(x, 'subject-value');
        return { n: { op: 'item', type: x.type.t === 'integer' ? 'int' : 'decimal', slot }, d: ONE };
      }
      case 'neg': {
        const f = this.num(x.operand);
        return { n: { op: 'neg', type: numType(f.n), operand: f.n }, d: f.d };
      }
      case 'binary': {
        if (x.bop === '*') {
          const l = this.num(x.left);
          const r = this.num(x.right);
          this.noFactDenominator(x, l, r);
          return { n: mul(l.n, r.n), d: mul(l.d, r.d) };
        }
        if (x.bop === '+' || x.bop === '-') {
          if (x.left.type.t === 'date') return this.refuse(x, 'date-arithmetic');
          const l = this.num(x.left);
          const r = this.num(x.right);
          this.noFactDenominator(x, l, r);
          const n: LExpr = { op: x.bop === '+' ? 'add' : 'sub', type: widest(l.n, r.n), left: mul(l.n, r.d), right: mul(r.n, l.d) };
          return { n, d: mul(l.d, r.d) };
        }
        if (x.bop === '/') {
          if (readsFacts(x.right)) return this.refuse(x, 'division');
          const l = this.num(x.left);
          const { value } = this.folded(x.right);
          if (!Q.isNum(value) || Q.isZero(value)) return this.refuse(x, 'division');
          const [p, q] = typeof value === 'number' ? [value, 1] : [value.n, value.d];
          if (!Number.isSafeInteger(p)) return this.refuse(x, 'division');
          // l / (p/q) = l * q / p, the sign moved to the numerator so denominators stay positive.
          const n = mul(l.n, lit('int', BigInt(p < 0 ? -q : q)));
          return { n, d: mul(l.d, lit('int', BigInt(Math.abs(p)))) };
        }
        return this.refuse(x, 'arithmetic');
      }
      case 'call': {
        if (x.fn === 'ceil' || x.fn === 'floor' || x.fn === 'round' || x.fn === 'round_half_even') {
          const mode = x.fn === 'round_half_even' ? 'half-even' : x.fn;
          const f = this.num(x.args[0]);
          if (numType(f.n) !== 'int') return this.refuse(x, 'rounding-decimal');
          if (x.args[1]) {
            // To a step p/q: the whole number of steps in n/d is round(n*q / (d*p)), times p/q.
            if (readsFacts(x.args[1])) return this.refuse(x, 'rounding-step');
            const { value } = this.folded(x.args[1]);
            if (!Q.isNum(value) || Q.compare(value, 0) <= 0) return this.refuse(x, 'rounding-step');
            const [p, q] = typeof value === 'number' ? [value, 1] : [value.n, value.d];
            if (!Number.isSafeInteger(p) || f.d.op !== 'lit' || typeof f.d.value !== 'bigint') return this.refuse(x, 'rounding-step');
            const num = mul(f.n, lit('int', BigInt(q)));
            const den = f.d.value * BigInt(p);
            const steps: LExpr = den === 1n ? num : { op: 'div-round', type: 'int', mode, num, den: lit('int', den) };
            return { n: mul(steps, lit('int', BigInt(p))), d: lit('int', BigInt(q)) };
          }
          if (isLit(f.d, 1n)) return f;
          return { n: { op: 'div-round', type: 'int', mode, num: f.n, den: f.d }, d: ONE };
        }
        if (x.fn === 'percent') return this.num(x.args[0]);
        if (x.fn === 'size') return { n: this.call(x), d: ONE };
        if (x.fn === 'abs') {
          const f = this.num(x.args[0]);
          return { n: { op: 'abs', type: numType(f.n), operand: f.n }, d: f.d };
        }
        if (x.fn === 'min' || x.fn === 'max') {
          const fs = x.args.map((a) => this.num(a));
          const { ns, d } = this.common(x, fs);
          return { n: { op: x.fn === 'min' ? 'least' : 'greatest', type: ns.map(numType).includes('decimal') ? 'decimal' : 'int', args: ns }, d };
        }
        if (x.fn === 'years_between' || x.fn === 'days_between') {
          const from = this.value(x.args[0]);
          const to = this.value(x.args[1]);
          return { n: { op: x.fn === 'years_between' ? 'years-between' : 'days-between', type: 'int', from, to }, d: ONE };
        }
        return this.refuse(x, `call-${x.fn}`);
      }
      case 'table': {
        // Fractional cells (`1:2`, `1:3`) over their common denominator, so the cells are integers.
        let l = 1n;
        for (const v of this.policy.tables.get(x.table)?.rows.values() ?? []) if (v instanceof Q.Rational) l = (l / gcd(l, BigInt(v.d))) * BigInt(v.d);
        return { n: this.table(x, l), d: lit('int', l) };
      }
      case 'def': return this.inline(x, (body) => this.num(body));
      case 'if': {
        const condition = this.value(x.condition);
        const { ns: [then, otherwise], d } = this.common(x, [this.num(x.then), this.num(x.otherwise)]);
        return { n: { op: 'if', type: widest(then, otherwise), condition, then, otherwise }, d };
      }
      case 'aggregate': {
        if (x.fn === 'share') {
          const text = texprText(x);
          const hits = this.aggregate({ ...x, fn: 'count' }, undefined, text);
          const total = this.aggregate({ ...x, fn: 'count' }, 'count-where', text);
          return { n: hits, d: { op: 'null-if-zero', type: 'int', operand: total } };
        }
        const a = this.aggregateFrac(x);
        if (a.n.type !== 'int') return this.refuse(x, 'aggregate-decimal');
        return a;
      }
      default:
        return this.refuse(x, 'number');
    }
  }

  /** Arithmetic on a share (a fraction whose denominator reads facts) would read them out of order. */
  private noFactDenominator(x: TExpr, ...fs: Frac[]): void {
    if (fs.some((f) => f.d.op !== 'lit')) this.refuse(x, 'share-arithmetic');
  }

  private aggregate(x: Extract<TExpr, { op: 'aggregate' }>, as?: 'count-where', text?: string): LExpr {
    return this.aggregateFrac(x, as, text).n;
  }

  /** An aggregate as a fraction: `sum`/`min`/`max` of fractional bodies over their constant denominator. */
  private aggregateFrac(x: Extract<TExpr, { op: 'aggregate' }>, as?: 'count-where', text?: string): Frac {
    const src = x.source;
    let itemKind: string | undefined;
    let source: import('./lowered.js').LSource;
    if (src.op === 'relation') {
      if (src.target.op !== 'var' || this.slotKinds.get(this.slot(src.target.slot)) === undefined) return this.refuse(x, 'reference-chain');
      const owner = this.slot(src.target.slot);
      const rel = src.relation;
      if (rel.via.includes('.')) return this.refuse(x, 'relation');
      itemKind = rel.target;
      source = { from: 'relation', ownerSlot: owner, ownerKind: this.slotKinds.get(owner)!, name: rel.name, target: rel.target, via: rel.via, transitive: rel.transitive, text: texprText(src) };
    } else if (src.op === 'set' && readsFacts(src)) {
      // `{u.posts.total, u.posts.professional}`: a set built from facts, walked in writing order.
      source = { from: 'values', items: src.items.map((i) => this.value(i)), text: texprText(src), span: src.span };
    } else {
      const list = this.value(src);
      // A list fact of a variable: its subject owns the items (see the printers' grouping).
      if (list.type !== 'list' || list.op !== 'field') return this.refuse(x, 'aggregate-source');
      source = { from: 'list', list };
    }
    // Inside a definition's body, the variable gets a slot of its own among the rule's.
    if (this.env) this.env.set(x.slot, this.nextSlot++);
    const slot = this.slot(x.slot);
    this.slotKinds.set(slot, itemKind);
    const where = x.where ? this.value(x.where) : undefined;
    let denominator: LExpr = ONE;
    let body: LExpr | undefined;
    if (x.body) {
      if (x.fn === 'sum' || x.fn === 'min' || x.fn === 'max') {
        // A constant denominator is the same for every item: the aggregate of the numerators over it.
        const f = this.num(x.body);
        if (f.d.op !== 'lit' || numType(f.n) !== 'int') return this.refuse(x, 'aggregate-decimal');
        body = f.n;
        denominator = f.d;
      } else body = this.value(x.body);
    }
    // Printers group items by their owner: an aggregate may read its items and its owner only.
    const owner = source.from === 'relation' ? source.ownerSlot : source.from === 'list' ? (source.list as LField).slot : -1;
    for (const e of [where, body]) {
      if (!e) continue;
      for (const s of freeSlots(e)) if (s !== slot && s !== owner) return this.refuse(x, 'outer-variable');
    }
    const fn = as ?? (x.fn === 'share' ? 'count' : x.fn);
    const type: LType = fn === 'all' || fn === 'any' ? 'bool' : 'int';
    const n: LExpr = { op: 'aggregate', type, fn, slot, ...(itemKind ? { itemKind } : {}), source, ...(where ? { where } : {}), ...(body ? { body } : {}), text: text ?? texprText(x) };
    return { n, d: denominator };
  }
}

/** The reading order of a cross-multiplied comparison, when a denominator reads facts. */
function readsOf(l: Frac, r: Frac): { reads?: readonly LExpr[] } {
  return l.d.op === 'lit' && r.d.op === 'lit' ? {} : { reads: [l.n, l.d, r.n, r.d] };
}

/** The variable slots an expression reads and does not bind itself. */
export function freeSlots(e: LExpr, out = new Set<number>()): Set<number> {
  switch (e.op) {
    case 'lit': case 'unknown': return out;
    case 'field': case 'item': out.add(e.slot); return out;
    case 'has': case 'not': case 'neg': case 'size': case 'null-if-zero': return freeSlots(e.operand, out);
    case 'and': case 'or': case 'compare': case 'equals': case 'add': case 'sub': case 'mul':
      freeSlots(e.left, out);
      return freeSlots(e.right, out);
    case 'in-set': return freeSlots(e.operand, out);
    case 'in-list': freeSlots(e.operand, out); return freeSlots(e.list, out);
    case 'div-round': freeSlots(e.num, out); return freeSlots(e.den, out);
    case 'table': case 'least': case 'greatest': for (const a of e.args) freeSlots(a, out); return out;
    case 'deref': return freeSlots(e.ref, out);
    case 'abs': case 'date-add': return freeSlots(e.operand, out);
    case 'years-between': case 'days-between': freeSlots(e.from, out); return freeSlots(e.to, out);
    case 'if': freeSlots(e.condition, out); freeSlots(e.then, out); return freeSlots(e.otherwise, out);
    case 'aggregate': {
      if (e.source.from === 'relation') out.add(e.source.ownerSlot);
      else if (e.source.from === 'list') freeSlots(e.source.list, out);
      else for (const i of e.source.items) freeSlots(i, out);
      const inner = new Set<number>();
      if (e.where) freeSlots(e.where, inner);
      if (e.body) freeSlots(e.body, inner);
      inner.delete(e.slot);
      for (const s of inner) out.add(s);
      return out;
    }
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

function numType(x: LExpr): 'int' | 'decimal' {
  return x.type === 'decimal' ? 'decimal' : 'int';
}

function widest(a: LExpr, b: LExpr): 'int' | 'decimal' {
  return a.type === 'decimal' || b.type === 'decimal' ? 'decimal' : 'int';
}

/** a * b, folding the literal 1 and products of integer literals. */
function mul(a: LExpr, b: LExpr): LExpr {
  if (isLit(b, 1n)) return a;
  if (isLit(a, 1n)) return b;
  if (a.op === 'lit' && b.op === 'lit' && typeof a.value === 'bigint' && typeof b.value === 'bigint') return lit('int', a.value * b.value);
  return { op: 'mul', type: widest(a, b), left: a, right: b };
}
