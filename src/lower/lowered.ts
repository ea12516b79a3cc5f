/**
 * The lowered form of a checked policy: one backend-neutral program per rule, fixed for one
 * as-of date, from which the SQL dialects are printed (and other backends may be).
 *
 * What lowering makes explicit, so that no printer has to know the language's semantics:
 * - Parameters are resolved for the date and everything that reads no fact is folded to a
 *   constant by the engine's own closures; an unset parameter becomes {@link LUnknown} carrying
 *   the `missing` entry the engine reports for it.
 * - Numbers are exact: every numeric expression is lowered to an integer (or exact decimal)
 *   numerator over a positive integer denominator, and a comparison of two numbers becomes a
 *   comparison of cross products (`a >= 70% * b` is `a * 10 >= 7 * b`). `ceil`/`floor`/`round`
 *   become integer divisions with explicit rounding. No printer ever divides.
 * - Every value has three states, as in the engine: a value, none (the facts say `null`), and
 *   unknown (the fact is absent). Logic is Kleene. Each node states how it treats none and
 *   unknown (see the node docs); the printers implement exactly that.
 * - Reading order is kept: `and`/`or` short-circuit, `all`/`any` stop at the first deciding
 *   item, and the absent facts met on the way are the result's `missing`, in that order.
 */
import type { Span } from '../model/span.js';

/** The kind of value a lowered expression has. */
/** `record`: a group of facts that may be none as a whole (`sw_station`); its value says only whether it is there. */
export type LType = 'bool' | 'int' | 'decimal' | 'text' | 'date' | 'list' | 'record';

/** A constant value of a lowered expression: none is `null`. Dates are `YYYY-MM-DD` text. */
export type LConst = string | bigint | boolean | null;

/** A literal: integer, text (strings and enum members), date, boolean or none. */
export interface LLiteral { readonly op: 'lit'; readonly type: LType; readonly value: LConst }
/** A value that is unknown whatever the facts: an unset parameter. `missing` is what it reports. */
export interface LUnknown { readonly op: 'unknown'; readonly type: LType; readonly missing: readonly string[] }
/**
 * A fact of the subject bound to variable `slot`: absent -> unknown (reported as
 * `<listKey>[<id>].<path>`), `null` (or a `null` record it sits in) -> none.
 */
export interface LField { readonly op: 'field'; readonly type: LType; readonly slot: number; readonly kind: string; readonly path: string }
/**
 * A fact of the subject a reference names (`w.institution.category`): `ref` is a text value,
 * the id of a subject of `kind`. Unknown if `ref` is; none if `ref` is none (or the fact is
 * `null`); unknown when the referenced subject lacks the fact, reported as
 * `<listKey>[<ref>].<path>` after what `ref` reported.
 */
export interface LDeref { readonly op: 'deref'; readonly type: LType; readonly ref: LExpr; readonly kind: string; readonly path: string }
/**
 * `if condition then … else …`: none counts as false. An unknown condition gives the branches'
 * common value when both are known and equal (none equals none), unknown otherwise, with only
 * the condition's missing facts reported (the branches were read for the comparison alone).
 */
export interface LIf { readonly op: 'if'; readonly type: LType; readonly condition: LExpr; readonly then: LExpr; readonly otherwise: LExpr }
/** Absolute value: unknown/none as the operand. */
export interface LAbs { readonly op: 'abs'; readonly type: 'int' | 'decimal'; readonly operand: LExpr }
/**
 * `min(a, b, …)` / `max(a, b, …)` of numbers over one positive denominator: unknown if any
 * argument is (every argument is read); none arguments are skipped; none if all are none.
 */
export interface LExtreme { readonly op: 'least' | 'greatest'; readonly type: 'int' | 'decimal'; readonly args: readonly LExpr[] }
/**
 * Completed years (birthday style) or days from one date to another: unknown if either is,
 * else none if either is.
 */
export interface LBetween { readonly op: 'years-between' | 'days-between'; readonly type: 'int'; readonly from: LExpr; readonly to: LExpr }
/**
 * A date shifted by a whole number of days or months (years are 12 months); a month shift
 * clamps the day to the month's end (2024-01-31 + 1 month = 2024-02-29). Unknown/none as the operand.
 */
export interface LDateAdd { readonly op: 'date-add'; readonly type: 'date'; readonly operand: LExpr; readonly amount: bigint; readonly unit: 'd' | 'm'; /** As written, for messages. */ readonly text?: string }
/** The element of a list bound by an aggregate (never absent, never none). */
export interface LItem { readonly op: 'item'; readonly type: LType; readonly slot: number }
/** `has(x)`: unknown if x is, else whether x is not none. */
export interface LHas { readonly op: 'has'; readonly type: 'bool'; readonly operand: LExpr }
/** Kleene and/or, short-circuit: the right side is not read when the left decides (none counts as false). */
export interface LLogic { readonly op: 'and' | 'or'; readonly type: 'bool'; readonly left: LExpr; readonly right: LExpr }
/** Kleene not (none counts as false). */
export interface LNot { readonly op: 'not'; readonly type: 'bool'; readonly operand: LExpr }
/** `<`, `<=`, `>`, `>=` on integers, decimals, dates or text: unknown if a side is; false if a side is none. */
export interface LCompare {
  readonly op: 'compare';
  readonly type: 'bool';
  readonly cmp: '<' | '<=' | '>' | '>=';
  readonly left: LExpr;
  readonly right: LExpr;
  /**
   * The parts in the engine's reading order, when it differs from left-then-right: a cross
   * product reads `a.n, b.d, b.n, a.d`, the engine reads all of `a`, then all of `b`.
   */
  readonly reads?: readonly LExpr[];
}
/** `==` (or `!=` when `negate`): unknown if a side is; none equals none only. */
export interface LEquals { readonly op: 'equals'; readonly type: 'bool'; readonly negate: boolean; readonly left: LExpr; readonly right: LExpr; /** As {@link LCompare.reads}. */ readonly reads?: readonly LExpr[] }
/** Membership in constant values: unknown if the operand is; none is a member of nothing. */
export interface LInSet { readonly op: 'in-set'; readonly type: 'bool'; readonly negate: boolean; readonly operand: LExpr; readonly values: readonly LConst[] }
/** Membership in a list-valued fact: unknown if either is; a none list holds nothing. */
export interface LInList { readonly op: 'in-list'; readonly type: 'bool'; readonly negate: boolean; readonly operand: LExpr; readonly list: LExpr }
/** Integer or decimal arithmetic: unknown if a side is, else none if a side is. */
export interface LArith { readonly op: 'add' | 'sub' | 'mul'; readonly type: 'int' | 'decimal'; readonly left: LExpr; readonly right: LExpr }
/** Negation (same rules as {@link LArith}). */
export interface LNeg { readonly op: 'neg'; readonly type: 'int' | 'decimal'; readonly operand: LExpr }
/**
 * The integer `num / den` rounded down, up, half away from zero, or half to even; `den` is a positive
 * integer. Unknown if either is, none if either is.
 */
export interface LDivRound { readonly op: 'div-round'; readonly type: 'int'; readonly mode: 'floor' | 'ceil' | 'round' | 'half-even'; readonly num: LExpr; readonly den: LExpr }
/** none when the operand is zero, else the operand: the denominator of a share of nothing. */
export interface LNullIfZero { readonly op: 'null-if-zero'; readonly type: 'int'; readonly operand: LExpr }
/** A lookup table: unknown if an argument is, none if one is none or no row matches. */
export interface LTable { readonly op: 'table'; readonly type: LType; readonly args: readonly LExpr[]; readonly rows: readonly { readonly keys: readonly LConst[]; readonly value: LConst }[] }
/** Number of elements of a list fact (unknown/none as the list). */
export interface LSize { readonly op: 'size'; readonly type: 'int'; readonly operand: LExpr }

/** What an aggregate ranges over. */
export type LSource =
  /** The subjects of `target` whose `via` field names the subject in `ownerSlot`, in facts order (transitively, depth first, when `transitive`). */
  | { readonly from: 'relation'; readonly ownerSlot: number; readonly ownerKind: string; readonly name: string; readonly target: string; readonly via: string; readonly transitive: boolean; readonly text?: string }
  /** The elements of a list fact, in list order (an absent list is unknown, a none list empty). */
  | { readonly from: 'list'; readonly list: LExpr }
  /**
   * A set written from facts (`{u.a, u.b}`): its items in writing order, each value once; unknown
   * when an item is (the items after it are not read). The SQL printers do not take it (see
   * src/sql/unsupported.ts), JSON Logic does.
   */
  | { readonly from: 'values'; readonly items: readonly LExpr[]; readonly text: string; readonly span: Span };

/**
 * An aggregate, with the engine's exact rules for unknown items (see compile.ts):
 * - `count`: items whose `where` is true and `body` true (no body: true); unknown when an
 *   item's where is unknown and its body not false, or its where true and its body unknown.
 *   `share` is that count over `count-where`: the items whose where is true, unknown exactly
 *   when the count is (the body decides it, as in the engine's single pass).
 * - `sum`/`min`/`max`: over items whose where is not false, of bodies that are not none;
 *   unknown if any such where or body is; `sum` of nothing is 0, `min`/`max` none.
 * - `all`/`any`: stop at the first item with where true and body false (all) or true (any).
 */
export interface LAggregate {
  readonly op: 'aggregate';
  readonly type: LType;
  readonly fn: 'count' | 'count-where' | 'sum' | 'min' | 'max' | 'all' | 'any';
  readonly slot: number;
  /** The kind of subject bound to `slot`, or undefined for list elements. */
  readonly itemKind?: string;
  readonly source: LSource;
  readonly where?: LExpr;
  readonly body?: LExpr;
  /** The aggregate as written (`share(…)` for both parts of a share), for messages. */
  readonly text?: string;
}

/** Any lowered expression. */
export type LExpr =
  | LLiteral | LUnknown | LField | LItem | LHas | LLogic | LNot | LCompare | LEquals | LInSet | LInList
  | LArith | LNeg | LDivRound | LNullIfZero | LTable | LSize | LAggregate
  | LDeref | LIf | LAbs | LExtreme | LBetween | LDateAdd;

/** One rule, lowered for one date. */
export interface LoweredRule {
  readonly id: string;
  /** Position in the policy: results of one subject follow it. */
  readonly index: number;
  readonly cite: string;
  readonly modality: 'must' | 'should' | 'may';
  readonly type: 'obligation' | 'entitlement' | 'value';
  readonly kind: string;
  /** Whether the policy and the rule are in force on the date; when not, every subject is not_applicable. */
  readonly inForce: boolean;
  /** Applies when true (none counts as false, unknown makes the result unknown). */
  readonly where?: LExpr;
  /** The requirement (obligations) or the eligibility condition (entitlements). */
  readonly condition: LExpr;
  /** The deadline: a date; unknown or none makes an unmet `must` unknown. */
  readonly deadline?: LExpr;
  /**
   * Value rules (`compute`): `condition` is the value's numerator (an integer) over the constant
   * `denominator`, whose only prime factors are 2 and 5 so the value is an exact decimal, written
   * with at least `decimals` places (the rule's step: `300.00` for 0.01); or a date (`denominator`
   * absent). Unknown makes the result unknown, none `not_applicable`, else `computed`.
   */
  readonly value?: { readonly denominator?: bigint; readonly decimals: number; readonly unit: string | null };
}

/** A rule the lowering refuses, and why. */
export interface Unsupported {
  readonly rule: string;
  /** The construct, as written in the policy. */
  readonly construct: string;
  /** A stable reason identifier (`reference-chain`, `division`, …). */
  readonly reason: string;
  /** Where the construct is written. */
  readonly span: Span;
}

/** A declared fact column of a kind's table. */
export interface LColumn {
  /** The dotted facts path (`posts.total`); a record's own column says whether it is present. */
  readonly path: string;
  readonly type: LType;
  /** For `list` columns. */
  readonly element?: LType;
  /** Whether the column holds a subject reference (an id). */
  readonly ref?: string;
}

/** A subject kind as the backends store it: one table per kind. */
export interface LKind {
  readonly name: string;
  /** The facts list (`institutions`): the table's name and the prefix of missing paths. */
  readonly listKey: string;
  readonly columns: readonly LColumn[];
}

/** A policy lowered for one date. */
export interface LoweredPolicy {
  readonly policy: { readonly id: string; readonly version: string };
  readonly asOf: string;
  readonly kinds: readonly LKind[];
  /** The rules that lowered, in policy order. */
  readonly rules: readonly LoweredRule[];
  /** The rules that did not, with the construct that stopped them. */
  readonly unsupported: readonly Unsupported[];
}
