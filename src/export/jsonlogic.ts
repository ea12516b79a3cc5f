/**
 * Export of a checked policy as JSON Logic (https://jsonlogic.com), so that systems written in
 * other languages can run the same checks with their own JSON Logic library.
 *
 * A printer of the lowered form (src/lower), as the SQL dialects are: the policy is lowered once
 * for the as-of date, and each rule's `where`, requirement or eligibility condition and deadline
 * are printed as JSON Logic over one data object per subject:
 *
 *     { "subject": <the subject's facts as in the facts file, each reference (`worker.institution`,
 *                   `region.parent`) replaced by the referenced subject's own facts, whose
 *                   references stay ids>,
 *       "asOf": "YYYY-MM-DD" }
 *
 * What the lowered form already fixed, so the printer only spells it:
 * - Parameters are resolved for the export's as-of date, and every sub-expression that reads no
 *   fact (`today + 1y`, `70% * 2`, a rule's effective window) is folded to a constant by the
 *   native engine, so the export and the engine agree on them by construction.
 * - Numbers stay exact. JSON Logic computes in doubles, where `0.7 * 10` is not 7; the lowered
 *   form carries integer numerators over positive constant denominators and multiplies
 *   comparisons out: `a >= 70% * b` is `a * 10 >= 7 * b`. `ceil`/`floor`/`round`/
 *   `round_half_even` use the integer remainder (`%`), never a double quotient. Exactness
 *   therefore holds wherever the facts themselves are integers; arithmetic on decimal facts is
 *   flagged per rule in `caveats`.
 * - `none` (a fact known to be absent, `null` in the facts) keeps the engine's meaning: a
 *   comparison with it is false, `has(x)` is `x !== null`, and `none == none` holds. Every
 *   comparison therefore carries explicit null guards instead of relying on JavaScript's
 *   coercion (`null < 5` is true in JavaScript).
 * - Sets become arrays tested with `in`; tables become `if` chains that end in `null` (a missing
 *   row); dates are `YYYY-MM-DD` strings and compare as strings; `if` is JSON Logic's `if`.
 * - Aggregates over a list-valued fact become `none`/`some`/`filter`/`reduce`. Aggregates over
 *   relations (`r.descendants`, `i.workers`) need other subjects' facts and are not exported.
 *
 * What JSON Logic cannot say is listed, never dropped: rules the lowering refuses, and rules that
 * need a relation, an unset parameter, calendar arithmetic on facts, a share, a reference past
 * one level, … are put under `unsupported` with their reasons. Unknown propagation is not
 * encoded: JSON Logic is two-valued, a missing fact reads as `null`, and the export's answer for
 * a subject with missing facts is not the engine's `unknown`. Each rule lists the data paths it
 * `reads` so a caller can tell.
 *
 * Browser-safe: no file system, no `eval`; the engine's own closures fold constants.
 */
import { assertNever } from '../model/ast.js';
import type { Lang } from '../model/diagnostics.js';
import * as Q from '../model/rational.js';
import type { Policy } from '../model/types.js';
import { EXPANSION_BUDGET } from '../compile/expand.js';
import { UNKNOWN } from '../compile/compile.js';
import { paramsAsOf } from '../eval/evaluate.js';
import type { FactRecord, Subject } from '../facts/facts.js';
import { lowerPolicy } from '../lower/lower.js';
import type { LAggregate, LExpr, LKind } from '../lower/lowered.js';

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
  | 'definition-size'
  | 'construct';

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
  'construct': {
    zh: '`{expr}` 无法精确导出（{reason}）',
    en: '`{expr}` cannot be exported exactly ({reason})',
  },
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
    zh: '只使用以下运算：var if and or ! !! === !== < <= > >= in + - * / % min max substr merge none some filter reduce。',
    en: 'Only these operations are used: var if and or ! !! === !== < <= > >= in + - * / % min max substr merge none some filter reduce.',
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

// ───────────────────────── the printer ─────────────────────────

/**
 * A printed value: `v` is the JSON Logic expression, `guard` is truthy exactly when the engine's
 * value is not `none` (for present facts). `faithful`: `v` itself is `null` exactly then, so it
 * can be handed on without an `if` (a plain fact read, a constant, arithmetic that is never none).
 */
interface Val {
  readonly v: JsonLogic;
  readonly guard: JsonLogic;
  readonly faithful: boolean;
}

interface Problem {
  readonly code: UnsupportedCode;
  readonly args: Readonly<Record<string, string>>;
}

const NONE_VAL: Val = { v: null, guard: false, faithful: true };

/** The lowering's refusal reasons that have an export code of their own; the rest are `construct`. */
const LOWERED_CODES: Readonly<Record<string, UnsupportedCode>> = {
  'value-rule': 'value-rule',
  'division': 'division',
  'undefined-arithmetic': 'undefined-arithmetic',
  'date-arithmetic': 'date-arithmetic',
  'reference-chain': 'reference-depth',
  'outer-variable': 'outer-variable',
  'share-arithmetic': 'share',
  'rounding-step': 'rounding-step',
  'relation': 'relation',
  'definition-size': 'definition-size',
};

function num(value: bigint): number {
  return Number(value);
}

/** `v` as a value that is `null` exactly when the engine's is none. */
function nullable(x: Val): JsonLogic {
  if (x.faithful || x.guard === true) return x.v;
  if (x.guard === false) return null;
  return op('if', x.guard, x.v, null);
}

/**
 * Prints one lowered rule as JSON Logic over the data object. Each node of the lowered form is
 * printed with the engine's meaning for present facts (absent facts read as `null`, see the
 * notes); what JSON Logic cannot say (relations, calendar arithmetic, shares, unset parameters,
 * references past one level) is collected in `problems`.
 */
class RulePrinter {
  readonly problems: Problem[] = [];
  readonly reads = new Set<string>();
  readonly decimalArithmetic = new Set<string>();
  /** Data path prefix of each variable slot in scope: `subject`, `` (an array item), `current` (in `reduce`). */
  private vars = new Map<number, string>([[0, 'subject']]);
  /** Inside an aggregate: its text, for messages (its items see nothing else). */
  private inside: string | undefined;

  constructor(private readonly kinds: ReadonlyMap<string, LKind>, private readonly asOf: string) {}

  problem(code: UnsupportedCode, args: Record<string, string>): void {
    if (!this.problems.some((p) => p.code === code && JSON.stringify(p.args) === JSON.stringify(args))) this.problems.push({ code, args });
  }

  private isReference(kind: string, path: string): boolean {
    return this.kinds.get(kind)?.columns.some((c) => c.path === path && c.ref !== undefined) ?? false;
  }

  private noteDecimal(x: LExpr, ...parts: LExpr[]): void {
    if (x.type !== 'decimal' && !parts.some((p) => p.type === 'decimal')) return;
    for (const p of [x, ...parts]) for (const path of factPaths(p)) this.decimalArithmetic.add(path);
  }

  /** The data path of a fact of a variable, or undefined (reported) when an aggregate's items cannot see it. */
  private path(slot: number, path: string): string | undefined {
    const prefix = this.vars.get(slot);
    if (prefix === undefined) {
      this.problem('outer-variable', { expr: this.inside ?? path, name: path });
      return undefined;
    }
    const full = prefix === '' ? path : `${prefix}.${path}`;
    if (prefix === 'subject') this.reads.add(full);
    return full;
  }

  // ── values ──

  value(x: LExpr): Val {
    switch (x.op) {
      case 'lit':
        if (x.value === null) return NONE_VAL;
        return { v: typeof x.value === 'bigint' ? num(x.value) : x.value, guard: true, faithful: true };
      case 'unknown': {
        for (const m of x.missing) this.problem('unset-parameter', { name: m.startsWith('param ') ? m.slice(6) : m, asOf: this.asOf });
        return NONE_VAL;
      }
      case 'field': {
        const path = this.path(x.slot, x.path);
        if (path === undefined) return NONE_VAL;
        const read = v(path);
        // A reference of the subject is inlined as the referenced subject's facts: compare its id.
        if (this.isReference(x.kind, x.path) && path.startsWith('subject.')) return { v: v(`${path}.id`), guard: notNull(read), faithful: false };
        return { v: read, guard: notNull(read), faithful: true };
      }
      case 'deref': {
        // One level of references is inlined: `u.area.open` reads subject.area.open.
        const ref = x.ref;
        if (ref.op !== 'field' || this.vars.get(ref.slot) !== 'subject') {
          this.problem(ref.op === 'field' && !this.vars.has(ref.slot) ? 'outer-variable' : 'reference-depth', { expr: `${ref.op === 'field' ? ref.path : '…'}.${x.path}`, name: ref.op === 'field' ? ref.path : x.path });
          return NONE_VAL;
        }
        this.reads.add(`subject.${ref.path}`);
        const path = `subject.${ref.path}.${x.path}`;
        this.reads.add(path);
        const read = v(path);
        return { v: read, guard: notNull(read), faithful: true };
      }
      case 'item': {
        const prefix = this.vars.get(x.slot) ?? '';
        return { v: v(prefix), guard: notNull(v(prefix)), faithful: true };
      }
      case 'add': case 'sub': case 'mul': {
        const l = this.value(x.left);
        const r = this.value(x.right);
        this.noteDecimal(x, x.left, x.right);
        const guard = and(l.guard, r.guard);
        const name = x.op === 'add' ? '+' : x.op === 'sub' ? '-' : '*';
        return { v: x.op === 'mul' && typeof r.v === 'number' ? scale(l.v, r.v) : x.op === 'mul' && typeof l.v === 'number' ? scale(r.v, l.v) : op(name, l.v, r.v), guard, faithful: guard === true };
      }
      case 'neg': {
        const o = this.value(x.operand);
        return { v: typeof o.v === 'number' ? -o.v : op('-', o.v), guard: o.guard, faithful: o.guard === true };
      }
      case 'abs': {
        const o = this.value(x.operand);
        return { v: op('if', op('<', o.v, 0), op('-', o.v), o.v), guard: o.guard, faithful: o.guard === true };
      }
      case 'div-round': {
        const n = this.value(x.num);
        if (x.den.op !== 'lit' || typeof x.den.value !== 'bigint') {
          this.problem('share', { expr: shareText(x.den) });
          return NONE_VAL;
        }
        this.noteDecimal(x.num);
        const q = num(x.den.value);
        let out: JsonLogic;
        if (x.mode === 'floor') out = floorDiv(n.v, q);
        else if (x.mode === 'ceil') out = ceilDiv(n.v, q);
        else if (x.mode === 'round') {
          // Half away from zero, as the engine rounds: sign(m) * floor((2|m| + q) / 2q).
          out = op('if', op('>=', n.v, 0), floorDiv(op('+', scale(n.v, 2), q), 2 * q), op('-', floorDiv(op('+', scale(n.v, -2), q), 2 * q)));
        } else {
          // Half to even: the floor, plus one past the half, or at the half when the floor is odd.
          const fl = floorDiv(n.v, q);
          const twice = op('*', 2, op('-', n.v, op('*', fl, q)));
          out = op('if', op('>', twice, q), op('+', fl, 1), op('<', twice, q), fl, op('===', op('%', fl, 2), 0), fl, op('+', fl, 1));
        }
        return { v: out, guard: n.guard, faithful: n.guard === true };
      }
      case 'null-if-zero':
        this.problem('share', { expr: shareText(x) });
        return NONE_VAL;
      case 'table': {
        const args = x.args.map((a) => this.value(a));
        const chain: JsonLogic[] = [];
        for (const row of x.rows) {
          chain.push(and(...row.keys.map((k, i) => op('===', nullable(args[i]), typeof k === 'bigint' ? num(k) : k))), typeof row.value === 'bigint' ? num(row.value) : row.value);
        }
        chain.push(null);
        const t = chain.length === 1 ? null : op('if', ...chain);
        return { v: t, guard: notNull(t), faithful: true };
      }
      case 'size': {
        const list = this.value(x.operand);
        return { v: op('reduce', list.v, op('+', v('accumulator'), 1), 0), guard: list.guard, faithful: list.guard === true };
      }
      case 'least': case 'greatest': {
        const args = x.args.map((a) => this.value(a));
        if (args.some((a) => a.guard !== true)) {
          // The engine skips none arguments; Math.min would read them as 0.
          const better = x.op === 'least' ? '<' : '>';
          let n = nullable(args[0]);
          for (const a of args.slice(1)) {
            const value = nullable(a);
            n = op('if', op('===', n, null), value, op('===', value, null), n, op(better, value, n), value, n);
          }
          return { v: n, guard: notNull(n), faithful: true };
        }
        return { v: op(x.op === 'least' ? 'min' : 'max', ...args.map((a) => a.v)), guard: true, faithful: true };
      }
      case 'years-between': {
        const from = this.value(x.from);
        const to = this.value(x.to);
        // Completed years: the difference of the years, less one when the month-day is not reached.
        const year = (d: JsonLogic) => op('+', op('substr', d, 0, 4));
        const monthDay = (d: JsonLogic) => op('substr', d, 5);
        const guard = and(from.guard, to.guard);
        return { v: op('-', op('-', year(to.v), year(from.v)), op('if', op('<', monthDay(to.v), monthDay(from.v)), 1, 0)), guard, faithful: guard === true };
      }
      case 'days-between': {
        const from = this.value(x.from);
        const to = this.value(x.to);
        const guard = and(from.guard, to.guard);
        return { v: op('-', dayNumber(to.v), dayNumber(from.v)), guard, faithful: guard === true };
      }
      case 'date-add':
        this.problem('date-arithmetic', { expr: x.text ?? `${describeRead(x.operand)} ${x.amount < 0n ? '-' : '+'} ${x.amount < 0n ? -x.amount : x.amount}${x.unit}` });
        return NONE_VAL;
      case 'if': {
        const c = this.bool(x.condition);
        const a = this.value(x.then);
        const b = this.value(x.otherwise);
        // Two-valued: a condition that is not true takes the else branch, as none does in the engine.
        const guard = a.guard === true && b.guard === true ? true : op('if', c, a.guard, b.guard);
        return { v: op('if', c, nullable(a), nullable(b)), guard, faithful: true };
      }
      case 'aggregate':
        if (x.fn === 'all' || x.fn === 'any') break;
        return this.numericAggregate(x);
      case 'has': case 'and': case 'or': case 'not': case 'compare': case 'equals': case 'in-set': case 'in-list':
        break;
      default:
        return assertNever(x);
    }
    // A computed truth value is never none; `and` may return a falsy operand, so normalise.
    return { v: op('!!', this.bool(x)), guard: true, faithful: true };
  }

  // ── truth values ──

  /** Truthy exactly when the engine's value is true (for present facts). */
  bool(x: LExpr): JsonLogic {
    switch (x.op) {
      case 'lit': return x.value === true;
      case 'and': return and(this.bool(x.left), this.bool(x.right));
      case 'or': return or(this.bool(x.left), this.bool(x.right));
      case 'not': return not(this.bool(x.operand));
      case 'has': return this.value(x.operand).guard;
      case 'compare': {
        const l = this.value(x.left);
        const r = this.value(x.right);
        return and(l.guard, r.guard, op(x.cmp, l.v, r.v));
      }
      case 'equals': {
        const l = this.value(x.left);
        const r = this.value(x.right);
        const same = op('===', l.v, r.v);
        // none == none holds, none == a value does not.
        const eq = l.guard === true && r.guard === true ? same : l.faithful && r.faithful ? op('===', nullable(l), nullable(r)) : op('if', l.guard, and(r.guard, same), not(r.guard));
        return x.negate ? not(eq) : eq;
      }
      case 'in-set': {
        const o = this.value(x.operand);
        const member = op('in', nullable(o), x.values.map((c) => (typeof c === 'bigint' ? num(c) : c)));
        return x.negate ? not(member) : member;
      }
      case 'in-list': {
        const o = this.value(x.operand);
        const list = this.value(x.list);
        const member = op('in', nullable(o), list.v);
        return x.negate ? not(member) : member;
      }
      case 'aggregate':
        if (x.fn === 'all' || x.fn === 'any') return this.quantifier(x);
        break;
      default:
        break;
    }
    const val = this.value(x);
    return x.type === 'record' ? false : val.v;
  }

  // ── aggregates over list-valued facts ──

  /** The list an aggregate walks, or undefined (reported) for relations. */
  private source(x: LAggregate): JsonLogic | undefined {
    const src = x.source;
    if (src.from === 'relation') {
      this.problem('relation', { expr: src.text ?? src.name, name: src.name });
      return undefined;
    }
    if (src.from === 'values') {
      // A set holds each value once (`{u.a, u.b}` with a = b has one member): append each item
      // not already among the items before it.
      const items = src.items.map((i) => nullable(this.value(i)));
      for (const i of src.items) if (i.type === 'decimal') for (const path of factPaths(i)) this.decimalArithmetic.add(path);
      const parts = items.map((item, i) => (i === 0 ? [item] : op('if', op('in', item, items.slice(0, i)), [], [item])));
      return parts.length === 1 ? parts[0] : op('merge', ...parts);
    }
    return this.value(src.list).v;
  }

  /** Prints `f` with the aggregate's item bound to `prefix` and nothing else in scope. */
  private withItem<T>(x: LAggregate, prefix: string, f: () => T): T {
    const [vars, inside] = [this.vars, this.inside];
    this.vars = new Map([[x.slot, prefix]]);
    this.inside = x.text;
    try {
      return f();
    } finally {
      this.vars = vars;
      this.inside = inside;
    }
  }

  private quantifier(x: LAggregate): JsonLogic {
    const list = this.source(x);
    if (list === undefined) return false;
    return this.withItem(x, '', () => {
      const where = x.where ? this.bool(x.where) : true;
      const body = x.body ? this.bool(x.body) : true;
      // JSON Logic's `all` is false on an empty array; the engine's is true. `none` agrees.
      return x.fn === 'all' ? op('none', list, and(where, not(body))) : op('some', list, and(where, body));
    });
  }

  private numericAggregate(x: LAggregate): Val {
    if (x.fn === 'count-where') {
      this.problem('share', { expr: x.text ?? 'share' });
      return NONE_VAL;
    }
    const list = this.source(x);
    if (list === undefined) return NONE_VAL;
    const acc = v('accumulator');
    if (x.fn === 'count') {
      const test = this.withItem(x, '', () => and(x.where ? this.bool(x.where) : true, x.body ? this.bool(x.body) : true));
      const walked = test === true ? list : op('filter', list, test);
      // A none list holds nothing: reduce over a non-array returns its initial 0.
      return { v: op('reduce', walked, op('+', acc, 1), 0), guard: true, faithful: true };
    }
    const body = x.body!;
    const [test, inReduce] = [
      this.withItem(x, '', () => and(x.where ? this.bool(x.where) : true, this.value(body).guard)),
      this.withItem(x, 'current', () => this.value(body)),
    ];
    const walked = test === true ? list : op('filter', list, test);
    if (x.fn === 'sum') return { v: op('reduce', walked, op('+', acc, inReduce.v), 0), guard: true, faithful: true };
    const better = x.fn === 'min' ? '<' : '>';
    const n = op('reduce', walked, op('if', op('===', acc, null), inReduce.v, op(better, inReduce.v, acc), inReduce.v, acc), null);
    return { v: n, guard: notNull(n), faithful: true };
  }
}

/** The facts an expression reads, as the policy writes them (`posts.total`), for caveats. */
function factPaths(x: LExpr, out: string[] = []): string[] {
  if (x.op === 'field') out.push(x.path);
  else if (x.op === 'deref') out.push(`${describeRead(x.ref)}.${x.path}`);
  else if (x.op === 'add' || x.op === 'sub' || x.op === 'mul') {
    factPaths(x.left, out);
    factPaths(x.right, out);
  } else if (x.op === 'neg' || x.op === 'abs') factPaths(x.operand, out);
  else if (x.op === 'div-round') factPaths(x.num, out);
  return out;
}

function describeRead(x: LExpr): string {
  if (x.op === 'field') return x.path;
  if (x.op === 'deref') return `${describeRead(x.ref)}.${x.path}`;
  return '…';
}

function shareText(x: LExpr): string {
  if (x.op === 'null-if-zero' && x.operand.op === 'aggregate') return x.operand.text ?? 'share';
  return 'share';
}

// ───────────────────────── the export ─────────────────────────

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
  const lowered = lowerPolicy(policy, { asOf });
  const kinds = new Map(lowered.kinds.map((k) => [k.name, k]));
  const printed = new Map(lowered.rules.map((r) => [r.id, r]));
  const refused = new Map(lowered.unsupported.map((u) => [u.rule, u]));
  const rules: JsonLogicRule[] = [];
  const unsupported: UnsupportedRule[] = [];
  for (const rule of policy.rules) {
    const refusal = rule.type === 'value' ? undefined : refused.get(rule.id);
    const r = rule.type === 'value' ? undefined : printed.get(rule.id);
    if (refusal || !r || r.type === 'value') {
      const reason = refusal?.reason ?? 'value-rule';
      const code = LOWERED_CODES[reason] ?? 'construct';
      const expr = refusal?.construct ?? rule.id;
      const args = { expr, name: expr, asOf, limit: String(EXPANSION_BUDGET), reason };
      unsupported.push({ id: rule.id, cite: rule.cite, kind: rule.kind, code, codes: [code], reason: fill(REASONS[code][lang], args) });
      continue;
    }
    const t = new RulePrinter(kinds, asOf);
    // Printed even out of force, so a rule is exported or refused the same way on every date.
    const inWhere = r.where ? t.bool(r.where) : true;
    const where = r.inForce ? inWhere : false;
    const condition = t.bool(r.condition);
    const deadline = r.deadline ? nullable(t.value(r.deadline)) : null;
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
      type: r.type,
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
