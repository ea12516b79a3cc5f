/**
 * Type checking and name resolution of expressions: AST `Expr` -> typed `TExpr`.
 * Names resolve in this order: variables, parameters, named sets, enum members (when the
 * context expects that enum), constant definitions. Calls resolve to builtins, tables, then
 * definitions. A definition's body is checked once per argument types into a shared body, and
 * a call becomes a `def` node that the compiler turns into one shared closure; only a call
 * whose expansion is tiny ({@link INLINE_LIMIT} nodes) is inlined, which keeps explanations
 * showing the facts a small helper reads. Either way compiled size stays linear in the text:
 * a definition that calls the previous one twice per level no longer doubles per level.
 * Cycles are cut by the definition stack.
 */
import type * as A from '../model/ast.js';
import { assertNever } from '../model/ast.js';
import { closestName, error, didYouMean, type Diagnostic, type MessageTemplate } from '../model/diagnostics.js';
import { compare, isNum, makeRational, parseDecimal, type Num } from '../model/rational.js';
import type { Span } from '../model/span.js';
import { inlinedSize } from './expr-size.js';
import {
  isNumeric,
  typeName,
  unitOf,
  type BuiltinFn,
  type ConstValue,
  type EnumInfo,
  type KindInfo,
  type ParamInfo,
  type SetInfo,
  type TableInfo,
  type TExpr,
  type Type,
} from '../model/types.js';

/** The global symbols an expression may refer to. */
export interface Symbols {
  readonly kinds: ReadonlyMap<string, KindInfo>;
  readonly enums: ReadonlyMap<string, EnumInfo>;
  readonly params: ReadonlyMap<string, ParamInfo>;
  readonly sets: ReadonlyMap<string, SetInfo>;
  readonly tables: ReadonlyMap<string, TableInfo>;
  readonly defines: ReadonlyMap<string, A.DefineDecl>;
  /** Definitions found to be part of a cycle: uses are errors already reported once. */
  readonly cyclicDefines: ReadonlySet<string>;
  /** `file:line:col` of `name` inside a declaration's span (just the file when its text is unknown). */
  readonly placeOf?: (span: Span, name: string) => string;
}

type Binding = { readonly slot: number; readonly type: Type } | { readonly expr: TExpr };

/** Lexical scope of one rule: variables and the frame slot counter. */
export class Scope {
  private readonly vars = new Map<string, Binding>();
  constructor(private readonly parent: Scope | undefined, private readonly counter: { n: number }) {}

  /** A fresh root scope. */
  static root(): Scope {
    return new Scope(undefined, { n: 0 });
  }

  /** A child scope sharing the slot counter. */
  child(): Scope {
    return new Scope(this, this.counter);
  }

  /**
   * A scope that sees none of this scope's names but shares its slot counter: a definition
   * body sees only its formals, while its aggregate variables still get slots in the frame.
   */
  isolated(): Scope {
    return new Scope(undefined, this.counter);
  }

  /** Declares a variable with a new frame slot. */
  declare(name: string, type: Type): number {
    const slot = this.counter.n++;
    this.vars.set(name, { slot, type });
    return slot;
  }

  /** Binds a name to an already-checked expression (a definition's formal parameter). */
  bind(name: string, expr: TExpr): void {
    this.vars.set(name, { expr });
  }

  lookup(name: string): Binding | undefined {
    return this.vars.get(name) ?? this.parent?.lookup(name);
  }

  names(): string[] {
    return [...this.vars.keys(), ...(this.parent?.names() ?? [])];
  }

  /** Slots allocated so far in the whole rule. */
  get slots(): number {
    return this.counter.n;
  }
}

const T = {
  integer: { t: 'integer' } as Type,
  number: { t: 'number' } as Type,
  percent: { t: 'percent' } as Type,
  ratio: { t: 'ratio' } as Type,
  date: { t: 'date' } as Type,
  duration: { t: 'duration' } as Type,
  boolean: { t: 'boolean' } as Type,
  string: { t: 'string' } as Type,
  none: { t: 'none' } as Type,
  error: { t: 'error' } as Type,
};

// Names may contain hyphens (rule ids read as written), so `a-b` is one name, not a subtraction.
/** "write `75%`" for a plain number written where a percentage belongs. */
export function percentSignHint(text: string): MessageTemplate {
  return { zh: `百分比要带百分号：写作 \`${text}%\``, en: `a percentage needs its % sign: write \`${text}%\`` };
}

const SUBTRACTION_HELP = { zh: '减法需要在 `-` 两侧加空格：`a - b`', en: 'subtraction needs spaces around `-`: `a - b`' };

/** Frequently used types. */
export const TYPES = T;

const BUILTINS: Record<BuiltinFn, { min: number; max: number }> = {
  has: { min: 1, max: 1 },
  // With a second argument, a step: `round(x, 0.01)` rounds to whole fen.
  ceil: { min: 1, max: 2 },
  floor: { min: 1, max: 2 },
  round: { min: 1, max: 2 },
  round_half_even: { min: 1, max: 2 },
  abs: { min: 1, max: 1 },
  min: { min: 1, max: 16 },
  max: { min: 1, max: 16 },
  years_between: { min: 2, max: 2 },
  days_between: { min: 2, max: 2 },
  size: { min: 1, max: 1 },
  percent: { min: 1, max: 1 },
};

function isBuiltin(name: string): name is BuiltinFn {
  return Object.prototype.hasOwnProperty.call(BUILTINS, name);
}

/** `t` with `unit` (numeric scalars only), or without any unit when `unit` is undefined. */
export function withUnit(t: Type, unit: string | undefined): Type {
  if (!isNumeric(t)) return t;
  const scalar = t as { readonly t: 'integer' | 'number' | 'percent' | 'ratio' };
  return unit === undefined ? { t: scalar.t } : { t: scalar.t, unit };
}

/** Two units clash when both are declared and differ; a unitless side adopts the other's. */
function unitsClash(a: Type, b: Type): boolean {
  const ua = unitOf(a);
  const ub = unitOf(b);
  return ua !== undefined && ub !== undefined && ua !== ub;
}

function unitText(t: Type): string {
  return unitOf(t) ?? '—';
}

/** Whether values of the two types may be compared or mixed. */
export function compatible(a: Type, b: Type): boolean {
  if (a.t === 'error' || b.t === 'error' || a.t === 'none' || b.t === 'none') return true;
  if (isNumeric(a) && isNumeric(b)) {
    // A count compared with a percentage is almost always a missing `* total`: refuse it.
    const fraction = (t: Type) => t.t === 'percent' || t.t === 'ratio';
    const count = (t: Type) => t.t === 'integer';
    return !((count(a) && fraction(b)) || (fraction(a) && count(b)));
  }
  if (a.t === 'enum' && b.t === 'enum') return a.name === b.name;
  if (a.t === 'subject' && b.t === 'subject') return a.kind === b.kind;
  if ((a.t === 'list' || a.t === 'set') && (b.t === 'list' || b.t === 'set')) return compatible(a.of, b.of);
  if (a.t === 'enum' && b.t === 'string') return true;
  if (a.t === 'string' && b.t === 'enum') return true;
  return a.t === b.t;
}

/** Whether a value of type `actual` may stand where `expected` is declared. */
export function assignable(expected: Type, actual: Type): boolean {
  if (actual.t === 'error' || expected.t === 'error' || actual.t === 'none') return true;
  if (expected.t === 'number' && isNumeric(actual)) return true;
  if (expected.t === 'ratio' && (actual.t === 'percent' || actual.t === 'integer' || actual.t === 'number')) return true;
  if (expected.t === 'percent' && actual.t === 'number') return true;
  return compatible(expected, actual) && (expected.t === actual.t || (isNumeric(expected) && isNumeric(actual)));
}

/**
 * Largest expansion, in expression nodes, of a definition call that is inlined rather than
 * shared. Small enough that inlining cannot compound (each inlined call adds at most this many
 * nodes), large enough for the helpers real policies write (`is_sw_professional` is 8 nodes).
 */
export const INLINE_LIMIT = 40;

/** A definition's body checked once for one list of argument types. */
interface SharedBody {
  readonly body: TExpr;
  readonly slots: number;
  /** Diagnostics of the body, reported with the first call that uses the shared form. */
  readonly diagnostics: Diagnostic[];
  reported: boolean;
}

/** A type as a map key. */
function typeKey(t: Type): string {
  switch (t.t) {
    case 'enum': return `enum:${t.name}`;
    case 'subject': return `subject:${t.kind}`;
    case 'group': return `group:${t.kind}.${t.prefix}`;
    case 'list': case 'set': return `${t.t}<${typeKey(t.of)}>`;
    default: return t.t;
  }
}

/** Checks expressions of one policy. */
export class ExprChecker {
  private readonly defineStack: string[] = [];
  private readonly shared = new Map<string, SharedBody>();

  /** Every shared definition body checked so far (the compiled-size budget counts each once). */
  get sharedBodies(): TExpr[] {
    return [...this.shared.values()].map((s) => s.body);
  }

  constructor(private readonly symbols: Symbols, readonly diagnostics: Diagnostic[]) {}

  private err(code: Parameters<typeof error>[0], span: Span, args: Record<string, string | number> = {}, help?: ReturnType<typeof didYouMean>): TExpr {
    this.diagnostics.push(error(code, span, args, help));
    return { op: 'const', value: null, type: T.error, span };
  }

  /** Checks an expression that must be boolean. */
  condition(e: A.Expr, scope: Scope): TExpr {
    const x = this.check(e, scope);
    if (x.type.t !== 'boolean' && x.type.t !== 'error') {
      this.diagnostics.push(error('C0025', e.span, { actual: typeName(x.type) }));
    }
    return x;
  }

  /** Checks an expression, optionally with the type its context expects (resolves enum members). */
  check(e: A.Expr, scope: Scope, expected?: Type): TExpr {
    switch (e.kind) {
      case 'number': {
        const v = parseDecimal(e.text);
        if (v === undefined) return this.err('S0007', e.span, { text: e.text });
        return { op: 'const', value: v, type: typeof v === 'number' && Number.isInteger(v) ? T.integer : T.number, span: e.span };
      }
      case 'percent': {
        const v = parseDecimal(e.text);
        if (v === undefined) return this.err('S0007', e.span, { text: `${e.text}%` });
        return { op: 'const', value: toRational(v, 100), type: T.percent, span: e.span };
      }
      case 'ratio': {
        const l = parseDecimal(e.left);
        const r = parseDecimal(e.right);
        if (l === undefined || r === undefined || (typeof r === 'number' && r === 0)) {
          return this.err('S0007', e.span, { text: `${e.left}:${e.right}` });
        }
        return { op: 'const', value: divExact(l, r), type: T.ratio, span: e.span };
      }
      case 'date': return { op: 'const', value: e.value, type: T.date, span: e.span };
      case 'duration': return { op: 'const', value: { amount: e.amount, unit: e.unit }, type: T.duration, span: e.span };
      case 'string': return { op: 'const', value: e.value, type: T.string, span: e.span };
      case 'bool': return { op: 'const', value: e.value, type: T.boolean, span: e.span };
      case 'none': {
        // An enum may have a member spelt `none` (the contract's `qualification: none`):
        // where such an enum is expected, `none` is that member, not the absent value.
        const member = this.enumMember('none', expected);
        if (member && expected) return { op: 'const', value: 'none', type: member, span: e.span };
        return { op: 'const', value: null, type: T.none, span: e.span };
      }
      case 'today': return { op: 'today', type: T.date, span: e.span };
      case 'paren': return this.check(e.inner, scope, expected);
      case 'name': return this.name(e, scope, expected);
      case 'field': return this.field(e, scope);
      case 'call': return this.call(e, scope);
      case 'set': return this.setLiteral(e, scope, expected);
      case 'unary': return this.unary(e, scope);
      case 'binary': return this.binary(e, scope);
      case 'aggregate': return this.aggregate(e, scope);
      case 'if': return this.ifExpr(e, scope, expected);
      default: return assertNever(e);
    }
  }

  /** `if c then a else b`: a boolean condition and branches of one type (and one unit). */
  private ifExpr(e: A.IfExpr, scope: Scope, expected?: Type): TExpr {
    const condition = this.condition(e.condition, scope);
    // Like `==`, a branch that is a bare enum member takes its type from the other branch.
    let then = this.tryCheck(e.then, scope);
    let otherwise: TExpr;
    if (then) otherwise = this.check(e.otherwise, scope, then.type.t === 'none' ? expected : then.type);
    else {
      otherwise = this.check(e.otherwise, scope, expected);
      then = this.check(e.then, scope, otherwise.type.t === 'none' ? expected : otherwise.type);
    }
    const a = then.type;
    const b = otherwise.type;
    let type: Type;
    if (a.t === 'error' || b.t === 'error') type = TYPES.error;
    else if (a.t === 'none') type = b;
    else if (b.t === 'none') type = a;
    else if (!compatible(a, b) || unitsClash(a, b) || (isNumeric(a) !== isNumeric(b))) {
      this.diagnostics.push(error('C0202', e.span, { then: typeName(a), else: typeName(b) }));
      type = TYPES.error;
    } else if (isNumeric(a) && isNumeric(b)) {
      const unit = unitOf(a) ?? unitOf(b);
      type = withUnit(a.t === b.t ? a : a.t === 'integer' ? b : b.t === 'integer' ? a : T.number, unit);
    } else type = a;
    return { op: 'if', condition, then, otherwise, type, span: e.span };
  }

  private name(e: A.NameRef, scope: Scope, expected?: Type): TExpr {
    if (e.name === '') return { op: 'const', value: null, type: T.error, span: e.span }; // a syntax error already reported
    const b = scope.lookup(e.name);
    if (b) return 'expr' in b ? { ...b.expr, span: e.span } : { op: 'var', slot: b.slot, name: e.name, type: b.type, span: e.span };
    const p = this.symbols.params.get(e.name);
    if (p) return { op: 'param', name: p.name, type: p.type, span: e.span };
    const s = this.symbols.sets.get(e.name);
    if (s) return { op: 'const', value: s.values, type: { t: 'set', of: s.type }, span: e.span, name: s.name };
    const member = this.enumMember(e.name, expected);
    if (member) return { op: 'const', value: e.name, type: member, span: e.span };
    const d = this.symbols.defines.get(e.name);
    if (d && d.formals.length === 0) return this.inline(d, [], e.span, scope);
    const expectedEnum = expected && (expected.t === 'set' || expected.t === 'list') ? expected.of : expected;
    if (expectedEnum?.t === 'enum') {
      return this.err('C0015', e.span, { name: e.name, type: expectedEnum.name }, didYouMean(e.name, this.enumMembersOf(expected)));
    }
    const candidates = [...scope.names(), ...this.symbols.params.keys(), ...this.symbols.sets.keys(), ...this.symbols.defines.keys(), ...this.enumMembersOf(expected)];
    const help = e.name.includes('-') ? SUBTRACTION_HELP : this.declaredHint(e.name, candidates, scope);
    return this.err('C0001', e.span, { name: e.name }, help);
  }

  /**
   * "did you mean the parameter declared as `civil_afairs_share` at 10-params.clause:3:7?": when
   * the closest name is a declaration, the hint points back to it, because the slip may be in
   * the declaration rather than at this use (and then the other uses are right).
   */
  private declaredHint(name: string, candidates: readonly string[], scope: Scope): MessageTemplate | undefined {
    const best = closestName(name, candidates);
    if (best === undefined) return undefined;
    const sy = this.symbols;
    const decl: [MessageTemplate, Span] | undefined = scope.lookup(best) ? undefined
      : sy.params.get(best) ? [{ zh: '参数', en: 'parameter' }, sy.params.get(best)!.span]
      : sy.sets.get(best) ? [{ zh: '集合', en: 'set' }, sy.sets.get(best)!.span]
      : sy.defines.get(best) ? [{ zh: '定义', en: 'definition' }, sy.defines.get(best)!.nameSpan]
      : sy.tables.get(best) ? [{ zh: '表', en: 'table' }, sy.tables.get(best)!.span]
      : undefined;
    if (!decl) return { zh: `是否想写 \`${best}\`？`, en: `did you mean \`${best}\`?` };
    const place = sy.placeOf ? sy.placeOf(decl[1], best) : decl[1].file;
    return { zh: `是否指 ${place} 处声明的${decl[0].zh} \`${best}\`？`, en: `did you mean the ${decl[0].en} declared as \`${best}\` at ${place}?` };
  }

  private enumMembersOf(expected: Type | undefined): string[] {
    const t = expected && (expected.t === 'set' || expected.t === 'list') ? expected.of : expected;
    if (t?.t !== 'enum') return [];
    return [...(this.symbols.enums.get(t.name)?.members.keys() ?? [])];
  }

  private enumMember(name: string, expected: Type | undefined): Type | undefined {
    const t = expected && (expected.t === 'set' || expected.t === 'list') ? expected.of : expected;
    if (t?.t === 'enum') return this.symbols.enums.get(t.name)?.members.has(name) ? t : undefined;
    if (t && t.t !== 'error') return undefined;
    // No typed context (e.g. a set declared without a type): the unique enum holding the name.
    const owners = [...this.symbols.enums.values()].filter((en) => en.members.has(name));
    return owners.length === 1 ? { t: 'enum', name: owners[0].name } : undefined;
  }

  private field(e: A.FieldAccess, scope: Scope): TExpr {
    const target = this.check(e.target, scope);
    const t = target.type;
    if (t.t === 'error') return { op: 'const', value: null, type: T.error, span: e.span };
    if (t.t !== 'subject' && t.t !== 'group') {
      return this.err('C0002', e.fieldSpan, { kind: typeName(t), field: e.field });
    }
    const kind = this.symbols.kinds.get(t.kind);
    if (!kind) return { op: 'const', value: null, type: T.error, span: e.span };
    const path = t.t === 'group' ? `${t.prefix}.${e.field}` : e.field;
    // A field read continues from the subject, so `i.posts.total` compiles to one path read.
    const base = target.op === 'field' && t.t === 'group' ? target.target : target;
    const info = kind.fields.get(path);
    if (info) {
      if (info.isRecord) return { op: 'field', target: base, path, type: { t: 'group', kind: kind.name, prefix: path }, label: info.label, span: e.span };
      return { op: 'field', target: base, path, type: info.type, label: info.label, span: e.span };
    }
    if (t.t === 'subject') {
      const rel = kind.relations.get(path);
      if (rel) return { op: 'relation', target, relation: rel, type: { t: 'list', of: { t: 'subject', kind: rel.target } }, span: e.span };
    }
    if ([...kind.fields.keys()].some((k) => k.startsWith(`${path}.`))) {
      return { op: 'field', target: base, path, type: { t: 'group', kind: kind.name, prefix: path }, span: e.span };
    }
    const prefix = t.t === 'group' ? `${t.prefix}.` : '';
    const siblings = [...kind.fields.keys(), ...kind.relations.keys()]
      .filter((k) => k.startsWith(prefix))
      .map((k) => k.slice(prefix.length).split('.')[0]);
    const help = e.field.includes('-') ? SUBTRACTION_HELP : didYouMean(e.field, siblings);
    return this.err('C0002', e.fieldSpan, { kind: t.t === 'group' ? `${t.kind}.${t.prefix}` : t.kind, field: e.field }, help);
  }

  private call(e: A.Call, scope: Scope): TExpr {
    if (isBuiltin(e.callee)) return this.builtin(e, e.callee, scope);
    const table = this.symbols.tables.get(e.callee);
    if (table) {
      if (e.args.length !== table.formals.length) {
        return this.err('C0016', e.calleeSpan, { name: e.callee, expected: table.formals.length, actual: e.args.length });
      }
      const args = e.args.map((a, i) => this.expectType(a, scope, table.formals[i].type, table.formals[i].name));
      return { op: 'table', table: table.name, args, type: table.result, span: e.span };
    }
    const d = this.symbols.defines.get(e.callee);
    if (d) {
      if (e.args.length !== d.formals.length) {
        return this.err('C0016', e.calleeSpan, { name: e.callee, expected: d.formals.length, actual: e.args.length });
      }
      const args = e.args.map((a) => this.check(a, scope));
      return this.inline(d, args, e.span, scope);
    }
    const candidates = [...Object.keys(BUILTINS), ...this.symbols.tables.keys(), ...this.symbols.defines.keys()];
    return this.err('C0024', e.calleeSpan, { name: e.callee }, didYouMean(e.callee, candidates));
  }

  /**
   * A call of a definition: a `def` node over the body shared by every call with the same
   * argument types, or, when the expansion is tiny, the body checked in place with its formals
   * bound to the call's arguments.
   */
  private inline(d: A.DefineDecl, args: TExpr[], span: Span, scope: Scope): TExpr {
    if (this.symbols.cyclicDefines.has(d.name) || this.defineStack.includes(d.name)) {
      return { op: 'const', value: null, type: T.error, span };
    }
    d.formals.forEach((f, i) => {
      const declared = resolveTypeName(f.type, this.symbols);
      if (declared && !assignable(declared, args[i].type)) {
        this.diagnostics.push(error('C0003', args[i].span, { expected: typeName(declared), actual: typeName(args[i].type) }));
      } else if (declared && unitsClash(declared, args[i].type)) {
        this.diagnostics.push(error('C0212', args[i].span, { name: f.name, expected: unitText(declared), actual: unitText(args[i].type) }));
      }
    });
    const shared = this.sharedBody(d, args);
    if (inlinedSize(shared.body, args, INLINE_LIMIT) <= INLINE_LIMIT) {
      const inner = scope.isolated();
      d.formals.forEach((f, i) => inner.bind(f.name, args[i]));
      this.defineStack.push(d.name);
      try {
        return this.check(d.body, inner);
      } finally {
        this.defineStack.pop();
      }
    }
    if (!shared.reported) {
      shared.reported = true;
      this.diagnostics.push(...shared.diagnostics);
    }
    return { op: 'def', name: d.name, args, body: shared.body, slots: shared.slots, type: shared.body.type, span };
  }

  /** The body of `d` checked once for the types of `args`: formal i is slot i of its own frame. */
  private sharedBody(d: A.DefineDecl, args: readonly TExpr[]): SharedBody {
    const key = [d.name, ...args.map((a) => typeKey(a.type))].join('\u0000');
    let shared = this.shared.get(key);
    if (shared) return shared;
    const inner = Scope.root();
    d.formals.forEach((f, i) => inner.declare(f.name, args[i].type));
    const before = this.diagnostics.length;
    this.defineStack.push(d.name);
    let body: TExpr;
    try {
      body = this.check(d.body, inner);
    } finally {
      this.defineStack.pop();
    }
    shared = { body, slots: inner.slots, diagnostics: this.diagnostics.splice(before), reported: false };
    this.shared.set(key, shared);
    return shared;
  }

  private builtin(e: A.Call, fn: BuiltinFn, scope: Scope): TExpr {
    const arity = BUILTINS[fn];
    if (e.args.length < arity.min || e.args.length > arity.max) {
      return this.err('C0016', e.calleeSpan, { name: fn, expected: arity.min === arity.max ? arity.min : `${arity.min}–${arity.max}`, actual: e.args.length });
    }
    const args = e.args.map((a) => this.check(a, scope));
    const wantNumeric = (a: TExpr) => {
      if (!isNumeric(a.type) && a.type.t !== 'error' && a.type.t !== 'none') this.diagnostics.push(error('C0003', a.span, { expected: 'number', actual: typeName(a.type) }));
    };
    const wantDate = (a: TExpr) => {
      if (a.type.t !== 'date' && a.type.t !== 'error' && a.type.t !== 'none') this.diagnostics.push(error('C0003', a.span, { expected: 'date', actual: typeName(a.type) }));
    };
    let type: Type;
    switch (fn) {
      case 'has': type = T.boolean; break;
      case 'ceil': case 'floor': case 'round': case 'round_half_even': {
        args.forEach(wantNumeric);
        const step = args[1];
        if (step) {
          // A literal or a parameter: the checker must know the step to prove results whole.
          const v = constValueOf(step);
          const ok = step.type.t === 'error' || (step.op === 'param' && isNumeric(step.type)) || (v !== undefined && isNum(v) && compare(v, 0) > 0);
          if (!ok || unitOf(step.type) !== undefined) this.diagnostics.push(error('C0206', step.span, { text: exprText(e.args[1]) }));
        }
        // The result keeps the unit: rounding 元 gives 元. Whole steps of a whole number are whole.
        const whole = !step || (step.type.t === 'integer');
        type = withUnit(whole ? T.integer : args[0].type.t === 'integer' ? T.number : args[0].type, unitOf(args[0].type));
        break;
      }
      case 'abs': args.forEach(wantNumeric); type = args[0].type; break;
      case 'min': case 'max': {
        args.forEach(wantNumeric);
        const clash = args.find((a) => unitsClash(args[0].type, a.type));
        if (clash) this.diagnostics.push(error('C0200', e.span, { op: fn, left: unitText(args[0].type), right: unitText(clash.type) }));
        const unit = args.map((a) => unitOf(a.type)).find((u) => u !== undefined);
        type = withUnit(args.every((a) => a.type.t === 'integer') ? T.integer : args[0].type, unit);
        break;
      }
      case 'years_between': case 'days_between': args.forEach(wantDate); type = T.integer; break;
      case 'size':
        if (args[0].type.t !== 'list' && args[0].type.t !== 'set' && args[0].type.t !== 'error') this.diagnostics.push(error('C0028', args[0].span, { name: 'size' }));
        type = T.integer;
        break;
      case 'percent': args.forEach(wantNumeric); type = T.percent; break;
      default: return assertNever(fn);
    }
    return { op: 'call', fn, args, type, span: e.span };
  }

  private expectType(a: A.Expr, scope: Scope, expected: Type, name = exprText(a)): TExpr {
    const x = this.check(a, scope, expected);
    if (!assignable(expected, x.type)) this.diagnostics.push(error('C0003', a.span, { expected: typeName(expected), actual: typeName(x.type) }));
    else if (unitsClash(expected, x.type)) this.diagnostics.push(error('C0212', a.span, { name, expected: unitText(expected), actual: unitText(x.type) }));
    return x;
  }

  private setLiteral(e: A.SetLit, scope: Scope, expected?: Type): TExpr {
    const elementType = expected && (expected.t === 'set' || expected.t === 'list') ? expected.of : expected;
    const items = e.items.map((i) => this.check(i, scope, elementType));
    const of = elementType ?? items.find((i) => i.type.t !== 'error')?.type ?? T.error;
    for (const item of items) {
      if (!compatible(of, item.type)) this.diagnostics.push(error('C0003', item.span, { expected: typeName(of), actual: typeName(item.type) }));
    }
    return { op: 'set', items, type: { t: 'set', of }, span: e.span };
  }

  private unary(e: A.Unary, scope: Scope): TExpr {
    if (e.op === 'not') {
      const operand = this.condition(e.operand, scope);
      return { op: 'not', operand, type: T.boolean, span: e.span };
    }
    const operand = this.check(e.operand, scope);
    if (!isNumeric(operand.type) && operand.type.t !== 'error' && operand.type.t !== 'duration') {
      this.diagnostics.push(error('C0003', e.operand.span, { expected: 'number', actual: typeName(operand.type) }));
    }
    return { op: 'neg', operand, type: operand.type, span: e.span };
  }

  private binary(e: A.Binary, scope: Scope): TExpr {
    const op = e.op;
    if (op === 'and' || op === 'or') {
      const left = this.condition(e.left, scope);
      const right = this.condition(e.right, scope);
      return { op: 'binary', bop: op, left, right, type: T.boolean, span: e.span };
    }
    if (op === 'in' || op === 'not in') {
      const left = this.check(e.left, scope);
      const right = this.check(e.right, scope, { t: 'set', of: left.type });
      if (right.type.t !== 'set' && right.type.t !== 'list' && right.type.t !== 'error') {
        this.diagnostics.push(error('C0028', e.right.span, { name: exprText(e.right) }));
      } else if ((right.type.t === 'set' || right.type.t === 'list') && !compatible(left.type, right.type.of)) {
        this.diagnostics.push(error('C0029', e.span, { left: typeName(left.type), right: typeName(right.type) }));
      }
      return { op: 'binary', bop: op, left, right, type: T.boolean, span: e.span };
    }
    // Resolve enum members from whichever side has a type: `tier == assistant`, `assistant == tier`.
    let left = this.tryCheck(e.left, scope);
    let right: TExpr;
    if (left) {
      right = this.check(e.right, scope, left.type);
    } else {
      right = this.check(e.right, scope);
      left = this.check(e.left, scope, right.type);
    }
    const lt = left.type;
    const rt = right.type;
    const anyError = lt.t === 'error' || rt.t === 'error';
    const bad = (): TExpr => {
      // `u.share >= 70`: a percentage compared with a plain number is nearly always a missing `%`.
      const plain = lt.t === 'percent' && e.right.kind === 'number' ? e.right : rt.t === 'percent' && e.left.kind === 'number' ? e.left : undefined;
      this.diagnostics.push(error('C0029', e.span, { left: typeName(lt), right: typeName(rt) }, plain ? percentSignHint(plain.text) : undefined));
      return { op: 'binary', bop: op, left, right, type: T.error, span: e.span };
    };
    if (!anyError && (op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=' || op === '+' || op === '-') && unitsClash(lt, rt)) {
      this.diagnostics.push(error('C0200', e.span, { op, left: unitText(lt), right: unitText(rt) }));
      return { op: 'binary', bop: op, left, right, type: op === '+' || op === '-' ? T.error : T.boolean, span: e.span };
    }
    switch (op) {
      case '==':
      case '!=':
        if (!anyError && !compatible(lt, rt)) return bad();
        return { op: 'binary', bop: op, left, right, type: T.boolean, span: e.span };
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const ordered = (isNumeric(lt) && isNumeric(rt) && compatible(lt, rt)) || (lt.t === 'date' && rt.t === 'date') || lt.t === 'none' || rt.t === 'none';
        if (!anyError && !ordered) return bad();
        return { op: 'binary', bop: op, left, right, type: T.boolean, span: e.span };
      }
      case '+':
      case '-': {
        if (anyError) return { op: 'binary', bop: op, left, right, type: T.error, span: e.span };
        if (lt.t === 'date' && rt.t === 'duration') return { op: 'binary', bop: op, left, right, type: T.date, span: e.span };
        if (!isNumeric(lt) || !isNumeric(rt)) return bad();
        const type = withUnit(lt.t === rt.t ? lt : T.number, unitOf(lt) ?? unitOf(rt));
        return { op: 'binary', bop: op, left, right, type, span: e.span };
      }
      case '*':
      case '/': {
        if (anyError) return { op: 'binary', bop: op, left, right, type: T.error, span: e.span };
        if (!isNumeric(lt) || !isNumeric(rt)) return bad();
        const ul = unitOf(lt);
        const ur = unitOf(rt);
        let unit: string | undefined;
        if (ul !== undefined && ur !== undefined) {
          // 元 / 元 is a plain ratio; any other product or quotient of units has no unit we declare.
          if (op === '*' || ul !== ur) {
            this.diagnostics.push(error('C0201', e.span, { left: ul, right: ur }));
            return { op: 'binary', bop: op, left, right, type: T.error, span: e.span };
          }
        } else unit = op === '*' ? ul ?? ur : ul;
        const type = op === '*' && lt.t === 'integer' && rt.t === 'integer' ? T.integer : T.number;
        return { op: 'binary', bop: op, left, right, type: withUnit(type, unit), span: e.span };
      }
      default:
        return bad();
    }
  }

  /**
   * Checks `e` only if it does not need a context type (a bare enum member does), without
   * reporting: lets `assistant == w.post.tier` resolve `assistant` from the right side.
   */
  private tryCheck(e: A.Expr, scope: Scope): TExpr | undefined {
    if (e.kind === 'name' && !scope.lookup(e.name) && !this.symbols.params.has(e.name) && !this.symbols.sets.has(e.name) && !this.symbols.defines.has(e.name)) {
      return undefined;
    }
    return this.check(e, scope);
  }

  private aggregate(e: A.Aggregate, scope: Scope): TExpr {
    const source = this.check(e.source, scope);
    let elementType: Type = T.error;
    if (source.type.t === 'list' || source.type.t === 'set') elementType = source.type.of;
    else if (source.type.t !== 'error') this.diagnostics.push(error('C0028', e.source.span, { name: exprText(e.source) }));
    const inner = scope.child();
    const slot = inner.declare(e.variable, elementType);
    const where = e.where ? this.condition(e.where, inner) : undefined;
    let body: TExpr | undefined;
    let type: Type;
    switch (e.fn) {
      case 'count':
        if (e.body) body = this.condition(e.body, inner);
        type = T.integer;
        break;
      case 'all':
      case 'any':
        if (e.body) body = this.condition(e.body, inner);
        type = T.boolean;
        break;
      case 'share':
        if (!e.body) {
          this.diagnostics.push(error('C0035', e.span, { rule: 'share', what: '`: condition`' }));
        } else body = this.condition(e.body, inner);
        type = T.percent;
        break;
      case 'sum':
      case 'min':
      case 'max':
        if (!e.body) {
          this.diagnostics.push(error('C0035', e.span, { rule: e.fn, what: '`: value`' }));
          type = T.error;
        } else {
          body = this.check(e.body, inner);
          if (!isNumeric(body.type) && body.type.t !== 'error') this.diagnostics.push(error('C0003', e.body.span, { expected: 'number', actual: typeName(body.type) }));
          type = body.type;
        }
        break;
      default:
        return assertNever(e.fn);
    }
    return { op: 'aggregate', fn: e.fn, slot, variable: e.variable, source, where, body, type, span: e.span };
  }
}

function toRational(v: Num, divisor: number): Num {
  return divExact(v, divisor);
}

function divExact(a: Num, b: Num): Num {
  const [an, ad] = typeof a === 'number' ? [a, 1] : [a.n, a.d];
  const [bn, bd] = typeof b === 'number' ? [b, 1] : [b.n, b.d];
  return makeRational(an * bd, ad * bn);
}

/** Resolves a declared type name. */
export function resolveTypeName(ref: A.TypeRef, symbols: Pick<Symbols, 'enums' | 'kinds'>): Type | undefined {
  const scalar = ['integer', 'number', 'percent', 'ratio', 'date', 'duration', 'boolean', 'string'];
  let base: Type | undefined;
  if (scalar.includes(ref.name)) base = (ref.unit !== undefined ? { t: ref.name, unit: ref.unit } : { t: ref.name }) as Type;
  else if (symbols.enums.has(ref.name)) base = { t: 'enum', name: ref.name };
  else if (symbols.kinds.has(ref.name)) base = { t: 'subject', kind: ref.name };
  if (!base) return undefined;
  return ref.list ? { t: 'list', of: base } : base;
}

/** Source-like text of an expression for messages (not the printer: no layout rules). */
export function exprText(e: A.Expr): string {
  switch (e.kind) {
    case 'name': return e.name;
    case 'field': return `${exprText(e.target)}.${e.field}`;
    case 'call': return `${e.callee}(…)`;
    case 'number': return e.text;
    case 'percent': return `${e.text}%`;
    default: return e.kind;
  }
}

/** Evaluates a constant expression (parameter values, set members, table cells). */
export function constValueOf(x: TExpr): ConstValue | undefined {
  switch (x.op) {
    case 'const': return x.value;
    case 'neg': {
      const v = constValueOf(x.operand);
      if (typeof v === 'number') return -v + 0;
      if (v && typeof v === 'object' && 'n' in v) return makeRational(-(v as { n: number }).n, (v as { d: number }).d);
      return undefined;
    }
    case 'set': {
      const values = x.items.map(constValueOf);
      if (values.some((v) => v === undefined)) return undefined;
      return new Set(values);
    }
    default: return undefined;
  }
}
