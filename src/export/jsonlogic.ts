/**
 * Export of a checked policy as JSON Logic (https://jsonlogic.com), so that systems written in
 * other languages can run the same checks with their own JSON Logic library.
 *
 * Each rule's typed expressions (`where`, the requirement or eligibility condition, the
 * deadline) are translated into JSON Logic over one data object per subject:
 *
 *     { "subject": <the subject's facts as in the facts file, each reference (`worker.institution`,
 *                   `region.parent`) replaced by the referenced subject's own facts, whose
 *                   references stay ids>,
 *       "asOf": "YYYY-MM-DD" }
 *
 * What the translation does, and why:
 * - Parameters are resolved to constants for the export's as-of date, and every sub-expression
 *   that reads no fact (`today + 1y`, `70% * 2`) is folded to a constant by the native engine,
 *   so the export and the engine agree on them by construction.
 * - Numbers stay exact. JSON Logic computes in doubles, where `0.7 * 10` is not 7, so a numeric
 *   expression is carried as an integer-valued numerator over a positive integer constant
 *   denominator, and a comparison is multiplied out: `a >= 70% * b` becomes `a * 10 >= 7 * b`.
 *   `ceil`/`floor`/`round` of such a fraction use the integer remainder (`%`), never a double
 *   quotient. Exactness therefore holds wherever the facts themselves are integers; arithmetic
 *   on decimal facts is flagged per rule in `caveats`.
 * - `none` (a fact known to be absent, `null` in the facts) keeps the engine's meaning: a
 *   comparison with it is false, `has(x)` is `x !== null`, and `none == none` holds. Every
 *   comparison therefore carries explicit null guards instead of relying on JavaScript's
 *   coercion (`null < 5` is true in JavaScript).
 * - Sets become arrays tested with `in`; tables become `if` chains that end in `null` (a missing
 *   row); dates are `YYYY-MM-DD` strings and compare as strings.
 * - Aggregates over a list-valued fact become `none`/`some`/`filter`/`reduce`. Aggregates over
 *   relations (`r.descendants`, `i.workers`) need other subjects' facts and are not exported.
 *
 * What JSON Logic cannot say is listed, never dropped: rules that need a relation, an unset
 * parameter, calendar arithmetic on facts, division by a fact, … are put under `unsupported`
 * with their reasons. Unknown propagation is not encoded: JSON Logic is two-valued, a missing
 * fact reads as `null`, and the export's answer for a subject with missing facts is not the
 * engine's `unknown`. Each rule lists the data paths it `reads` so a caller can tell.
 *
 * Browser-safe: no file system, no `eval`; the engine's own closures fold constants.
 */
import { assertNever } from '../model/ast.js';
import type { Lang } from '../model/diagnostics.js';
import * as Q from '../model/rational.js';
import type { ConstValue, Policy, RuleInfo, TExpr, Type } from '../model/types.js';
import { EXPANSION_BUDGET, Expander } from '../compile/expand.js';
import { isNumeric } from '../model/types.js';
import { Compiler, UNKNOWN, type Frame } from '../compile/compile.js';
import { texprText } from '../compile/describe.js';
import { paramsAsOf } from '../eval/evaluate.js';
import type { FactRecord, Subject } from '../facts/facts.js';

/** A JSON Logic expression (or any JSON value, which JSON Logic returns as itself). */
export type JsonLogic = null | boolean | number | string | readonly JsonLogic[] | { readonly [op: string]: JsonLogic };

/** Why a rule cannot be exported; stable identifiers for programs, with text in `reason`. */
export type UnsupportedCode =
  | 'relation'
  | 'unset-parameter'
  | 'undefined-arithmetic'
  | 'reference-depth'
  | 'outer-variable'
  | 'date-arithmetic'
  | 'division'
  | 'share'
  | 'subject-collection'
  | 'conditional'
  | 'value-rule'
  | 'rounding-step'
  | 'definition-size';

/** One exported rule. Its three expressions are evaluated on the data object described in `dataShape`. */
export interface JsonLogicRule {
  readonly id: string;
  readonly cite: string;
  readonly title: string;
  readonly modality: 'must' | 'should' | 'may';
  readonly type: 'obligation' | 'entitlement';
  /** The subject kind the rule applies to (`region`, `institution`, `worker`). */
  readonly kind: string;
  /** Truthy when the rule applies (includes the policy's and the rule's effective window). */
  readonly where: JsonLogic;
  /** Truthy when the requirement holds (obligations) or the subject is eligible (entitlements). */
  readonly condition: JsonLogic;
  /** The deadline as a `YYYY-MM-DD` string, `null` when the rule has none. */
  readonly deadline: JsonLogic;
  /** Every data path the three expressions read (`subject.posts.total`). */
  readonly reads: readonly string[];
  /** Where the export may differ from the engine although the rule is expressible. */
  readonly caveats?: readonly string[];
}

/** A rule the export cannot express, and why. */
export interface UnsupportedRule {
  readonly id: string;
  readonly cite: string;
  readonly kind: string;
  /** The first reason's code; `codes` has them all. */
  readonly code: UnsupportedCode;
  readonly codes: readonly UnsupportedCode[];
  /** Every reason, in the export's language, joined by `; `. */
  readonly reason: string;
}

/** The whole export. */
export interface JsonLogicExport {
  readonly format: 'clausal-jsonlogic';
  readonly formatVersion: 1;
  readonly policy: string;
  readonly version: string;
  readonly asOf: string;
  /** How to build the data object each rule is evaluated on. */
  readonly dataShape: string;
  /** The facts-file list of each subject kind (`region` -> `regions`). */
  readonly lists: Readonly<Record<string, string>>;
  /** Reference fields per subject kind (field path -> referenced kind): the fields to inline. */
  readonly references: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Parameter values in force on `asOf` (`null`: unset); already substituted into the rules. */
  readonly parameters: Readonly<Record<string, JsonLogic>>;
  readonly rules: readonly JsonLogicRule[];
  readonly unsupported: readonly UnsupportedRule[];
  readonly notes: readonly string[];
}

/** Options of {@link exportJsonLogic}. */
export interface JsonLogicExportOptions {
  /** The date parameters are resolved for, `YYYY-MM-DD`. */
  readonly asOf: string;
  /** Language of titles, reasons and notes (default zh). */
  readonly lang?: Lang;
}

type Texts = Readonly<Record<Lang, string>>;

const REASONS: Readonly<Record<UnsupportedCode, Texts>> = {
  'conditional': {
    zh: '`{expr}` 是条件表达式（if）：JSON Logic 的 if 是二值的，本引擎在条件未知且两分支不同时判定为 unknown，尚未导出',
    en: '`{expr}` is a conditional (`if`): JSON Logic\'s `if` is two-valued, while the engine answers unknown for an unknown condition whose branches differ; not exported yet',
  },
  'value-rule': {
    zh: '值规则（compute）计算金额或数量而非判定状态，JSON Logic 导出只包含判定规则',
    en: 'a value rule (`compute`) yields an amount, not a status; the JSON Logic export holds decision rules only',
  },
  'rounding-step': {
    zh: '`{expr}` 按步长取整或银行家舍入，尚未实现其精确导出',
    en: '`{expr}` rounds to a step or half to even, whose exact export is not implemented',
  },
  'relation': {
    zh: '`{expr}` 汇总其他主体（关系 `{name}`）的事实，单个主体的数据中没有这些事实；请预先计算或用本引擎评估',
    en: '`{expr}` gathers other subjects\' facts (relation `{name}`), which one subject\'s data does not hold; precompute them or evaluate natively',
  },
  'unset-parameter': {
    zh: '参数 `{name}` 在 {asOf} 没有取值（须由地方细则设定），本引擎对此判定为 unknown',
    en: 'parameter `{name}` has no value on {asOf} (a local supplement must set it); the engine answers unknown',
  },
  'undefined-arithmetic': {
    zh: '`{expr}` 在 {asOf} 无定义（除数为零）',
    en: '`{expr}` is undefined on {asOf} (division by zero)',
  },
  'reference-depth': {
    zh: '`{expr}` 经过两层以上的引用，数据形状只内联一层',
    en: '`{expr}` follows more than one reference; the data shape inlines one level',
  },
  'outer-variable': {
    zh: '`{expr}` 在聚合内部引用外层变量 `{name}`，JSON Logic 的数组运算只能看到当前元素',
    en: '`{expr}` refers to the outer variable `{name}` inside an aggregate; JSON Logic array operations see only the current item',
  },
  'date-arithmetic': {
    zh: '`{expr}` 对事实做日历运算，JSON Logic 没有日期运算',
    en: '`{expr}` does calendar arithmetic on a fact; JSON Logic has no date operations',
  },
  'division': {
    zh: '`{expr}` 除以事实：双精度商不精确，且除数为零时本引擎判定为 unknown',
    en: '`{expr}` divides by a fact: a double quotient is inexact, and a zero divisor is unknown to the engine',
  },
  'share': {
    zh: '`{expr}` 是两个计数之比，未实现其精确比较',
    en: '`{expr}` is a ratio of two counts, whose exact comparison is not implemented',
  },
  'definition-size': {
    zh: '展开定义 `{expr}` 超过 {limit} 个节点（定义逐层多次调用前一层），JSON Logic 没有共享的函数',
    en: 'expanding the definition `{expr}` takes more than {limit} nodes (definitions that call the previous one several times per level); JSON Logic has no shared functions',
  },
  'subject-collection': {
    zh: '`{expr}` 比较主体集合，数据形状中没有主体集合',
    en: '`{expr}` tests membership in a collection of subjects, which the data shape does not hold',
  },
};

const CAVEAT_DECIMAL: Texts = {
  zh: '对小数事实做算术（{expr}）：JSON Logic 用双精度计算，恰在临界值时可能与本引擎的精确结果不同',
  en: 'arithmetic on decimal facts ({expr}): JSON Logic computes in doubles, so exactly at a boundary it may differ from the engine\'s exact answer',
};

const DATA_SHAPE: Texts = {
  zh: '每条规则在一个数据对象上求值：{"subject": 主体的事实（与事实文件相同，另含 "id"；references 列出的引用字段替换为被引用主体自己的事实对象，其中的引用仍为编号），"asOf": "YYYY-MM-DD"（须等于本导出的 asOf）}。缺失的事实省略或为 null；日期为 YYYY-MM-DD 字符串；数字为 JSON 数字（百分比写作小数，如 0.7）。',
  en: 'Each rule is evaluated on one data object: {"subject": the subject\'s facts as in the facts file, plus "id", with each reference field listed in `references` replaced by the referenced subject\'s own facts object (whose references stay ids), "asOf": "YYYY-MM-DD" (must equal this export\'s asOf)}. Missing facts are absent or null; dates are YYYY-MM-DD strings; numbers are JSON numbers (percentages as fractions, e.g. 0.7).',
};

const NOTES: readonly Texts[] = [
  {
    zh: '状态推导：where 为假 -> not_applicable；资格规则：condition 为真 -> eligible，否则 ineligible；义务规则：condition 为真 -> compliant；否则 should/may -> advisory；must 且 deadline 不为 null 且 asOf <= deadline -> pending；否则 violation。真假按 JSON Logic 的真值规则（null、0、""、[] 为假）。',
    en: 'Status: where falsy -> not_applicable; entitlements: condition truthy -> eligible, else ineligible; obligations: condition truthy -> compliant; else should/may -> advisory; must with a non-null deadline and asOf <= deadline -> pending; else violation. Truthiness is JSON Logic\'s (null, 0, "", [] are falsy).',
  },
  {
    zh: 'JSON Logic 是二值逻辑：缺失的事实读作 null，此时导出的答案不是本引擎的 unknown。本引擎对缺失事实作三值（Kleene）判断；若规则 reads 中的任一路径在数据中缺失，本引擎可能判定为 unknown，调用方应自行处理这种情况。',
    en: 'JSON Logic has two-valued logic: a missing fact reads as null, and the export\'s answer for it is not the engine\'s unknown. The engine uses three-valued (Kleene) logic for missing facts; when any path in a rule\'s `reads` is absent from the data, the engine may answer unknown, and callers must handle that themselves.',
  },
  {
    zh: '百分比与比例保持精确：比较两边同乘分母化为整数比较，例如 a >= 70% * b 导出为 a * 10 >= 7 * b；取整用整数余数（%）计算。事实为整数时结果与本引擎完全一致；对小数事实的算术见各规则的 caveats。',
    en: 'Percentages and ratios stay exact: both sides of a comparison are multiplied by the denominators, e.g. a >= 70% * b is exported as a * 10 >= 7 * b, and rounding uses the integer remainder (%). With integer facts the answers equal the engine\'s; arithmetic on decimal facts is listed in each rule\'s caveats.',
  },
  {
    zh: 'none（事实为 null）与本引擎含义相同：与 none 比较大小为假，has(x) 即 x !== null。参数已按 asOf 代入；不读取事实的子表达式（包括由 today 计算的日期）已折算为常量。',
    en: 'none (a null fact) means what it means to the engine: an ordering comparison with it is false, has(x) is x !== null. Parameters are substituted for asOf; sub-expressions that read no fact (including dates computed from today) are folded to constants.',
  },
  {
    zh: '只使用以下运算：var if and or ! !! === !== < <= > >= in + - * / % substr merge none some filter reduce。',
    en: 'Only these operations are used: var if and or ! !! === !== < <= > >= in + - * / % substr merge none some filter reduce.',
  },
];

function fill(template: string, args: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => args[name] ?? whole);
}

// ───────────────────────── JSON Logic builders ─────────────────────────

function op(name: string, ...args: JsonLogic[]): JsonLogic {
  return { [name]: args };
}

function v(path: string): JsonLogic {
  return { var: path };
}

function notNull(x: JsonLogic): JsonLogic {
  return op('!==', x, null);
}

/** Conjunction with constant folding; `true` stands for "no condition". */
function and(...parts: JsonLogic[]): JsonLogic {
  const out: JsonLogic[] = [];
  const seen = new Set<string>();
  const push = (p: JsonLogic) => {
    // The same null guard often comes from both sides of a rule (`has(x) and x <= d`).
    const key = JSON.stringify(p);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(p);
  };
  for (const p of parts) {
    if (p === true) continue;
    if (p === false) return false;
    const inner = andOperands(p);
    if (inner) inner.forEach(push);
    else push(p);
  }
  if (out.length === 0) return true;
  return out.length === 1 ? out[0] : op('and', ...out);
}

function andOperands(p: JsonLogic): readonly JsonLogic[] | undefined {
  if (p !== null && typeof p === 'object' && !Array.isArray(p)) {
    const o = p as { readonly [k: string]: JsonLogic };
    if (Object.keys(o).length === 1 && Array.isArray(o.and)) return o.and as readonly JsonLogic[];
  }
  return undefined;
}

function or(...parts: JsonLogic[]): JsonLogic {
  const out: JsonLogic[] = [];
  for (const p of parts) {
    if (p === false) continue;
    if (p === true) return true;
    out.push(p);
  }
  if (out.length === 0) return false;
  return out.length === 1 ? out[0] : op('or', ...out);
}

function not(x: JsonLogic): JsonLogic {
  if (typeof x === 'boolean') return !x;
  return op('!', x);
}

/** n * k for an integer constant k, merging constant factors. */
function scale(n: JsonLogic, k: number): JsonLogic {
  if (k === 1) return n;
  if (typeof n === 'number') return n * k;
  if (n !== null && typeof n === 'object' && !Array.isArray(n)) {
    const o = n as { readonly [k: string]: JsonLogic };
    const args = o['*'];
    if (Object.keys(o).length === 1 && Array.isArray(args) && typeof args[0] === 'number') {
      return op('*', (args[0] as number) * k, ...(args as JsonLogic[]).slice(1));
    }
  }
  return op('*', k, n);
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}

/** floor(m / q) for an integer-valued m and a positive integer q, without a double quotient. */
function floorDiv(m: JsonLogic, q: number): JsonLogic {
  const r = op('%', m, q);
  return op('-', op('/', op('-', m, r), q), op('if', op('<', r, 0), 1, 0));
}

/** ceil(m / q), likewise. */
function ceilDiv(m: JsonLogic, q: number): JsonLogic {
  const r = op('%', m, q);
  return op('+', op('/', op('-', m, r), q), op('if', op('>', r, 0), 1, 0));
}

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` string, as the engine counts them (proleptic
 * Gregorian, years starting in March so the leap day comes last):
 * 365y + ⌊y/4⌋ − ⌊y/100⌋ + ⌊y/400⌋ + day-of-year − 719468, with y the year less one in Jan/Feb.
 */
function dayNumber(date: JsonLogic): JsonLogic {
  const num = (start: number, length: number) => op('+', op('substr', date, start, length));
  const month = num(5, 2);
  const y = op('-', num(0, 4), op('if', op('<=', month, 2), 1, 0));
  const dayOfYear = op('+', floorDiv(op('+', op('*', 153, op('+', month, op('if', op('>', month, 2), -3, 9))), 2), 5), op('-', num(8, 2), 1));
  return op('+', op('*', 365, y), floorDiv(y, 4), op('-', floorDiv(y, 100)), floorDiv(y, 400), dayOfYear, -719468);
}

// ───────────────────────── translation ─────────────────────────

/**
 * A numeric expression as `n / q`: `n` a JSON Logic expression (integer-valued when the facts
 * are integers), `q` a positive integer constant. `guard` is truthy exactly when the engine's
 * value is not `none`; `faithful` says `n` itself is `null` exactly then (a plain fact read).
 */
interface NumX {
  readonly n: JsonLogic;
  readonly q: number;
  readonly guard: JsonLogic;
  readonly faithful: boolean;
  /** Built from a non-integer fact: arithmetic on it runs in doubles. */
  readonly decimal: boolean;
}

/** A non-numeric value: `v` is `null` exactly when the engine's value is `none`; `guard` is `v !== null`. */
interface ValX {
  readonly v: JsonLogic;
  readonly guard: JsonLogic;
}

/** Where variable slots point in the data: the rule's subject, or an array operation's item. */
interface Scope {
  /** slot -> data path prefix (`subject`, `` for a `filter`/`none`/`some` item, `current` in `reduce`). */
  readonly vars: ReadonlyMap<number, string>;
  readonly top: boolean;
}

interface Problem {
  readonly code: UnsupportedCode;
  readonly args: Readonly<Record<string, string>>;
}

const NULL_NUM: NumX = { n: null, q: 1, guard: false, faithful: true, decimal: false };

function isInteger(t: Type): boolean {
  return t.t === 'integer';
}

/** Translates the expressions of one rule. */
class RuleTranslator {
  readonly problems: Problem[] = [];
  readonly reads = new Set<string>();
  readonly decimalArithmetic = new Set<string>();

  constructor(
    private readonly policy: Policy,
    private readonly compiler: Compiler,
    private readonly asOf: string,
    private readonly params: Readonly<Record<string, unknown>>,
  ) {}

  private readonly expander = new Expander();

  /** A definition call inlined (JSON Logic has no functions); a typed `none` past the budget. */
  private inlined(x: Extract<TExpr, { op: 'def' }>): TExpr {
    const y = this.expander.expand(x);
    if (y) return y;
    this.problem('definition-size', { expr: texprText(x), limit: String(EXPANSION_BUDGET) });
    return { op: 'const', value: null, type: x.type, span: x.span };
  }

  private problem(code: UnsupportedCode, args: Record<string, string>): void {
    if (!this.problems.some((p) => p.code === code && JSON.stringify(p.args) === JSON.stringify(args))) this.problems.push({ code, args });
  }

  /** Whether an expression reads no fact: it can be folded to a constant. */
  private closed(x: TExpr): boolean {
    switch (x.op) {
      case 'const': case 'today': case 'param': return true;
      case 'var': case 'field': case 'relation': return false;
      case 'call': case 'table': return x.args.every((a) => this.closed(a));
      case 'set': return x.items.every((a) => this.closed(a));
      case 'not': case 'neg': return this.closed(x.operand);
      case 'binary': return this.closed(x.left) && this.closed(x.right);
      case 'aggregate': return false; // its body reads its own variable
      case 'if': return this.closed(x.condition) && this.closed(x.then) && this.closed(x.otherwise);
      case 'def': return this.closed(this.inlined(x));
      default: return assertNever(x);
    }
  }

  /** Folds a closed expression with the engine's own closures; UNKNOWN when it cannot. */
  private fold(x: TExpr): unknown {
    const frame: Frame = { slots: [], asOf: this.asOf, params: this.params, missing: [], errors: [] };
    const value = this.compiler.compile(x)(frame);
    if (value !== UNKNOWN) return value;
    for (const m of new Set(frame.missing)) if (m.startsWith('param ')) this.problem('unset-parameter', { name: m.slice(6), asOf: this.asOf });
    if (frame.errors.length) this.problem('undefined-arithmetic', { expr: texprText(x), asOf: this.asOf });
    return UNKNOWN;
  }

  private constJson(value: unknown, x: TExpr): JsonLogic {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if (Q.isNum(value)) return Q.toDouble(value);
    if (value instanceof Set) return [...value].map((item) => this.constJson(item, x));
    if (Array.isArray(value)) return value.map((item) => this.constJson(item, x));
    // A duration or a subject as a value: only reachable through calendar arithmetic on facts.
    this.problem('date-arithmetic', { expr: texprText(x) });
    return null;
  }

  /** Whether a field read goes through an inlined reference (`w.institution.region`). */
  private throughReference(x: Extract<TExpr, { op: 'field' }>): boolean {
    return x.target.op === 'field' && x.target.type.t === 'subject';
  }

  /** The data path of a field read, or undefined after reporting why there is none. */
  private fieldPath(x: Extract<TExpr, { op: 'field' }>, scope: Scope): string | undefined {
    const t = x.target;
    if (t.op === 'var') {
      const prefix = scope.vars.get(t.slot);
      if (prefix === undefined) {
        this.problem('outer-variable', { expr: texprText(x), name: t.name });
        return undefined;
      }
      const path = prefix === '' ? x.path : `${prefix}.${x.path}`;
      if (scope.top) this.reads.add(path);
      return path;
    }
    if (t.op === 'field' && t.type.t === 'subject') {
      // One level of references is inlined: `w.institution.category` reads subject.institution.category.
      if (t.target.op === 'var' && scope.top && scope.vars.get(t.target.slot) === 'subject') {
        const path = `subject.${t.path}.${x.path}`;
        // The reference itself is read first: when it is missing, so is everything behind it.
        this.reads.add(`subject.${t.path}`);
        this.reads.add(path);
        return path;
      }
      if (t.target.op === 'var' && !scope.vars.has(t.target.slot)) {
        this.problem('outer-variable', { expr: texprText(x), name: t.target.name });
        return undefined;
      }
      this.problem('reference-depth', { expr: texprText(x) });
      return undefined;
    }
    if (t.op === 'relation') {
      this.problem('relation', { expr: texprText(x), name: t.relation.name });
      return undefined;
    }
    this.problem('reference-depth', { expr: texprText(x) });
    return undefined;
  }

  // ── values ──

  /** A non-numeric value (also used for numbers where exactness is not at stake). */
  value(x: TExpr, scope: Scope): ValX {
    if (x.op === 'def') return this.value(this.inlined(x), scope);
    if (isNumeric(x.type)) {
      const n = this.num(x, scope);
      return { v: this.numValue(n), guard: n.guard };
    }
    if (x.type.t === 'boolean' && x.op !== 'field' && x.op !== 'var' && x.op !== 'const' && x.op !== 'table') {
      // A computed truth value is never none; `and` may return a falsy operand, so normalise.
      return { v: op('!!', this.bool(x, scope)), guard: true };
    }
    if (x.op === 'today') return { v: scope.top ? v('asOf') : this.asOf, guard: true };
    if (this.closed(x)) {
      const value = this.fold(x);
      if (value === UNKNOWN) return { v: null, guard: false };
      const json = this.constJson(value, x);
      return { v: json, guard: json !== null };
    }
    switch (x.op) {
      case 'var': {
        const prefix = scope.vars.get(x.slot);
        if (prefix === undefined) {
          this.problem('outer-variable', { expr: x.name, name: x.name });
          return { v: null, guard: false };
        }
        if (x.type.t === 'subject') {
          // A subject as a value compares by id.
          const path = prefix === '' ? 'id' : `${prefix}.id`;
          return { v: v(path), guard: scope.top ? true : notNull(v(path)) };
        }
        return { v: v(prefix), guard: notNull(v(prefix)) };
      }
      case 'field': {
        const path = this.fieldPath(x, scope);
        if (path === undefined) return { v: null, guard: false };
        const read = v(path);
        // A reference of the subject itself is inlined (compare its id); one of an inlined
        // subject is already an id.
        if (x.type.t === 'subject' && !this.throughReference(x)) return { v: v(`${path}.id`), guard: notNull(read) };
        return { v: read, guard: notNull(read) };
      }
      case 'relation':
        this.problem('relation', { expr: texprText(x), name: x.relation.name });
        return { v: null, guard: false };
      case 'table': {
        const chain = this.table(x, scope, (value) => this.constJson(value, x));
        return { v: chain, guard: notNull(chain) };
      }
      case 'set':
        return { v: x.items.map((i) => this.value(i, scope).v), guard: true };
      case 'binary':
        // Dates plus or minus durations on facts (everything numeric went to num()).
        this.problem('date-arithmetic', { expr: texprText(x) });
        return { v: null, guard: false };
      case 'call':
      case 'not':
      case 'neg':
      case 'aggregate':
        // Numeric and boolean results are handled above; nothing else is produced by these.
        this.problem('date-arithmetic', { expr: texprText(x) });
        return { v: null, guard: false };
      case 'const':
      case 'param':
        return { v: null, guard: false }; // closed, folded above
      case 'if':
        this.problem('conditional', { expr: texprText(x) });
        return { v: null, guard: false };
      default:
        return assertNever(x);
    }
  }

  private numValue(n: NumX): JsonLogic {
    const base = n.q === 1 ? n.n : op('/', n.n, n.q);
    if (n.faithful && n.q === 1) return base;
    if (n.guard === true) return base;
    if (n.guard === false) return null;
    return op('if', n.guard, base, null);
  }

  // ── numbers ──

  /** A numeric expression as an exact fraction. */
  num(x: TExpr, scope: Scope): NumX {
    if (x.op === 'def') return this.num(this.inlined(x), scope);
    if (this.closed(x)) {
      const value = this.fold(x);
      if (value === UNKNOWN || value === null) return NULL_NUM;
      if (!Q.isNum(value)) return NULL_NUM;
      return value instanceof Q.Rational
        ? { n: value.n, q: value.d, guard: true, faithful: true, decimal: false }
        : { n: value, q: 1, guard: true, faithful: true, decimal: !Number.isInteger(value) };
    }
    switch (x.op) {
      case 'var': {
        const prefix = scope.vars.get(x.slot);
        if (prefix === undefined) {
          this.problem('outer-variable', { expr: x.name, name: x.name });
          return NULL_NUM;
        }
        return { n: v(prefix), q: 1, guard: notNull(v(prefix)), faithful: true, decimal: !isInteger(x.type) };
      }
      case 'field': {
        const path = this.fieldPath(x, scope);
        if (path === undefined) return NULL_NUM;
        return { n: v(path), q: 1, guard: notNull(v(path)), faithful: true, decimal: !isInteger(x.type) };
      }
      case 'neg': {
        const a = this.num(x.operand, scope);
        return { ...a, n: typeof a.n === 'number' ? -a.n : op('-', a.n), faithful: a.guard === true };
      }
      case 'binary':
        return this.arithmetic(x, scope);
      case 'call':
        return this.numCall(x, scope);
      case 'table': {
        const info = this.policy.tables.get(x.table);
        let q = 1;
        for (const value of info?.rows.values() ?? []) if (value instanceof Q.Rational) q = lcm(q, value.d);
        const chain = this.table(x, scope, (value) => (Q.isNum(value) ? this.scaled(value, q) : null));
        return { n: chain, q, guard: notNull(chain), faithful: true, decimal: false };
      }
      case 'aggregate':
        return this.numAggregate(x, scope);
      case 'relation':
        this.problem('relation', { expr: texprText(x), name: x.relation.name });
        return NULL_NUM;
      case 'const': case 'today': case 'param': case 'set': case 'not':
        return NULL_NUM; // closed or not numeric: unreachable for a checked policy
      case 'if':
        this.problem('conditional', { expr: texprText(x) });
        return NULL_NUM;
      default:
        return assertNever(x);
    }
  }

  /** An exact constant times an integer, as an integer (when the product is one). */
  private scaled(value: Q.Num, k: number): number {
    return value instanceof Q.Rational ? (value.n * k) / value.d : value * k;
  }

  private noteDecimal(a: NumX, x: TExpr): void {
    if (a.decimal) this.decimalArithmetic.add(texprText(x));
  }

  private arithmetic(x: Extract<TExpr, { op: 'binary' }>, scope: Scope): NumX {
    if (x.left.type.t === 'date' || x.right.type.t === 'date' || x.right.type.t === 'duration') {
      this.problem('date-arithmetic', { expr: texprText(x) });
      return NULL_NUM;
    }
    const a = this.num(x.left, scope);
    const b = x.bop === '/' && this.closed(x.right) ? undefined : this.num(x.right, scope);
    const guard = and(a.guard, b?.guard ?? true);
    const faithful = guard === true;
    switch (x.bop) {
      case '+':
      case '-': {
        const bb = b!;
        const l = lcm(a.q, bb.q);
        if (a.decimal || bb.decimal) this.noteDecimal({ ...a, decimal: true }, x);
        return { n: op(x.bop, scale(a.n, l / a.q), scale(bb.n, l / bb.q)), q: l, guard, faithful, decimal: a.decimal || bb.decimal };
      }
      case '*': {
        const bb = b!;
        let n: JsonLogic;
        if (typeof a.n === 'number') n = scale(bb.n, a.n);
        else if (typeof bb.n === 'number') n = scale(a.n, bb.n);
        else n = op('*', a.n, bb.n);
        let q = a.q * bb.q;
        // Keep the fraction small: 70% * 10 is 7/1, not 700/100.
        if (typeof n === 'number') {
          const g = gcd(n, q) || 1;
          n /= g;
          q /= g;
        }
        if (a.decimal || bb.decimal) this.noteDecimal({ ...a, decimal: true }, x);
        return { n, q, guard, faithful, decimal: a.decimal || bb.decimal };
      }
      case '/': {
        if (!this.closed(x.right)) {
          this.problem('division', { expr: texprText(x) });
          return NULL_NUM;
        }
        const divisor = this.fold(x.right);
        if (divisor === UNKNOWN || divisor === null || !Q.isNum(divisor)) return NULL_NUM;
        if (Q.isZero(divisor)) {
          this.problem('undefined-arithmetic', { expr: texprText(x), asOf: this.asOf });
          return NULL_NUM;
        }
        // a / (r/s) = (a * s) / r: the numerator stays integral, the denominator constant.
        let r = divisor instanceof Q.Rational ? divisor.n : divisor;
        let s = divisor instanceof Q.Rational ? divisor.d : 1;
        if (r < 0) {
          r = -r;
          s = -s;
        }
        if (!Number.isInteger(r)) {
          this.problem('division', { expr: texprText(x) });
          return NULL_NUM;
        }
        return { n: scale(a.n, s), q: a.q * r, guard: a.guard, faithful: a.guard === true, decimal: a.decimal };
      }
      default:
        // Comparisons and logic are boolean, never numeric.
        return NULL_NUM;
    }
  }

  private numCall(x: Extract<TExpr, { op: 'call' }>, scope: Scope): NumX {
    switch (x.fn) {
      case 'percent': return this.num(x.args[0], scope);
      case 'ceil':
      case 'floor':
      case 'round':
      case 'round_half_even': {
        if (x.args.length > 1 || x.fn === 'round_half_even') {
          this.problem('rounding-step', { expr: texprText(x) });
          return NULL_NUM;
        }
        const a = this.num(x.args[0], scope);
        if (a.q === 1 && isInteger(x.args[0].type)) return a;
        if (a.decimal) this.noteDecimal(a, x);
        let n: JsonLogic;
        if (x.fn === 'ceil') n = ceilDiv(a.n, a.q);
        else if (x.fn === 'floor') n = floorDiv(a.n, a.q);
        else {
          // Half away from zero, as the engine rounds: sign(m) * floor((2|m| + q) / 2q).
          n = op('if', op('>=', a.n, 0),
            floorDiv(op('+', scale(a.n, 2), a.q), 2 * a.q),
            op('-', floorDiv(op('+', scale(a.n, -2), a.q), 2 * a.q)));
        }
        return { n, q: 1, guard: a.guard, faithful: a.guard === true, decimal: a.decimal };
      }
      case 'abs': {
        const a = this.num(x.args[0], scope);
        return { ...a, n: op('if', op('<', a.n, 0), op('-', a.n), a.n), faithful: a.guard === true };
      }
      case 'min':
      case 'max': {
        const args = x.args.map((a) => this.num(a, scope));
        const q = args.reduce((acc, a) => lcm(acc, a.q), 1);
        const values = args.map((a) => this.numValue({ ...a, n: scale(a.n, q / a.q), q: 1 }));
        const better = x.fn === 'min' ? '<' : '>';
        let n: JsonLogic;
        if (args.every((a) => a.guard === true)) n = op(x.fn, ...values);
        else {
          // The engine skips none arguments; Math.min would read them as 0.
          n = values[0];
          for (const value of values.slice(1)) {
            n = op('if', op('===', n, null), value, op('===', value, null), n, op(better, value, n), value, n);
          }
        }
        const guard = or(...args.map((a) => a.guard));
        return { n, q, guard, faithful: true, decimal: args.some((a) => a.decimal) };
      }
      case 'years_between': {
        const from = this.value(x.args[0], scope);
        const to = this.value(x.args[1], scope);
        // Completed years: the difference of the years, less one when the month-day is not reached.
        const year = (d: JsonLogic) => op('+', op('substr', d, 0, 4));
        const monthDay = (d: JsonLogic) => op('substr', d, 5);
        const n = op('-', op('-', year(to.v), year(from.v)), op('if', op('<', monthDay(to.v), monthDay(from.v)), 1, 0));
        const guard = and(from.guard, to.guard);
        return { n, q: 1, guard, faithful: guard === true, decimal: false };
      }
      case 'days_between': {
        const from = this.value(x.args[0], scope);
        const to = this.value(x.args[1], scope);
        const guard = and(from.guard, to.guard);
        return { n: op('-', dayNumber(to.v), dayNumber(from.v)), q: 1, guard, faithful: guard === true, decimal: false };
      }
      case 'size': {
        const list = this.source(x.args[0], scope);
        if (list === undefined) return NULL_NUM;
        const n = op('reduce', list.v, op('+', v('accumulator'), 1), 0);
        return { n, q: 1, guard: list.guard, faithful: list.guard === true, decimal: false };
      }
      case 'has':
        return NULL_NUM; // boolean
      default:
        return assertNever(x.fn);
    }
  }

  /** A table lookup as an `if` chain over its rows, ending in `null` for a missing row. */
  private table(x: Extract<TExpr, { op: 'table' }>, scope: Scope, cell: (value: ConstValue) => JsonLogic): JsonLogic {
    const info = this.policy.tables.get(x.table);
    if (!info) return null;
    const chain: JsonLogic[] = [];
    for (const [key, value] of info.rows) {
      const parts = key.split('\u0000');
      const tests = x.args.map((arg, i) => {
        const formal = info.formals[i]?.type ?? arg.type;
        const text = parts[i] ?? '';
        if (isNumeric(formal)) {
          const k = Q.parseDecimal(text);
          if (k === undefined) return false;
          return this.numEquals(this.num(arg, scope), { n: k instanceof Q.Rational ? k.n : k, q: k instanceof Q.Rational ? k.d : 1, guard: true, faithful: true, decimal: false });
        }
        const keyValue: JsonLogic = formal.t === 'boolean' ? text === 'true' : text;
        return op('===', this.value(arg, scope).v, keyValue);
      });
      chain.push(and(...tests), cell(value));
    }
    chain.push(null);
    return op('if', ...chain);
  }

  // ── truth values ──

  /** A boolean expression: truthy exactly when the engine's value is true (for known facts). */
  bool(x: TExpr, scope: Scope): JsonLogic {
    if (x.op === 'def') return this.bool(this.inlined(x), scope);
    if (this.closed(x) && x.op !== 'today') {
      const value = this.fold(x);
      return value === true;
    }
    switch (x.op) {
      case 'var':
      case 'field':
      case 'table':
        return this.value(x, scope).v;
      case 'not':
        return not(this.bool(x.operand, scope));
      case 'binary':
        return this.boolBinary(x, scope);
      case 'call':
        if (x.fn === 'has') {
          const arg = x.args[0];
          return isNumeric(arg.type) ? this.num(arg, scope).guard : this.value(arg, scope).guard;
        }
        return false;
      case 'aggregate':
        return this.boolAggregate(x, scope);
      case 'relation':
        this.problem('relation', { expr: texprText(x), name: x.relation.name });
        return false;
      case 'const': case 'today': case 'param': case 'set': case 'neg':
        return false; // not boolean: unreachable for a checked policy
      case 'if':
        this.problem('conditional', { expr: texprText(x) });
        return false;
      default:
        return assertNever(x);
    }
  }

  private boolBinary(x: Extract<TExpr, { op: 'binary' }>, scope: Scope): JsonLogic {
    switch (x.bop) {
      case 'and': return and(this.bool(x.left, scope), this.bool(x.right, scope));
      case 'or': return or(this.bool(x.left, scope), this.bool(x.right, scope));
      case '==':
      case '!=': {
        const eq = this.equals(x.left, x.right, scope, x);
        return x.bop === '==' ? eq : not(eq);
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        if (isNumeric(x.left.type) && isNumeric(x.right.type)) {
          const a = this.num(x.left, scope);
          const b = this.num(x.right, scope);
          const l = lcm(a.q, b.q);
          if ((l !== a.q && a.decimal) || (l !== b.q && b.decimal)) this.noteDecimal({ ...a, decimal: true }, x);
          return and(a.guard, b.guard, op(x.bop, scale(a.n, l / a.q), scale(b.n, l / b.q)));
        }
        // Dates (and strings) compare as strings: YYYY-MM-DD sorts chronologically.
        const a = this.value(x.left, scope);
        const b = this.value(x.right, scope);
        return and(a.guard, b.guard, op(x.bop, a.v, b.v));
      }
      case 'in':
      case 'not in': {
        const member = this.member(x.left, x.right, scope, x);
        return x.bop === 'in' ? member : not(member);
      }
      case '+': case '-': case '*': case '/':
        return false; // numeric: unreachable for a checked policy
      default:
        return assertNever(x.bop);
    }
  }

  private equals(left: TExpr, right: TExpr, scope: Scope, x: TExpr): JsonLogic {
    if (isNumeric(left.type) && isNumeric(right.type)) {
      const a = this.num(left, scope);
      const b = this.num(right, scope);
      if ((a.decimal && b.q !== 1) || (b.decimal && a.q !== 1)) this.noteDecimal({ ...a, decimal: true }, x);
      return this.numEquals(a, b);
    }
    return op('===', this.value(left, scope).v, this.value(right, scope).v);
  }

  /** Exact equality of two fractions, with the engine's `none == none`. */
  private numEquals(a: NumX, b: NumX): JsonLogic {
    if (a.faithful && b.faithful && a.q === 1 && b.q === 1) return op('===', a.n, b.n);
    const l = lcm(a.q, b.q);
    const same = op('===', scale(a.n, l / a.q), scale(b.n, l / b.q));
    if (a.guard === true && b.guard === true) return same;
    return op('if', a.guard, and(b.guard, same), not(b.guard));
  }

  private member(element: TExpr, collection: TExpr, scope: Scope, x: TExpr): JsonLogic {
    const itemType = collection.type.t === 'set' || collection.type.t === 'list' ? collection.type.of : collection.type;
    if (itemType.t === 'subject' || element.type.t === 'subject') {
      this.problem('subject-collection', { expr: texprText(x) });
      return false;
    }
    if (this.closed(collection)) {
      const value = this.fold(collection);
      if (value === UNKNOWN) return false;
      if (value === null) return false;
      const items = value instanceof Set ? [...value] : Array.isArray(value) ? (value as unknown[]) : [];
      if (isNumeric(element.type)) {
        const a = this.num(element, scope);
        if (a.q === 1 && items.every((i) => typeof i === 'number')) return op('in', this.numValue(a), items as number[]);
        // Exact membership of fractions: one exact equality per member.
        if (a.decimal) this.noteDecimal(a, x);
        return or(...items.filter(Q.isNum).map((i) => this.numEquals(a, { n: i instanceof Q.Rational ? i.n : i, q: i instanceof Q.Rational ? i.d : 1, guard: true, faithful: true, decimal: false })));
      }
      return op('in', this.value(element, scope).v, this.constJson(value, collection));
    }
    const list = this.source(collection, scope);
    if (list === undefined) return false;
    if (isNumeric(element.type)) {
      const a = this.num(element, scope);
      if (a.q !== 1 || a.decimal) this.noteDecimal({ ...a, decimal: true }, x);
    }
    return op('in', this.value(element, scope).v, list.v);
  }

  // ── aggregates over list-valued facts ──

  /** The array an aggregate or `size` walks: a list fact or a constant; relations are unsupported. */
  private source(x: TExpr, scope: Scope): ValX | undefined {
    if (x.op === 'relation') {
      this.problem('relation', { expr: texprText(x), name: x.relation.name });
      return undefined;
    }
    if (x.op === 'field' && x.target.op === 'relation') {
      this.problem('relation', { expr: texprText(x), name: x.target.relation.name });
      return undefined;
    }
    if (x.op === 'set' && !this.closed(x)) {
      // A set of facts holds each value once (`{u.a, u.b}` with a = b has one member): build it
      // by appending each item not already in the items before it.
      const items = x.items.map((i) => this.value(i, scope).v);
      if (x.items.some((i) => isNumeric(i.type) && !isInteger(i.type))) this.decimalArithmetic.add(texprText(x));
      const parts = items.map((item, i) => (i === 0 ? [item] : op('if', op('in', item, items.slice(0, i)), [], [item])));
      return { v: parts.length === 1 ? parts[0] : op('merge', ...parts), guard: true };
    }
    return this.value(x, scope);
  }

  private itemScope(slot: number, prefix: string): Scope {
    return { vars: new Map([[slot, prefix]]), top: false };
  }

  private boolAggregate(x: Extract<TExpr, { op: 'aggregate' }>, scope: Scope): JsonLogic {
    const list = this.source(x.source, scope);
    if (list === undefined) return false;
    const item = this.itemScope(x.slot, '');
    const where = x.where ? this.bool(x.where, item) : true;
    const body = x.body && x.fn !== 'count' && x.fn !== 'sum' ? this.bool(x.body, item) : true;
    switch (x.fn) {
      case 'all':
        // JSON Logic's `all` is false on an empty array; the engine's is true. `none` agrees.
        return op('none', list.v, and(where, not(body)));
      case 'any':
        return op('some', list.v, and(where, body));
      default:
        return false; // count/sum/share/min/max are numeric
    }
  }

  private numAggregate(x: Extract<TExpr, { op: 'aggregate' }>, scope: Scope): NumX {
    if (x.fn === 'share') {
      this.problem('share', { expr: texprText(x) });
      return NULL_NUM;
    }
    const list = this.source(x.source, scope);
    if (list === undefined) return NULL_NUM;
    const item = this.itemScope(x.slot, '');
    const where = x.where ? this.bool(x.where, item) : true;
    if (x.fn === 'count') {
      const body = x.body ? this.bool(x.body, item) : true;
      const test = and(where, body);
      const walked = test === true ? list.v : op('filter', list.v, test);
      // The engine counts none as 0 items, as reduce over a non-array returns its initial 0.
      return { n: op('reduce', walked, op('+', v('accumulator'), 1), 0), q: 1, guard: true, faithful: true, decimal: false };
    }
    if (!x.body) return NULL_NUM;
    const inFilter = this.num(x.body, item);
    const inReduce = this.num(x.body, this.itemScope(x.slot, 'current'));
    const test = and(where, inFilter.guard);
    const walked = test === true ? list.v : op('filter', list.v, test);
    const acc = v('accumulator');
    if (x.fn === 'sum') {
      if (inReduce.decimal) this.noteDecimal(inReduce, x);
      const n = op('reduce', walked, op('+', acc, inReduce.n), 0);
      return { n, q: inReduce.q, guard: list.guard, faithful: list.guard === true, decimal: inReduce.decimal };
    }
    const better = x.fn === 'min' ? '<' : '>';
    const n = op('reduce', walked, op('if', op('===', acc, null), inReduce.n, op(better, inReduce.n, acc), inReduce.n, acc), null);
    return { n, q: inReduce.q, guard: notNull(n), faithful: true, decimal: inReduce.decimal };
  }
}

// ───────────────────────── the export ─────────────────────────

function windowTests(policy: Policy, rule: RuleInfo): JsonLogic[] {
  const asOf = v('asOf');
  const tests: JsonLogic[] = [];
  const from = [policy.effectiveFrom, rule.from].filter((d): d is string => !!d).sort().pop();
  const until = [policy.effectiveUntil, rule.until].filter((d): d is string => !!d).sort().shift();
  if (from) tests.push(op('<=', from, asOf));
  if (until) tests.push(op('<=', asOf, until));
  return tests;
}

function referencesOf(policy: Policy): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const kind of policy.kinds.values()) {
    const refs: Record<string, string> = {};
    for (const f of kind.fields.values()) {
      const t = f.type.t === 'list' ? f.type.of : f.type;
      if (t.t === 'subject') refs[f.path] = t.kind;
    }
    out[kind.name] = refs;
  }
  return out;
}

function paramJson(value: unknown): JsonLogic {
  if (value === UNKNOWN || value === undefined || value === null) return null;
  if (Q.isNum(value)) return Q.toDouble(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Set) return [...value].map(paramJson);
  if (typeof value === 'object' && 'unit' in (value as object)) {
    const d = value as { amount: number; unit: string };
    return `${d.amount}${d.unit}`;
  }
  return null;
}

/**
 * Exports every rule of a checked policy as JSON Logic, with parameters resolved for
 * `options.asOf`. Rules the export cannot express are listed under `unsupported` with reasons.
 */
export function exportJsonLogic(policy: Policy, options: JsonLogicExportOptions): JsonLogicExport {
  const lang = options.lang ?? 'zh';
  const asOf = options.asOf;
  const params = paramsAsOf(policy, asOf);
  const compiler = new Compiler(policy);
  const rules: JsonLogicRule[] = [];
  const unsupported: UnsupportedRule[] = [];
  for (const rule of policy.rules) {
    if (rule.type === 'value') {
      unsupported.push({ id: rule.id, cite: rule.cite, kind: rule.kind, code: 'value-rule', codes: ['value-rule'], reason: REASONS['value-rule'][lang] });
      continue;
    }
    const t = new RuleTranslator(policy, compiler, asOf, params);
    const top: Scope = { vars: new Map([[0, 'subject']]), top: true };
    const where = and(...windowTests(policy, rule), rule.where ? t.bool(rule.where, top) : true);
    const condition = t.bool(rule.condition, top);
    const deadline = rule.deadline ? t.value(rule.deadline, top).v : null;
    if (t.problems.length) {
      const codes = [...new Set(t.problems.map((p) => p.code))];
      unsupported.push({
        id: rule.id,
        cite: rule.cite,
        kind: rule.kind,
        code: codes[0],
        codes,
        reason: t.problems.map((p) => fill(REASONS[p.code][lang], p.args)).join('; '),
      });
      continue;
    }
    const caveats = [...t.decimalArithmetic].map((expr) => fill(CAVEAT_DECIMAL[lang], { expr }));
    rules.push({
      id: rule.id,
      cite: rule.cite,
      title: (lang === 'en' ? rule.title?.en : undefined) ?? rule.title?.zh ?? rule.id,
      modality: rule.modality,
      type: rule.type,
      kind: rule.kind,
      where,
      condition,
      deadline,
      reads: [...t.reads],
      ...(caveats.length ? { caveats } : {}),
    });
  }
  const parameters: Record<string, JsonLogic> = {};
  for (const name of [...policy.params.keys()].sort()) parameters[name] = paramJson(params[name]);
  return {
    format: 'clausal-jsonlogic',
    formatVersion: 1,
    policy: policy.id,
    version: policy.version,
    asOf,
    dataShape: DATA_SHAPE[lang],
    lists: Object.fromEntries([...policy.kinds.values()].map((k) => [k.name, k.listKey])),
    references: referencesOf(policy),
    parameters,
    rules,
    unsupported,
    notes: NOTES.map((n) => n[lang]),
  };
}

// ───────────────────────── data objects ─────────────────────────

function isSubject(x: unknown): x is Subject {
  return typeof x === 'object' && x !== null && 'related' in x && 'data' in x && 'kind' in x;
}

function plain(value: unknown, inline: boolean): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (Q.isNum(value)) return Q.toDouble(value);
  if (Array.isArray(value)) return value.map((item) => plain(item, inline));
  if (isSubject(value)) return inline ? plainRecord(value.data, false) : value.id;
  if (typeof value === 'object') return plainRecord(value as FactRecord, inline);
  return null;
}

function plainRecord(record: FactRecord, inline: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) out[key] = plain(record[key], inline);
  return out;
}

/**
 * The data object an exported rule is evaluated on, for a subject loaded by this library:
 * `{ subject: <facts, references inlined one level>, asOf }`. Other languages build the same
 * object from the facts file (see `dataShape` and `references` in the export).
 */
export function jsonLogicData(subject: Subject, asOf: string): { subject: Record<string, unknown>; asOf: string } {
  return { subject: plainRecord(subject.data, true), asOf };
}
