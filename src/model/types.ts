/**
 * Semantic types of the language and the checked, immutable policy the evaluator consumes.
 */
import type * as A from './ast.js';
import type { Num } from './rational.js';
import type { Span } from './span.js';

/** Builtin scalar type names. */
export type ScalarName = 'integer' | 'number' | 'percent' | 'ratio' | 'date' | 'duration' | 'boolean' | 'string';

/** Every builtin type name usable in declarations. */
export const SCALAR_NAMES: readonly ScalarName[] = ['integer', 'number', 'percent', 'ratio', 'date', 'duration', 'boolean', 'string'];

/** A type. `group` is a nested object of a subject's facts (`posts`, `sw_station`). */
export type Type =
  /** `unit`: the declared unit of a numeric value (`元`, `人`, `岗位`, `月`), if any. */
  | { readonly t: ScalarName; readonly unit?: string }
  | { readonly t: 'enum'; readonly name: string }
  | { readonly t: 'subject'; readonly kind: string }
  | { readonly t: 'group'; readonly kind: string; readonly prefix: string }
  | { readonly t: 'list'; readonly of: Type }
  | { readonly t: 'set'; readonly of: Type }
  | { readonly t: 'none' }
  /** The type of an expression that already has an error: accepted everywhere, silently. */
  | { readonly t: 'error' };

/** A duration value. */
export interface Duration { readonly amount: number; readonly unit: 'y' | 'm' | 'd' }

/** A runtime value of a constant (parameters, sets, table cells). Dates are `YYYY-MM-DD` strings. */
export type ConstValue = Num | string | boolean | null | Duration | ReadonlySet<unknown>;

/** A zh label with optional en. */
export interface Labels { readonly zh: string; readonly en?: string }

/** A declared fact field of a subject kind. */
export interface FieldInfo {
  readonly path: string;
  readonly type: Type;
  /** `record` fields are groups that may be null (none) as a whole. */
  readonly isRecord: boolean;
  readonly label?: Labels;
  readonly span: Span;
}

/** An inverse relation: the subjects of `target` whose `via` field refers to this subject. */
export interface RelationInfo {
  readonly name: string;
  readonly target: string;
  readonly via: string;
  readonly transitive: boolean;
  readonly label?: Labels;
  readonly span: Span;
}

/** A subject kind. */
export interface KindInfo {
  readonly name: string;
  readonly listKey: string;
  readonly label?: Labels;
  readonly fields: ReadonlyMap<string, FieldInfo>;
  readonly relations: ReadonlyMap<string, RelationInfo>;
  readonly span: Span;
}

/** An enum. */
export interface EnumInfo {
  readonly name: string;
  readonly label?: Labels;
  readonly members: ReadonlyMap<string, Labels | undefined>;
  readonly span: Span;
}

/** One dated value of a parameter; `from` undefined means "from the start". */
export interface ParamVersion { readonly from?: string; readonly value: ConstValue; readonly span: Span }

/** A parameter with its history (ordered by date). Empty history: unset, to be set locally. */
export interface ParamInfo {
  readonly name: string;
  readonly type: Type;
  readonly label?: Labels;
  readonly history: readonly ParamVersion[];
  /** Where the value in force was declared: the policy itself or an extending supplement. */
  readonly setBy: string;
  readonly span: Span;
}

/** A named set. */
export interface SetInfo { readonly name: string; readonly type: Type; readonly values: ReadonlySet<unknown>; readonly label?: Labels; readonly span: Span }

/** A lookup table; keys are joined with U+0000 into one map key. */
export interface TableInfo {
  readonly name: string;
  readonly formals: readonly { readonly name: string; readonly type: Type }[];
  readonly result: Type;
  readonly rows: ReadonlyMap<string, ConstValue>;
  readonly label?: Labels;
  readonly decl: A.TableDecl;
  readonly span: Span;
}

/** Builtin functions. */
export type BuiltinFn = 'has' | 'ceil' | 'floor' | 'round' | 'round_half_even' | 'min' | 'max' | 'abs' | 'years_between' | 'days_between' | 'size' | 'percent';

/** A typed, resolved expression: what `compile/` turns into closures. */
export type TExpr =
  /** `name`: the named set a constant came from, kept for explanations. */
  | { readonly op: 'const'; readonly value: ConstValue; readonly type: Type; readonly span: Span; readonly name?: string }
  | { readonly op: 'today'; readonly type: Type; readonly span: Span }
  | { readonly op: 'var'; readonly slot: number; readonly name: string; readonly type: Type; readonly span: Span }
  | { readonly op: 'param'; readonly name: string; readonly type: Type; readonly span: Span }
  | { readonly op: 'field'; readonly target: TExpr; readonly path: string; readonly type: Type; readonly label?: Labels; readonly span: Span }
  | { readonly op: 'relation'; readonly target: TExpr; readonly relation: RelationInfo; readonly type: Type; readonly span: Span }
  | { readonly op: 'call'; readonly fn: BuiltinFn; readonly args: readonly TExpr[]; readonly type: Type; readonly span: Span }
  | { readonly op: 'table'; readonly table: string; readonly args: readonly TExpr[]; readonly type: Type; readonly span: Span }
  | { readonly op: 'set'; readonly items: readonly TExpr[]; readonly type: Type; readonly span: Span }
  | { readonly op: 'not'; readonly operand: TExpr; readonly type: Type; readonly span: Span }
  | { readonly op: 'neg'; readonly operand: TExpr; readonly type: Type; readonly span: Span }
  | { readonly op: 'binary'; readonly bop: A.BinaryOp; readonly left: TExpr; readonly right: TExpr; readonly type: Type; readonly span: Span }
  | { readonly op: 'if'; readonly condition: TExpr; readonly then: TExpr; readonly otherwise: TExpr; readonly type: Type; readonly span: Span }
  /**
   * A call of a definition too large to inline: `body` is checked once per definition and
   * argument types and shared by every call (formal i is `var` slot i of the body's own frame,
   * the body's aggregate variables follow), so compiled size stays linear in the policy text.
   * `slots` is the size of that frame.
   */
  | { readonly op: 'def'; readonly name: string; readonly args: readonly TExpr[]; readonly body: TExpr; readonly slots: number; readonly type: Type; readonly span: Span }
  | {
      readonly op: 'aggregate';
      readonly fn: A.AggregateFn;
      readonly slot: number;
      readonly variable: string;
      readonly source: TExpr;
      readonly where?: TExpr;
      readonly body?: TExpr;
      readonly type: Type;
      readonly span: Span;
    };

/** An explanation template: literal text and expressions in `{…}`. */
export type TemplatePart = { readonly text: string } | { readonly expr: TExpr; readonly source: string };

/** A checked rule. */
export interface RuleInfo {
  readonly id: string;
  readonly title?: Labels;
  readonly cite: string;
  readonly quote?: string;
  readonly modality: A.RuleModality;
  /** `value`: a value rule (`compute … = expr`); its `condition` is the value's expression. */
  readonly type: 'obligation' | 'entitlement' | 'value';
  /** Value rules: the declared unit (else the expression's) and rounding step. */
  readonly value?: { readonly unit?: string; readonly step?: Num; readonly stepText?: string };
  readonly kind: string;
  readonly variable: string;
  /** Number of variable slots an evaluation frame needs (subject + aggregate variables). */
  readonly slots: number;
  readonly where?: TExpr;
  /** The requirement (obligations), the eligibility condition (entitlements) or the value (value rules). */
  readonly condition: TExpr;
  readonly deadline?: TExpr;
  readonly from?: string;
  readonly until?: string;
  readonly explain?: { readonly zh: readonly TemplatePart[]; readonly en?: readonly TemplatePart[] };
  readonly decl: A.RuleDecl;
  /** The policy (id) whose file declared the rule. */
  readonly declaredIn: string;
}

/** A paragraph of the source document with the clause numbering it falls under. */
export interface SourceParagraph {
  readonly cite: string;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** 1-based line of the paragraph in the source file. */
  readonly line: number;
}

/** The source document a policy encodes. */
export interface SourceDocument {
  readonly path: string;
  readonly text: string;
  readonly paragraphs: readonly SourceParagraph[];
  /** Every cite the document's numbering defines (`三`, `三（二）`, …). */
  readonly cites: ReadonlySet<string>;
}

/** A passage declared not checkable by facts, with the reason (see `UncheckableDecl`). */
export interface UncheckableInfo {
  readonly cite: string;
  readonly quote?: string;
  readonly reason: Labels;
  readonly span: Span;
}

/** A checked, immutable policy. */
export interface Policy {
  readonly id: string;
  readonly version: string;
  readonly title?: Labels;
  readonly effectiveFrom?: string;
  readonly effectiveUntil?: string;
  readonly source?: SourceDocument;
  readonly kinds: ReadonlyMap<string, KindInfo>;
  readonly enums: ReadonlyMap<string, EnumInfo>;
  readonly params: ReadonlyMap<string, ParamInfo>;
  readonly sets: ReadonlyMap<string, SetInfo>;
  readonly tables: ReadonlyMap<string, TableInfo>;
  readonly defines: ReadonlyMap<string, A.DefineDecl>;
  readonly rules: readonly RuleInfo[];
  /** Passages of the source declared not checkable, with reasons. */
  readonly uncheckable: readonly UncheckableInfo[];
  /** The files this policy's own directory contributed. */
  readonly files: readonly A.SourceFileAst[];
  /** The policy this one extends, if any. */
  readonly base?: Policy;
}

/** The unit of a type, if it has one. */
export function unitOf(t: Type): string | undefined {
  return 'unit' in t ? t.unit : undefined;
}

/** Human name of a type, for messages. */
export function typeName(t: Type): string {
  const unit = unitOf(t);
  if (unit !== undefined) return `${t.t} in ${unit}`;
  switch (t.t) {
    case 'enum': return t.name;
    case 'subject': return t.kind;
    case 'group': return `${t.kind}.${t.prefix}`;
    case 'list': return `list ${typeName(t.of)}`;
    case 'set': return `set of ${typeName(t.of)}`;
    case 'none': return 'none';
    case 'error': return '?';
    default: return t.t;
  }
}

/** Whether a type is numeric. */
export function isNumeric(t: Type): boolean {
  return t.t === 'integer' || t.t === 'number' || t.t === 'percent' || t.t === 'ratio';
}
