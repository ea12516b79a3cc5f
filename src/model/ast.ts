/**
 * The abstract syntax of a policy file. The `.clause` text form and the YAML form both build
 * these nodes. Nodes are plain immutable data: discriminated unions on `kind`, every node with
 * a span. Spans are ignored by {@link stripSpans}-based equality, so a file and its reformatted
 * copy have equal ASTs.
 */
import type { Span } from './span.js';

/** Binary operators, lowest precedence first in the grammar. */
export type BinaryOp = 'or' | 'and' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | '+' | '-' | '*' | '/';

/** Aggregate functions over a collection. */
export type AggregateFn = 'count' | 'sum' | 'all' | 'any' | 'share' | 'min' | 'max';

/** Every aggregate function name. */
export const AGGREGATE_FNS: readonly AggregateFn[] = ['count', 'sum', 'all', 'any', 'share', 'min', 'max'];

/** A number as written: decimal text, kept exact (see `rational.ts`). */
export interface NumberLit { readonly kind: 'number'; readonly text: string; readonly span: Span }
/** A percentage such as `70%`; `text` excludes the sign. */
export interface PercentLit { readonly kind: 'percent'; readonly text: string; readonly span: Span }
/** A ratio such as `1:500`. */
export interface RatioLit { readonly kind: 'ratio'; readonly left: string; readonly right: string; readonly span: Span }
/** A calendar date `YYYY-MM-DD`. */
export interface DateLit { readonly kind: 'date'; readonly value: string; readonly span: Span }
/** A duration such as `2y`, `6m`, `30d`. */
export interface DurationLit { readonly kind: 'duration'; readonly amount: number; readonly unit: 'y' | 'm' | 'd'; readonly span: Span }
/** A string literal (already unescaped). */
export interface StringLit { readonly kind: 'string'; readonly value: string; readonly span: Span }
/** `true` or `false`. */
export interface BoolLit { readonly kind: 'bool'; readonly value: boolean; readonly span: Span }
/** `none`: a fact known to be absent (facts `null`). */
export interface NoneLit { readonly kind: 'none'; readonly span: Span }
/** `today`: the as-of date of the evaluation. */
export interface TodayLit { readonly kind: 'today'; readonly span: Span }
/** A bare name: a variable, parameter, set, definition or enum member. */
export interface NameRef { readonly kind: 'name'; readonly name: string; readonly span: Span }
/** `target.field`. */
export interface FieldAccess { readonly kind: 'field'; readonly target: Expr; readonly field: string; readonly fieldSpan: Span; readonly span: Span }
/** `f(a, b)`: a function, definition or table lookup. */
export interface Call { readonly kind: 'call'; readonly callee: string; readonly calleeSpan: Span; readonly args: readonly Expr[]; readonly span: Span }
/** `{a, b, c}`. */
export interface SetLit { readonly kind: 'set'; readonly items: readonly Expr[]; readonly span: Span }
/** `not x`, `-x`. */
export interface Unary { readonly kind: 'unary'; readonly op: 'not' | '-'; readonly operand: Expr; readonly span: Span }
/** `a op b`. */
export interface Binary { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly span: Span }
/** `count(x in source where cond)`, `sum(x in source where cond : body)`. */
export interface Aggregate {
  readonly kind: 'aggregate';
  readonly fn: AggregateFn;
  readonly variable: string;
  readonly variableSpan: Span;
  readonly source: Expr;
  readonly where?: Expr;
  readonly body?: Expr;
  readonly span: Span;
}
/**
 * `if c then a else b` (an `else if` chain nests in `otherwise`). Three-valued: an unknown
 * condition gives unknown unless both branches give the same value; `none` is false.
 */
export interface IfExpr { readonly kind: 'if'; readonly condition: Expr; readonly then: Expr; readonly otherwise: Expr; readonly span: Span }
/** A parenthesised expression, kept so the printer can reproduce grouping the author chose. */
export interface Paren { readonly kind: 'paren'; readonly inner: Expr; readonly span: Span }

/** Any expression. */
export type Expr =
  | NumberLit | PercentLit | RatioLit | DateLit | DurationLit | StringLit | BoolLit | NoneLit | TodayLit
  | NameRef | FieldAccess | Call | SetLit | Unary | Binary | Aggregate | Paren | IfExpr;

/** A reference to a type: a builtin, an enum, a subject kind, `list T`, or `many K by F`; `in 元` gives a unit. */
export interface TypeRef {
  readonly kind: 'type';
  readonly name: string;
  readonly list: boolean;
  /** The unit of a numeric type (`integer in 岗位`), if declared. */
  readonly unit?: string;
  readonly unitSpan?: Span;
  readonly span: Span;
}

/** A zh label with an optional en label. */
export interface Label { readonly zh: string; readonly en?: string; readonly span: Span }

/** The `policy` header. */
export interface PolicyHeader {
  readonly kind: 'policy';
  readonly id: string;
  readonly idSpan: Span;
  readonly version: string;
  readonly title?: Label;
  readonly source?: StringLit;
  readonly effectiveFrom?: DateLit;
  readonly effectiveUntil?: DateLit;
  readonly extends?: StringLit;
  /** The numbering scheme the source text uses, as written: `第X条` or `一、（一）` (checked against the text). */
  readonly numbering?: StringLit;
  readonly span: Span;
}

/** One member of an enum. */
export interface EnumMember { readonly name: string; readonly label?: Label; readonly span: Span }
/** `enum name "label" { member "label" ... }`. */
export interface EnumDecl { readonly kind: 'enum'; readonly name: string; readonly nameSpan: Span; readonly label?: Label; readonly members: readonly EnumMember[]; readonly span: Span }

/** A field of a subject kind; dotted names declare nested facts (`posts.total`). */
export interface FieldDecl { readonly kind: 'field'; readonly name: string; readonly nameSpan: Span; readonly type: TypeRef; readonly label?: Label; readonly span: Span }
/** An inverse relation: `workers: many worker by institution`; `by parent*` follows it transitively. */
export interface RelationDecl {
  readonly kind: 'relation';
  readonly name: string;
  readonly nameSpan: Span;
  readonly target: string;
  readonly targetSpan: Span;
  readonly via: string;
  readonly viaSpan: Span;
  readonly transitive: boolean;
  readonly label?: Label;
  readonly span: Span;
}
/**
 * `kind institution from institutions "机构" { ... }`. In an extending policy, a kind or enum
 * declared again under an inherited name adds its fields or members to the inherited one.
 */
export interface KindDecl {
  readonly kind: 'kind';
  readonly name: string;
  readonly nameSpan: Span;
  readonly listKey: string;
  readonly label?: Label;
  readonly members: readonly (FieldDecl | RelationDecl)[];
  readonly span: Span;
}

/** One dated value of a parameter. `from` absent: in force from the start. */
export interface ParamValue { readonly value: Expr; readonly from?: DateLit; readonly span: Span }
/** `param name: type "label" = v from d, v from d`; type absent in an override. */
export interface ParamDecl {
  readonly kind: 'param';
  readonly name: string;
  readonly nameSpan: Span;
  readonly type?: TypeRef;
  readonly label?: Label;
  readonly history: readonly ParamValue[];
  readonly span: Span;
}

/** `set name: type = {a, b}`. */
export interface SetDecl { readonly kind: 'setdecl'; readonly name: string; readonly nameSpan: Span; readonly type?: TypeRef; readonly label?: Label; readonly items: readonly Expr[]; readonly span: Span }

/** A typed formal parameter of a table or definition. */
export interface Formal { readonly name: string; readonly type: TypeRef; readonly span: Span }
/** One row of a table. */
export interface TableRow { readonly keys: readonly Expr[]; readonly value: Expr; readonly span: Span }
/** `table name(a: T, b: U) -> R "label" { k1, k2 -> v }`. */
export interface TableDecl {
  readonly kind: 'table';
  /** `override table …`: replaces the inherited table of that name (open extension). */
  readonly override?: boolean;
  readonly name: string;
  readonly nameSpan: Span;
  readonly formals: readonly Formal[];
  readonly result: TypeRef;
  readonly label?: Label;
  readonly rows: readonly TableRow[];
  readonly span: Span;
}

/** `define name(x: T) = expr`. */
export interface DefineDecl { readonly kind: 'define'; readonly override?: boolean; readonly name: string; readonly nameSpan: Span; readonly formals: readonly Formal[]; readonly body: Expr; readonly label?: Label; readonly span: Span }

/** Modality of an obligation. */
export type RuleModality = 'must' | 'should' | 'may';

/** `explain "zh template" en "en template"`. */
export interface ExplainClause { readonly zh: StringLit; readonly en?: StringLit; readonly span: Span }

/** `compute in UNIT step STEP = expr`: what a value rule yields, its unit and its rounding step. */
export interface ComputeClause {
  readonly value: Expr;
  readonly unit?: string;
  readonly unitSpan?: Span;
  /** Decimal text of the step every result must be a whole multiple of (`0.01`: whole fen). */
  readonly step?: string;
  readonly stepSpan?: Span;
  readonly span: Span;
}

/** A rule: an obligation (`must`/`should`/`may`) or an entitlement (`eligible when`). */
export interface RuleDecl {
  readonly kind: 'rule';
  readonly id: string;
  readonly idSpan: Span;
  readonly title?: Label;
  readonly cite?: StringLit;
  readonly quote?: StringLit;
  readonly subjectKind?: string;
  readonly subjectKindSpan?: Span;
  readonly variable?: string;
  readonly variableSpan?: Span;
  readonly where?: Expr;
  /** Obligations: the modality keyword; entitlements: from a `modality` clause, default `must`. */
  readonly modality: RuleModality;
  readonly modalitySpan?: Span;
  readonly requirement?: Expr;
  readonly eligibleWhen?: Expr;
  /** A value rule's expression: `compute in 元 step 0.01 = expr`. */
  readonly compute?: ComputeClause;
  readonly deadline?: Expr;
  readonly from?: DateLit;
  readonly until?: DateLit;
  readonly explain?: ExplainClause;
  readonly span: Span;
}

/**
 * A passage of the source document that no fact can check, with the reason:
 * `uncheckable "一" because "总体要求：原则性表述"`. `quote` narrows it to the paragraph holding
 * that text. Source coverage counts such paragraphs as accounted for, not as gaps.
 */
export interface UncheckableDecl {
  readonly kind: 'uncheckable';
  readonly cite: StringLit;
  readonly quote?: StringLit;
  readonly reason: Label;
  readonly span: Span;
}

/** Any top-level declaration. */
export type Decl = PolicyHeader | EnumDecl | KindDecl | ParamDecl | SetDecl | TableDecl | DefineDecl | RuleDecl | UncheckableDecl;

/** A comment kept for the printer. */
export interface Comment { readonly text: string; readonly span: Span }

/** One parsed file. */
export interface SourceFileAst {
  readonly kind: 'file';
  readonly path: string;
  readonly decls: readonly Decl[];
  readonly comments: readonly Comment[];
  readonly span: Span;
}

/**
 * A deep copy without spans (and without comments), for equality that ignores layout.
 * Used by tests and by `diff`, which must not report moved text as a change.
 */
export function stripSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripSpans);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'span' || k.endsWith('Span') || k === 'comments' || k === 'path' || v === undefined) continue;
      out[k] = stripSpans(v);
    }
    return out;
  }
  return value;
}

/** Fails to compile when a switch over a union misses a case. */
export function assertNever(value: never): never {
  throw new Error(`internal error: unexpected ${JSON.stringify(value)}`);
}
