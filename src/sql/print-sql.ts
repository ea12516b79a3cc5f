/**
 * The lowered form printed as SQL: fact tables (one per kind) and one query that yields the
 * contract's result rows, in the contract's order.
 *
 * Fact tables. A kind's table is named after its facts list (`institutions`) and has `_ord`
 * (the subject's position in the facts, across all lists: results follow it), `id`, and for
 * every declared field a value column named by its dotted path (`"posts.total"`) and a
 * presence flag `"posts.total$known"`: false when the fact is absent (unknown), true when it is
 * given, its value column NULL when it is given as `null` (none). A field inside a `null` record
 * is given as none. A record's own column is TRUE when the record is there. Dates are
 * `YYYY-MM-DD` text (compared as text, as the engine does), numbers exact (BIGINT or
 * DECIMAL(38,10)), lists of text are arrays.
 *
 * Each printed expression is three SQL expressions: its value (NULL for none), whether it is
 * known, and the list of absent facts read on the way (in reading order). Booleans that
 * logic combines are one Kleene SQL boolean (NULL = unknown), which SQL's AND, OR and NOT
 * already treat as the engine does.
 */
import { assertNever } from '../model/ast.js';
import type { LAggregate, LConst, LExpr, LKind, LoweredPolicy, LoweredRule, LType } from '../lower/lowered.js';
import { freeSlots } from '../lower/lower.js';
import { sqlIdent as id, sqlString as str, type SqlDialect } from './dialects.js';

/** A value: SQL value (NULL = none), known flag (`TRUE` when always known), missing list (null = always empty). */
interface V { readonly v: string; readonly k: string; readonly m: string | null }
/** A Kleene boolean (NULL = unknown) and its missing list. */
interface B { readonly b: string; readonly m: string | null }

/** The presence-flag column of a field. */
export function knownColumn(path: string): string {
  return `${path}$known`;
}

/** The name of the table holding the transitive closure of a relation. */
function closureName(kind: string, relation: string): string {
  return `closure$${kind}$${relation}`;
}

/** `CREATE TABLE` statements for the fact tables. */
export function factTablesDdl(kinds: readonly LKind[], d: SqlDialect): string[] {
  return kinds.map((k) => {
    const cols = [`${id('_ord')} ${d.types.int} NOT NULL`, `${id('id')} ${d.types.text} NOT NULL`];
    for (const c of k.columns) {
      if (c.path === 'id') continue;
      cols.push(`${id(c.path)} ${c.type === 'list' ? d.textList : d.types[c.type]}`);
      cols.push(`${id(knownColumn(c.path))} ${d.types.bool} NOT NULL`);
    }
    return `CREATE TABLE ${id(k.listKey)} (\n  ${cols.join(',\n  ')}\n)`;
  });
}

/** The names of the result columns, in order. */
export const RESULT_COLUMNS = ['subject_kind', 'subject_id', 'rule', 'cite', 'modality', 'status', 'due', 'missing', 'value', 'unit'] as const;

/** Options of {@link resultQuery}. */
export interface ResultQueryOptions {
  /**
   * Leave repeated entries in `missing` (a fact read twice is listed twice) for a caller that
   * removes them itself: the per-row subquery that removes them costs DuckDB more than the rules.
   */
  readonly keepRepeatedMissing?: boolean;
  /**
   * The columns an engine reads back instead of the contract's: `_ord` and `rule_index` as
   * INTEGER (the subject and rule by position), `status`, `due`, and `missing` as the SQL text
   * expression given (NULL when empty). Converting a row of text and lists to JavaScript costs
   * more than deciding it.
   */
  readonly engineColumns?: { readonly missing: (list: string) => string; readonly status?: (status: string) => string };
  /**
   * A condition on the result rows `r` (`r.status <> 'not_applicable'`), applied before the
   * ordering: an engine that fills the rows it leaves out itself sorts only the rest.
   */
  readonly where?: string;
}

/** Prints the query yielding every (subject, rule) result row of the lowered policy, in contract order. */
export function resultQuery(lowered: LoweredPolicy, d: SqlDialect, options: ResultQueryOptions = {}): string {
  const p = new Printer(lowered, d, options.keepRepeatedMissing ?? false);
  const parts = lowered.rules.map((r) => p.rule(r));
  const ctes = [...p.closures.values()];
  const body = parts.length
    ? parts.join('\nUNION ALL\n')
    : `SELECT CAST(NULL AS ${d.types.int}) AS _ord, CAST(NULL AS ${d.types.int}) AS rule_index, ${RESULT_COLUMNS.map((c) => `${c === 'missing' ? d.nullList : `CAST(NULL AS ${d.types.text})`} AS ${c}`).join(', ')} WHERE 1 = 0`;
  const columns = options.engineColumns
    ? `CAST(r._ord AS INTEGER) AS _ord, CAST(r.rule_index AS INTEGER) AS rule_index, ${options.engineColumns.status?.('r.status') ?? 'r.status'} AS status, r.due, ${options.engineColumns.missing('r.missing')} AS missing, r.value`
    : RESULT_COLUMNS.map((c) => `r.${c}`).join(', ');
  const select = `SELECT ${columns}\nFROM (\n${body}\n) r\n${options.where ? `WHERE ${options.where}\n` : ''}ORDER BY r._ord, r.rule_index`;
  return ctes.length ? `WITH RECURSIVE ${ctes.join(',\n')}\n${select}` : select;
}

/**
 * Longest SQL text of one expression the printers write. Shared operands are bound to derived
 * columns (see {@link SHARE_AT}), so a printed expression stays within a small multiple of that;
 * this bound only guards the printer itself: past it the rule is refused (`sql-size`).
 */
const MAX_EXPRESSION = 200_000;

/**
 * An operand that its node repeats (an `if` reads its branches to compare them, a rounding
 * reads its numerator several times, a table its arguments once per row) and whose SQL text is
 * longer than this is computed once per row of its scope, in a
 * `CROSS JOIN LATERAL (SELECT … AS v, … AS k, … AS m) xN` derived table, and read as `xN.v`.
 * Without this, definitions nested a few levels deep printed exponentially long SQL; with it,
 * the SQL grows linearly with the rule. Equal texts in one scope share one derived table, so a definition called twice is
 * computed once. Short expressions stay inline, where the engines fold them best.
 */
const SHARE_AT = 1_000;

/** Thrown while printing an expression past {@link MAX_EXPRESSION}; see {@link sqlPrintable}. */
export class SqlTooLarge extends Error {
  constructor(readonly length: number) {
    super(`a printed SQL expression is longer than ${MAX_EXPRESSION} characters`);
  }
}

/** Whether a rule prints within {@link MAX_EXPRESSION} (in the DuckDB dialect; the others are alike in size). */
export function sqlPrintable(lowered: LoweredPolicy, rule: LoweredRule, d: SqlDialect): boolean {
  try {
    new Printer(lowered, d, false).rule(rule);
    return true;
  } catch (e) {
    if (e instanceof SqlTooLarge) return false;
    throw e;
  }
}

class Printer {
  /** The query's common table expressions by name: closures of relations, then shared item rows. */
  readonly closures = new Map<string, string>();
  /** The item rows bound to a common table expression: text -> its name. */
  private readonly itemCtes = new Map<string, string>();
  /** The joins of the scope being printed (the rule's subjects, or an aggregate's items). */
  private joins: string[] = [];
  /** Aggregates printed so far, for unique aliases. */
  private aggregates = 0;
  /** The referenced subjects joined into the scope being printed: table and reference -> alias. */
  private refAliases = new Map<string, string>();
  private refCount = 0;
  /** The shared expressions of the scope being printed: text -> alias of its derived table. */
  private shared = new Map<string, string>();
  private sharedCount = 0;
  private readonly kinds: Map<string, LKind>;
  private readonly empty: string;

  constructor(private readonly lowered: LoweredPolicy, private readonly d: SqlDialect, private readonly keepRepeated: boolean) {
    this.kinds = new Map(lowered.kinds.map((k) => [k.name, k]));
    this.empty = d.list([]);
  }

  private table(kind: string): string {
    return id(this.kinds.get(kind)!.listKey);
  }

  rule(r: LoweredRule): string {
    const d = this.d;
    const kind = this.kinds.get(r.kind)!;
    const head = `${str(kind.name)} AS subject_kind, t.id AS subject_id, ${str(r.id)} AS rule, ${str(r.cite)} AS cite, ${str(r.modality)} AS modality`;
    const noText = `CAST(NULL AS ${d.types.text})`;
    if (!r.inForce) {
      return `SELECT t._ord AS _ord, ${r.index} AS rule_index, ${head}, 'not_applicable' AS status, ${noText} AS due, ${this.empty} AS missing, ${noText} AS value, ${noText} AS unit FROM ${id(kind.listKey)} t`;
    }
    this.joins = [];
    this.refAliases = new Map();
    this.shared = new Map();
    const w = r.where ? this.bool(r.where) : { b: 'TRUE', m: null };
    // A value rule's "condition" is whether it has a value (NULL: unknown, FALSE: none).
    // Its text repeats the value several times.
    const val = r.value ? this.reused(this.value(r.condition)) : undefined;
    const c = val ? { b: this.whenKnown(val.k, `(${val.v} IS NOT NULL)`), m: val.m } : this.bool(r.condition);
    const dl = r.deadline ? this.value(r.deadline) : undefined;
    const inner = [
      's0._ord AS _ord', 's0.id AS id',
      `${w.b} AS w`, `${c.b} AS c`,
      `${dl ? dl.v : `CAST(NULL AS ${d.types.text})`} AS dv`,
      `${w.m ?? this.empty} AS wm`,
      `${this.cat(c.m, dl?.m ?? null) ?? this.empty} AS cm`,
      `${val && r.value ? this.valueText(val.v, r.value.denominator, r.value.decimals) : noText} AS vt`,
    ].join(', ');
    let decided: string;
    if (r.type === 'value') decided = "WHEN t.c THEN 'computed' ELSE 'not_applicable'";
    else if (r.type === 'entitlement') decided = "WHEN t.c THEN 'eligible' ELSE 'ineligible'";
    else if (r.modality !== 'must') decided = "WHEN t.c THEN 'compliant' ELSE 'advisory'";
    else if (r.deadline) decided = `WHEN t.c THEN 'compliant' WHEN t.dv IS NULL THEN 'unknown' WHEN ${str(this.lowered.asOf)} <= t.dv THEN 'pending' ELSE 'violation'`;
    else decided = "WHEN t.c THEN 'compliant' ELSE 'violation'";
    const status = `CASE WHEN t.w IS NULL THEN 'unknown' WHEN NOT t.w THEN 'not_applicable' WHEN t.c IS NULL THEN 'unknown' ${decided} END`;
    const due = r.deadline ? 'CASE WHEN t.w THEN t.dv END' : `CAST(NULL AS ${d.types.text})`;
    const joins = this.joins.map((j) => ` ${j}`).join('');
    const decidedRows = `SELECT t._ord, t.id, ${status} AS status, ${due} AS due, t.wm, t.cm, t.w, t.vt FROM (SELECT ${inner} FROM ${id(kind.listKey)} s0${joins}) t`;
    const read = `CASE WHEN t.w THEN ${d.concat('t.wm', 't.cm')} ELSE t.wm END`;
    const missing = `CASE WHEN t.status = 'unknown' THEN ${this.keepRepeated ? read : d.distinct(read)} ELSE ${this.empty} END`;
    const value = r.value ? `CASE WHEN t.status = 'computed' THEN t.vt END` : noText;
    const unit = r.value?.unit != null ? `CASE WHEN t.status = 'computed' THEN ${str(r.value.unit)} END` : noText;
    return `SELECT t._ord AS _ord, ${r.index} AS rule_index, ${head}, t.status AS status, t.due AS due, ${missing} AS missing, ${value} AS value, ${unit} AS unit FROM (${decidedRows}) t`;
  }

  /**
   * A value as the contract writes it: numerator `n` over `den` (only 2s and 5s in it) as an exact
   * decimal with at least `decimals` places (`300.00`) and no trailing zero past them, as the
   * engine's toDecimalString does; a date as it is.
   */
  private valueText(n: string, den: bigint | undefined, decimals: number): string {
    const d = this.d;
    if (den === undefined) return n;
    let twos = 0;
    let fives = 0;
    for (let r = den; r % 2n === 0n; r /= 2n) twos++;
    for (let r = den; r % 5n === 0n; r /= 5n) fives++;
    const places = Math.max(twos, fives, decimals);
    const pow = 10n ** BigInt(places);
    const scaled = `(${n} * ${pow / den})`;
    const abs = `(CASE WHEN ${scaled} < 0 THEN - ${scaled} ELSE ${scaled} END)`;
    const whole = `CAST(${d.intDiv(abs, String(pow))} AS ${d.types.text})`;
    const digits = `lpad(CAST(${abs} % ${pow} AS ${d.types.text}), ${places}, '0')`;
    // The engine writes the reduced fraction: a sum of cents over a denominator of 10000 is
    // `16700.00`, not `16700.0000`. Places past the rule's own are kept only up to the last non-zero.
    const rest = places > decimals ? `regexp_replace(substr(${digits}, ${decimals + 1}), '0+$', '')` : undefined;
    const kept = decimals > 0 ? (rest ? `substr(${digits}, 1, ${decimals})` : digits) : undefined;
    const frac = kept === undefined
      ? (rest === undefined ? '' : ` || (CASE WHEN ${rest} = '' THEN '' ELSE '.' || ${rest} END)`)
      : ` || '.' || ${kept}${rest ? ` || ${rest}` : ''}`;
    return `(CASE WHEN ${scaled} < 0 THEN '-' ELSE '' END || ${whole}${frac})`;
  }

  // ── helpers ──

  private cat(a: string | null, b: string | null): string | null {
    if (a === null) return b;
    if (b === null) return a;
    return this.d.concat(a, b);
  }

  /** `m` unless `skip` holds (then nothing). */
  private unless(skip: string, m: string | null): string | null {
    if (m === null) return null;
    return `CASE WHEN ${skip} THEN ${this.empty} ELSE ${m} END`;
  }

  private and(a: string, b: string): string {
    if (a === 'TRUE') return b;
    if (b === 'TRUE') return a;
    return `(${a} AND ${b})`;
  }

  private isFalse(b: string): string {
    return `COALESCE(NOT (${b}), FALSE)`;
  }

  private isTrue(b: string): string {
    return `COALESCE(${b}, FALSE)`;
  }

  /** `then` when known, else NULL (unknown). */
  private whenKnown(k: string, then: string): string {
    return k === 'TRUE' ? then : `CASE WHEN ${k} THEN ${then} END`;
  }

  private typedNull(t: LType): string {
    return t === 'list' ? this.d.nullList : `CAST(NULL AS ${this.d.types[t]})`;
  }

  private literal(t: LType, v: LConst): string {
    if (v === null) return this.typedNull(t);
    if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
    if (typeof v === 'bigint') return v < 0n ? `(${v})` : String(v);
    return str(v);
  }

  /** An expression as a Kleene boolean: none is false, as the engine's conditions read it. */
  bool(x: LExpr): B {
    const b = this.boolOf(x);
    if (b.b.length > MAX_EXPRESSION) throw new SqlTooLarge(b.b.length);
    return b;
  }

  /** A boolean its reader repeats: bound to a derived table when long (see {@link SHARE_AT}). */
  private reusedB(b: B): B {
    if (b.b.length <= SHARE_AT) return b;
    const a = this.share([`${b.b} AS b`, ...(b.m === null ? [] : [`${b.m} AS m`])]);
    return { b: `${a}.b`, m: b.m === null ? null : `${a}.m` };
  }

  /** A value its reader repeats: bound to a derived table when long (see {@link SHARE_AT}). */
  private reused(v: V): V {
    if (v.v.length + v.k.length <= SHARE_AT) return v;
    const a = this.share([`${v.v} AS v`, ...(v.k === 'TRUE' ? [] : [`${v.k} AS k`]), ...(v.m === null ? [] : [`${v.m} AS m`])]);
    return { v: `${a}.v`, k: v.k === 'TRUE' ? 'TRUE' : `${a}.k`, m: v.m === null ? null : `${a}.m` };
  }

  private share(columns: readonly string[]): string {
    const key = columns.join('\u0000');
    let alias = this.shared.get(key);
    if (!alias) {
      alias = `x${++this.sharedCount}`;
      this.shared.set(key, alias);
      this.joins.push(`CROSS JOIN LATERAL (SELECT ${columns.join(', ')}) ${alias}`);
    }
    return alias;
  }

  private boolOf(x: LExpr): B {
    switch (x.op) {
      case 'and': case 'or': {
        const left = this.bool(x.left);
        const r = this.bool(x.right);
        // The left side is read again to decide whether the right side's facts were read.
        const l = r.m === null ? left : this.reusedB(left);
        const decided = x.op === 'and' ? this.isFalse(l.b) : this.isTrue(l.b);
        return { b: `(${l.b} ${x.op === 'and' ? 'AND' : 'OR'} ${r.b})`, m: this.cat(l.m, this.unless(decided, r.m)) };
      }
      case 'not': {
        const o = this.bool(x.operand);
        return { b: `(NOT ${o.b})`, m: o.m };
      }
      case 'has': {
        const o = this.value(x.operand);
        return { b: this.whenKnown(o.k, `(${o.v} IS NOT NULL)`), m: o.m };
      }
      case 'compare': {
        const l = this.value(x.left);
        const r = this.value(x.right);
        return { b: this.whenKnown(this.and(l.k, r.k), `COALESCE(${l.v} ${x.cmp} ${r.v}, FALSE)`), m: this.readsM(x.reads, l, r) };
      }
      case 'equals': {
        const l = this.reused(this.value(x.left));
        const r = this.reused(this.value(x.right));
        const eq = `(CASE WHEN ${l.v} IS NULL AND ${r.v} IS NULL THEN TRUE WHEN ${l.v} IS NULL OR ${r.v} IS NULL THEN FALSE ELSE ${l.v} = ${r.v} END)`;
        return { b: this.whenKnown(this.and(l.k, r.k), x.negate ? `(NOT ${eq})` : eq), m: this.readsM(x.reads, l, r) };
      }
      case 'in-set': {
        const o = this.value(x.operand);
        const t = x.operand.type;
        const member = x.values.length ? `COALESCE(${o.v} IN (${x.values.map((v) => this.literal(t, v)).join(', ')}), FALSE)` : 'FALSE';
        return { b: this.whenKnown(o.k, x.negate ? `(NOT ${member})` : member), m: o.m };
      }
      case 'in-list': {
        const o = this.value(x.operand);
        const l = this.value(x.list);
        const member = `COALESCE(${this.d.contains(l.v, o.v)}, FALSE)`;
        return { b: this.whenKnown(this.and(o.k, l.k), x.negate ? `(NOT ${member})` : member), m: this.cat(o.m, l.m) };
      }
      case 'aggregate':
        if (x.fn === 'all' || x.fn === 'any') return this.quantifier(x);
        break;
      default:
        break;
    }
    const v = this.value(x);
    // A boolean fact that is none is false; a record as a condition is never `true`.
    const b = x.type === 'record' ? 'FALSE' : `COALESCE(${v.v}, FALSE)`;
    return { b: this.whenKnown(v.k, b), m: v.m };
  }

  /** The missing list of a two-sided node, in the engine's reading order. */
  private readsM(reads: readonly LExpr[] | undefined, l: V, r: V): string | null {
    if (!reads) return this.cat(l.m, r.m);
    return reads.map((x) => this.value(x).m).reduce<string | null>((a, b) => this.cat(a, b), null);
  }

  /** An expression as a value. */
  value(x: LExpr): V {
    const v = this.valueOf(x);
    if (v.v.length > MAX_EXPRESSION) throw new SqlTooLarge(v.v.length);
    return v;
  }

  private valueOf(x: LExpr): V {
    const d = this.d;
    switch (x.op) {
      case 'lit':
        return { v: this.literal(x.type, x.value), k: 'TRUE', m: null };
      case 'unknown':
        return { v: this.typedNull(x.type), k: 'FALSE', m: d.list(x.missing.map(str)) };
      case 'field': {
        const s = `s${x.slot}`;
        if (x.path === 'id') return { v: `${s}.${id('id')}`, k: 'TRUE', m: null };
        const known = `${s}.${id(knownColumn(x.path))}`;
        const listKey = this.kinds.get(x.kind)!.listKey;
        const path = `${str(`${listKey}[`)} || ${s}.${id('id')} || ${str(`].${x.path}`)}`;
        return { v: `${s}.${id(x.path)}`, k: known, m: `CASE WHEN ${known} THEN ${this.empty} ELSE ${d.list([path])} END` };
      }
      case 'item':
        // List facts are stored as lists of text: a number list's items are read back as numbers.
        return { v: x.type === 'int' ? `CAST(s${x.slot}.v AS ${d.types.int})` : `s${x.slot}.v`, k: 'TRUE', m: null };
      case 'add': case 'sub': case 'mul': {
        const l = this.value(x.left);
        const r = this.value(x.right);
        const op = x.op === 'add' ? '+' : x.op === 'sub' ? '-' : '*';
        return { v: `(${l.v} ${op} ${r.v})`, k: this.and(l.k, r.k), m: this.cat(l.m, r.m) };
      }
      case 'neg': {
        const o = this.value(x.operand);
        return { v: `(- ${o.v})`, k: o.k, m: o.m };
      }
      case 'div-round': {
        const n = this.reused(this.value(x.num));
        const dd = this.reused(this.value(x.den));
        // floor(a / b) for b > 0 with truncating % and exact division of the multiple.
        const floor = (a: string, b: string) => d.intDiv(`${a} - (((${a}) % (${b})) + (${b})) % (${b})`, b);
        const q = floor(n.v, dd.v);
        const r2 = `(2 * (${n.v} - ${q} * ${dd.v}))`;
        const v = x.mode === 'floor' ? q
          : x.mode === 'ceil' ? `(- ${floor(`(- ${n.v})`, dd.v)})`
          : x.mode === 'half-even' ? `(CASE WHEN ${r2} > ${dd.v} THEN ${q} + 1 WHEN ${r2} < ${dd.v} OR ${q} % 2 = 0 THEN ${q} ELSE ${q} + 1 END)`
          : `(CASE WHEN ${n.v} < 0 THEN (- ${floor(`(2 * (- ${n.v}) + ${dd.v})`, `(2 * ${dd.v})`)}) ELSE ${floor(`(2 * ${n.v} + ${dd.v})`, `(2 * ${dd.v})`)} END)`;
        return { v, k: this.and(n.k, dd.k), m: this.cat(n.m, dd.m) };
      }
      case 'null-if-zero': {
        const o = this.value(x.operand);
        return { v: `NULLIF(${o.v}, 0)`, k: o.k, m: o.m };
      }
      case 'table': {
        const args = x.args.map((a) => (x.rows.length > 1 ? this.reused(this.value(a)) : this.value(a)));
        const whens = x.rows.map((row) => `WHEN ${row.keys.map((k, i) => `${args[i].v} = ${this.literal(x.args[i].type, k)}`).join(' AND ')} THEN ${this.literal(x.type, row.value)}`);
        const v = whens.length ? `(CASE ${whens.join(' ')} ELSE ${this.typedNull(x.type)} END)` : this.typedNull(x.type);
        return { v, k: args.map((a) => a.k).reduce((a, b) => this.and(a, b), 'TRUE'), m: args.map((a) => a.m).reduce<string | null>((a, b) => this.cat(a, b), null) };
      }
      case 'size': {
        const o = this.value(x.operand);
        return { v: d.cardinality(o.v), k: o.k, m: o.m };
      }
      case 'aggregate':
        if (x.fn === 'all' || x.fn === 'any') break;
        return this.numericAggregate(x);
      case 'deref':
        return this.deref(x);
      case 'if': {
        const c = this.reusedB(this.bool(x.condition));
        const a = this.reused(this.value(x.then));
        const b = this.reused(this.value(x.otherwise));
        // An unknown condition: the branches' common value, known only when both are and agree.
        const agree = `(${this.and(a.k, b.k)} AND (COALESCE(${a.v} = ${b.v}, FALSE) OR (${a.v} IS NULL AND ${b.v} IS NULL)))`;
        const branchM = a.m === null && b.m === null ? null : `CASE WHEN ${c.b} THEN ${a.m ?? this.empty} WHEN NOT ${c.b} THEN ${b.m ?? this.empty} ELSE ${this.empty} END`;
        return {
          v: `(CASE WHEN ${c.b} THEN ${a.v} WHEN NOT ${c.b} THEN ${b.v} WHEN ${agree} THEN ${a.v} END)`,
          k: `(CASE WHEN ${c.b} THEN ${a.k} WHEN NOT ${c.b} THEN ${b.k} ELSE ${agree} END)`,
          m: this.cat(c.m, branchM),
        };
      }
      case 'abs': {
        const o = this.reused(this.value(x.operand));
        return { v: `(CASE WHEN ${o.v} < 0 THEN (- ${o.v}) ELSE ${o.v} END)`, k: o.k, m: o.m };
      }
      case 'least': case 'greatest': {
        const args = x.args.map((a) => (x.args.length > 1 ? this.reused(this.value(a)) : this.value(a)));
        // None arguments are skipped, and Trino's LEAST is NULL when any argument is: each
        // argument falls back to the others, so only an all-none call is NULL.
        const vs = args.map((a) => a.v);
        const v = vs.length === 1 ? vs[0] : `${x.op === 'least' ? 'LEAST' : 'GREATEST'}(${vs.map((a, i) => `COALESCE(${[a, ...vs.filter((_, j) => j !== i)].join(', ')})`).join(', ')})`;
        return { v, k: args.map((a) => a.k).reduce((a, b) => this.and(a, b), 'TRUE'), m: args.map((a) => a.m).reduce<string | null>((a, b) => this.cat(a, b), null) };
      }
      case 'years-between': case 'days-between': {
        const a = this.reused(this.value(x.from));
        const b = this.reused(this.value(x.to));
        const year = (t: string) => `CAST(substr(${t}, 1, 4) AS ${d.types.int})`;
        // Completed years: one less when the month and day are not reached yet ('MM-DD' sorts as text).
        const v = x.op === 'days-between' ? d.daysBetween(a.v, b.v)
          : `(${year(b.v)} - ${year(a.v)} - CASE WHEN substr(${b.v}, 6, 5) < substr(${a.v}, 6, 5) THEN 1 ELSE 0 END)`;
        return { v, k: this.and(a.k, b.k), m: this.cat(a.m, b.m) };
      }
      case 'date-add': {
        const o = this.value(x.operand);
        return { v: d.addToDate(o.v, x.amount, x.unit), k: o.k, m: o.m };
      }
      case 'has': case 'and': case 'or': case 'not': case 'compare': case 'equals': case 'in-set': case 'in-list':
        break;
      default:
        return assertNever(x);
    }
    const b = this.bool(x);
    return { v: b.b, k: `(${b.b} IS NOT NULL)`, m: b.m };
  }

  /**
   * A fact of a referenced subject: its table LEFT JOINed on the reference (once per scope and
   * reference), so a none reference finds no row and reads none.
   */
  private deref(x: Extract<LExpr, { op: 'deref' }>): V {
    const ref = this.reused(this.value(x.ref));
    if (x.path === 'id') return ref;
    const kind = this.kinds.get(x.kind)!;
    const key = `${kind.listKey}\u0000${ref.v}`;
    let alias = this.refAliases.get(key);
    if (!alias) {
      alias = `r${++this.refCount}`;
      this.refAliases.set(key, alias);
      this.joins.push(`LEFT JOIN ${id(kind.listKey)} ${alias} ON ${alias}.${id('id')} = ${ref.v}`);
    }
    const known = `${alias}.${id(knownColumn(x.path))}`;
    const path = `${str(`${kind.listKey}[`)} || ${ref.v} || ${str(`].${x.path}`)}`;
    const present = `${ref.v} IS NOT NULL`;
    return {
      v: `${alias}.${id(x.path)}`,
      k: this.and(ref.k, `(${ref.v} IS NULL OR ${known})`),
      m: this.cat(ref.m, `CASE WHEN ${this.and(ref.k, present)} AND NOT ${known} THEN ${this.d.list([path])} ELSE ${this.empty} END`),
    };
  }

  /**
   * Aggregates are printed as joins, not correlated subqueries: the items of every owner are
   * grouped once (`GROUP BY` the owner's id) in a derived table, which the scope that binds the
   * owner LEFT JOINs on its id; an owner without items gets the aggregate's value over nothing.
   * (Engines plan joins well; correlated subqueries cost DuckDB more to plan than the rules take
   * to run, and Trino-mode parsers reject them.) The lowering guarantees an aggregate reads only
   * its own item and its owner, which the derived table binds under the same aliases.
   */
  private items(x: LAggregate): { from: string; key: string; order: string; where?: string } {
    const s = `s${x.slot}`;
    const src = x.source;
    if (src.from === 'list') {
      const field = src.list as Extract<LExpr, { op: 'field' }>;
      const owner = `s${field.slot}`;
      return { from: `${this.table(field.kind)} ${owner} CROSS JOIN ${this.d.unnest(`${owner}.${id(field.path)}`, s)}`, key: `${owner}.${id('id')}`, order: `${s}.o` };
    }
    if (src.from === 'values') return this.setItems(x, src);
    const owner = `s${src.ownerSlot}`;
    const ownerTable = `${this.table(src.ownerKind)} ${owner}`;
    if (!src.transitive) {
      return { from: `${ownerTable} JOIN ${this.table(src.target)} ${s} ON ${s}.${id(src.via)} = ${owner}.${id('id')}`, key: `${owner}.${id('id')}`, order: `${s}.${id('_ord')}` };
    }
    const name = closureName(src.ownerKind, src.name);
    if (!this.closures.has(name)) {
      const t = this.table(src.target);
      const via = id(src.via);
      const key = (c: string) => `lpad(CAST(${c}._ord AS VARCHAR), 20, '0')`;
      this.closures.set(name, `${id(name)}(anc, item, o) AS (SELECT c.${via}, c.id, ${key('c')} FROM ${t} c WHERE c.${via} IS NOT NULL UNION ALL SELECT r.anc, c.id, r.o || '/' || ${key('c')} FROM ${id(name)} r JOIN ${t} c ON c.${via} = r.item)`);
    }
    const c = `c${x.slot}`;
    return { from: `${ownerTable} JOIN ${id(name)} ${c} ON ${c}.anc = ${owner}.${id('id')} JOIN ${this.table(src.target)} ${s} ON ${s}.id = ${c}.item`, key: `${owner}.${id('id')}`, order: `${c}.o` };
  }

  /**
   * A set written from facts (`{u.posts.total, u.posts.social_work, 3}`): the subject that owns
   * the facts, once per item (a constant table of positions `n.o`), the item's value picked by
   * position, and the rows of values met earlier in the set left out (each value once, none
   * once, as the engine's set). Unknown items are the caller's (see {@link overSet}): the whole
   * aggregate is unknown then. Printed in the item rows' scope: what the items join goes there.
   */
  private setItems(x: LAggregate, src: Extract<LAggregate['source'], { from: 'values' }>): { from: string; key: string; order: string; where: string } {
    const { slot: ownerSlot, kind } = setOwner(src.items);
    const owner = `s${ownerSlot}`;
    const n = `n${x.slot}`;
    const s = `s${x.slot}`;
    const items = src.items.map((i) => this.reused(this.value(i)));
    const same = (a: V, b: V) => `(COALESCE(${a.v} = ${b.v}, FALSE) OR (${a.v} IS NULL AND ${b.v} IS NULL))`;
    const pick = items.map((v, i) => `WHEN ${i + 1} THEN ${v.v}`).join(' ');
    const seen = items.map((v, i) => (i === 0 ? '' : ` WHEN ${i + 1} THEN (${items.slice(0, i).map((u) => same(u, v)).join(' OR ')})`)).join('');
    this.joins.push(`CROSS JOIN LATERAL (SELECT CASE ${n}.o ${pick} END AS v, CASE ${n}.o${seen} ELSE FALSE END AS seen) ${s}`);
    const positions = items.map((_, i) => `SELECT ${i + 1} AS o`).join(' UNION ALL ');
    return { from: `${this.table(kind)} ${owner} CROSS JOIN (${positions}) ${n}`, key: `${owner}.${id('id')}`, order: `${n}.o`, where: `NOT ${s}.seen` };
  }

  /** Wraps an aggregate over a set of facts: an unknown item makes it unknown, the items after it unread. */
  private overSet(x: LAggregate, v: V): V {
    if (x.source.from !== 'values') return v;
    const items = x.source.items.map((i) => this.reused(this.value(i)));
    const known = items.map((i) => i.k).reduce((a, b) => this.and(a, b), 'TRUE');
    let m: string | null = null;
    for (let i = items.length - 1; i >= 0; i--) m = this.cat(items[i].m, i === items.length - 1 ? null : this.unless(`NOT ${items[i].k}`, m));
    return { v: this.whenKnown(known, v.v), k: this.and(known, v.k), m: this.cat(m, known === 'TRUE' ? v.m : this.unless(`NOT (${known})`, v.m)) };
  }

  /**
   * The FROM item of an aggregate's item rows, which its value and its missing lists both read:
   * inline when short, else a common table expression, so that aggregates nested in aggregates
   * do not print their items' SQL twice per level. (The item rows read only their own tables.)
   */
  private itemsFrom(rows: string): string {
    if (rows.length <= SHARE_AT) return `(${rows})`;
    let name = this.itemCtes.get(rows);
    if (!name) {
      name = id(`items$${this.itemCtes.size + 1}`);
      this.itemCtes.set(rows, name);
      this.closures.set(name, `${name} AS (${rows})`);
    }
    return name;
  }

  /** Per-item columns `key` (owner id), `w` (where), `b` (body), `k` (body known), `m` (missing), `o` (order). */
  private itemRows(x: LAggregate, bodyAsValue: boolean): string {
    const outer = this.joins;
    const outerRefs = this.refAliases;
    const outerShared = this.shared;
    const joins: string[] = [];
    this.joins = joins;
    this.refAliases = new Map();
    this.shared = new Map();
    try {
      const { from, key, order, where } = this.items(x);
      const w = x.where ? this.reusedB(this.bool(x.where)) : { b: 'TRUE', m: null };
      let b: string;
      let k = 'TRUE';
      let bm: string | null;
      if (bodyAsValue) {
        const v = this.value(x.body!);
        b = v.v;
        k = v.k;
        bm = v.m;
      } else {
        const bb = x.body ? this.bool(x.body) : { b: 'TRUE', m: null };
        b = bb.b;
        bm = bb.m;
      }
      const m = this.cat(w.m, this.unless(this.isFalse(w.b), bm)) ?? this.empty;
      return `SELECT ${key} AS key, ${w.b} AS w, ${b} AS b, ${k} AS k, ${m} AS m, ${order} AS o FROM ${from}${joins.map((j) => ` ${j}`).join('')}${where ? ` WHERE ${where}` : ''}`;
    } finally {
      this.joins = outer;
      this.refAliases = outerRefs;
      this.shared = outerShared;
    }
  }

  /** The key the scope joins an aggregate on: its owner's id. */
  private ownerKey(x: LAggregate): string {
    const src = x.source;
    const slot = src.from === 'list' ? (src.list as Extract<LExpr, { op: 'field' }>).slot : src.from === 'values' ? setOwner(src.items).slot : src.ownerSlot;
    return `s${slot}.${id('id')}`;
  }

  /** Joins the grouped value and missing lists of an aggregate into the current scope. */
  private joinAggregate(x: LAggregate, grouped: string, mRows: string): { v: string; k: string; m: string; present: string } {
    const n = ++this.aggregates;
    const a = `a${n}`;
    const am = `am${n}`;
    const key = this.ownerKey(x);
    this.joins.push(`LEFT JOIN (${grouped}) ${a} ON ${a}.key = ${key}`);
    this.joins.push(`LEFT JOIN (${this.d.flattenGrouped(mRows)}) ${am} ON ${am}.key = ${key}`);
    return { v: `${a}.v`, k: `COALESCE(${a}.k, TRUE)`, m: `COALESCE(${am}.m, ${this.empty})`, present: `${a}.key IS NOT NULL` };
  }

  /** Wraps an aggregate over a list fact: unknown list -> unknown, its own missing first. */
  private overList(x: LAggregate, v: V): V {
    if (x.source.from !== 'list') return v;
    const list = this.reused(this.value(x.source.list));
    return { v: this.whenKnown(list.k, v.v), k: this.and(list.k, v.k), m: this.cat(list.m, this.unless(`NOT ${list.k}`, v.m)) };
  }

  private numericAggregate(x: LAggregate): V {
    const rows = this.itemsFrom(this.itemRows(x, x.fn === 'sum' || x.fn === 'min' || x.fn === 'max'));
    let unknownItem: string;
    let value: string;
    let empty: string;
    if (x.fn === 'count' || x.fn === 'count-where') {
      unknownItem = '(q.w IS NULL AND COALESCE(q.b, TRUE)) OR (COALESCE(q.w, FALSE) AND q.b IS NULL)';
      // count-where (a share's denominator) counts the items in, but is unknown exactly when the count is.
      value = `SUM(CASE WHEN COALESCE(q.w, FALSE)${x.fn === 'count' ? ' AND COALESCE(q.b, FALSE)' : ''} THEN 1 ELSE 0 END)`;
      empty = '0';
    } else {
      unknownItem = 'COALESCE(q.w, TRUE) AND (q.w IS NULL OR NOT q.k)';
      const fn = x.fn === 'sum' ? 'SUM' : x.fn === 'min' ? 'MIN' : 'MAX';
      value = x.fn === 'sum' ? 'COALESCE(SUM(CASE WHEN q.w THEN q.b END), 0)' : `${fn}(CASE WHEN q.w THEN q.b END)`;
      empty = x.fn === 'sum' ? '0' : this.typedNull('int');
    }
    const unknownAny = `MAX(CASE WHEN ${unknownItem} THEN 1 ELSE 0 END) = 1`;
    const grouped = `SELECT q.key, CASE WHEN ${unknownAny} THEN NULL ELSE ${value} END AS v, NOT (${unknownAny}) AS k FROM ${rows} q GROUP BY q.key`;
    const j = this.joinAggregate(x, grouped, `SELECT q.key, q.o, q.m FROM ${rows} q`);
    return this.overSet(x, this.overList(x, { v: `(CASE WHEN ${j.present} THEN ${j.v} ELSE ${empty} END)`, k: j.k, m: j.m }));
  }

  private quantifier(x: LAggregate): B {
    const rows = this.itemsFrom(this.itemRows(x, false));
    const isAll = x.fn === 'all';
    const decisive = isAll ? 'COALESCE(q.w, FALSE) AND COALESCE(NOT q.b, FALSE)' : 'COALESCE(q.w, FALSE) AND COALESCE(q.b, FALSE)';
    const open = isAll ? 'COALESCE(q.w, TRUE) AND NOT COALESCE(q.b, FALSE)' : 'COALESCE(q.w, TRUE) AND COALESCE(q.b, TRUE)';
    const any = (c: string) => `MAX(CASE WHEN ${c} THEN 1 ELSE 0 END) = 1`;
    const grouped = `SELECT q.key, CASE WHEN ${any(decisive)} THEN ${isAll ? 'FALSE' : 'TRUE'} WHEN ${any(open)} THEN NULL ELSE ${isAll ? 'TRUE' : 'FALSE'} END AS v, TRUE AS k FROM ${rows} q GROUP BY q.key`;
    // Items are read up to and including the first deciding one.
    const upTo = `SELECT r.key, r.o, r.m FROM (SELECT q.key, q.o, q.m, MIN(CASE WHEN ${decisive} THEN q.o END) OVER (PARTITION BY q.key) AS first FROM ${rows} q) r WHERE r.first IS NULL OR r.o <= r.first`;
    const j = this.joinAggregate(x, grouped, upTo);
    const v = this.overSet(x, this.overList(x, { v: `(CASE WHEN ${j.present} THEN ${j.v} ELSE ${isAll ? 'TRUE' : 'FALSE'} END)`, k: 'TRUE', m: j.m }));
    return { b: v.v, m: v.m };
  }
}

/**
 * The subject whose facts a set's items read: its variable slot and kind. INVARIANT: sqlLowering
 * (unsupported.ts) refused sets whose items read no subject's field or more than one subject.
 */
export function setOwner(items: readonly LExpr[]): { slot: number; kind: string } {
  const slots = new Set<number>();
  for (const i of items) for (const s of freeSlots(i)) slots.add(s);
  const kind = items.map((i) => fieldKind(i)).find((k) => k !== undefined);
  if (slots.size !== 1 || !kind) throw new Error('internal: a set of facts without one owning subject reached the SQL printer');
  return { slot: [...slots][0], kind: kind.kind };
}

/** The kind of the first field an expression reads directly of a variable. */
function fieldKind(e: LExpr): { kind: string } | undefined {
  if (e.op === 'field') return { kind: e.kind };
  for (const v of Object.values(e)) {
    if (v && typeof v === 'object' && 'op' in v) {
      const k = fieldKind(v as LExpr);
      if (k) return k;
    }
  }
  return undefined;
}
