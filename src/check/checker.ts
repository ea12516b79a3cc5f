/**
 * The semantic checker: parsed files -> a checked, immutable {@link Policy}. It runs as an
 * ordered list of named passes over one shared state; each pass only adds to the state's
 * tables and diagnostics, the AST is never modified.
 */
import type * as A from '../model/ast.js';
import { error, warning, didYouMean, type Diagnostic } from '../model/diagnostics.js';
import { isValidDate } from '../model/dates.js';
import { LineIndex, type Span } from '../model/span.js';
import {
  isNumeric,
  typeName,
  unitOf,
  type ConstValue,
  type EnumInfo,
  type FieldInfo,
  type KindInfo,
  type Labels,
  type ParamInfo,
  type ParamVersion,
  type Policy,
  type RelationInfo,
  type RuleInfo,
  type SetInfo,
  type SourceDocument,
  type TableInfo,
  type TemplatePart,
  type UncheckableInfo,
  type TExpr,
  type Type,
} from '../model/types.js';
import { parseExpression } from '../syntax/parse.js';
import { assignable, constValueOf, ExprChecker, percentSignHint, resolveTypeName, Scope, TYPES, type Symbols } from './expressions.js';
import { citeCovers, detectScheme, locateQuote, outlineSource, SCHEME_NAMES, schemeNamed, type NumberingScheme } from './source-outline.js';
import { ConstantFolder } from './constant-size.js';
import { officerHints } from './officer-hints.js';
import { sharedBodies, treeSize } from './expr-size.js';
import { compare, div as qdiv, formatNum, isNum, parseDecimal, type Num } from '../model/rational.js';

/** What the checker needs besides the parsed files. */
export interface CheckInput {
  /** The policy directory's parsed files, in load order. */
  readonly files: readonly A.SourceFileAst[];
  /** The source document named by the header, or `undefined` when none is named. */
  readonly source?: { readonly path: string; readonly text: string } | { readonly path: string; readonly missing: true };
  /** The checked policy named by `extends`, already loaded. */
  readonly base?: Policy;
  /** Largest compiled size, in expression nodes (default {@link DEFAULT_MAX_COMPILED_SIZE}); C0101 above it. */
  readonly maxCompiledSize?: number;
  /** The rule files' texts by path, so hints can name a declaration's line and column. */
  readonly texts?: ReadonlyMap<string, string>;
}

/**
 * Default budget on compiled size: expression nodes of every rule plus each shared definition
 * body once. The bundled policy compiles to under 3,000; definitions are shared rather than
 * inlined, so only a policy text of megabytes reaches this.
 */
export const DEFAULT_MAX_COMPILED_SIZE = 1_000_000;

/** Checker output: the policy (best effort even with errors) and the diagnostics. */
export interface CheckResult {
  readonly policy: Policy;
  readonly diagnostics: readonly Diagnostic[];
}

interface State {
  readonly input: CheckInput;
  readonly diagnostics: Diagnostic[];
  header?: A.PolicyHeader;
  source?: SourceDocument;
  readonly kinds: Map<string, KindInfo>;
  readonly enums: Map<string, EnumInfo>;
  readonly params: Map<string, ParamInfo>;
  readonly sets: Map<string, SetInfo>;
  readonly tables: Map<string, TableInfo>;
  readonly defines: Map<string, A.DefineDecl>;
  readonly cyclicDefines: Set<string>;
  /** Inherited definitions and tables this policy replaced with `override`. */
  readonly overridden: Set<string>;
  readonly rules: RuleInfo[];
  readonly uncheckable: UncheckableInfo[];
  readonly decls: A.Decl[];
}

/** One named checker pass. */
interface Pass {
  readonly name: string;
  run(state: State): void;
}

function label(l: A.Label | undefined): Labels | undefined {
  return l ? { zh: l.zh, en: l.en } : undefined;
}

function symbols(s: State): Symbols {
  return { ...s, placeOf: (span, name) => placeOf(s, span, name) };
}

/** `file:line:col` of `name` within `span` (of the span's start if `name` is not in it). */
function placeOf(s: State, span: Span, name: string): string {
  const text = s.input.texts?.get(span.file);
  if (text === undefined) return span.file;
  const at = text.indexOf(name, span.start);
  const { line, column } = new LineIndex(text).position(at >= 0 && at < span.end ? at : span.start);
  return `${span.file}:${line}:${column}`;
}

/**
 * The passes, in order. Types before anything typed (kinds must be known to resolve field
 * types); params, sets and tables before definitions and rules that read them; definitions'
 * cycle check before rules inline them.
 */
const PASSES: readonly Pass[] = [
  { name: 'header', run: headerPass },
  { name: 'enums', run: enumsPass },
  // must run after enums: field types may name enums
  { name: 'kinds', run: kindsPass },
  { name: 'params', run: paramsPass },
  { name: 'sets', run: setsPass },
  { name: 'tables', run: tablesPass },
  { name: 'define-cycles', run: defineCyclesPass },
  // must run after every symbol table is filled
  { name: 'rules', run: rulesPass },
  { name: 'uncheckable', run: uncheckablePass },
  // must run after rules: it reads which parameters each rule uses
  { name: 'officer-hints', run: (s) => s.diagnostics.push(...officerHints(s)) },
];

/** Checks a policy's files. Never throws on user input. */
export function checkPolicy(input: CheckInput): CheckResult {
  const base = input.base;
  const state: State = {
    input,
    diagnostics: [],
    kinds: new Map(base?.kinds),
    enums: new Map(base?.enums),
    params: new Map(base?.params),
    sets: new Map(base?.sets),
    tables: new Map(base?.tables),
    defines: new Map(base?.defines),
    cyclicDefines: new Set(),
    overridden: new Set(),
    rules: [...(base?.rules ?? [])],
    uncheckable: [...(base?.uncheckable ?? [])],
    decls: input.files.flatMap((f) => f.decls),
  };
  for (const pass of PASSES) pass.run(state);
  const h = state.header;
  const policy: Policy = {
    id: h?.id ?? base?.id ?? '',
    version: h?.version ?? base?.version ?? '',
    title: label(h?.title) ?? base?.title,
    effectiveFrom: h?.effectiveFrom?.value ?? base?.effectiveFrom,
    effectiveUntil: h?.effectiveUntil?.value ?? base?.effectiveUntil,
    source: state.source ?? base?.source,
    kinds: state.kinds,
    enums: state.enums,
    params: state.params,
    sets: state.sets,
    tables: state.tables,
    defines: state.defines,
    rules: state.rules,
    uncheckable: state.uncheckable,
    files: input.files,
    base,
  };
  const diagnostics = state.diagnostics.sort(
    (a, b) => (a.span?.file ?? '').localeCompare(b.span?.file ?? '') || (a.span?.start ?? 0) - (b.span?.start ?? 0),
  );
  return { policy, diagnostics };
}

function duplicate(s: State, what: string, name: string, span: Span): void {
  s.diagnostics.push(error('C0004', span, { what, name }));
}

function headerPass(s: State): void {
  const headers = s.decls.filter((d): d is A.PolicyHeader => d.kind === 'policy');
  if (headers.length === 0) {
    const first = s.input.files[0];
    s.diagnostics.push(error('C0010', first ? { file: first.path, start: 0, end: 0 } : undefined));
    return;
  }
  for (const extra of headers.slice(1)) s.diagnostics.push(error('C0012', extra.span));
  const h = headers[0];
  s.header = h;
  if (h.effectiveFrom && h.effectiveUntil && h.effectiveFrom.value > h.effectiveUntil.value) {
    s.diagnostics.push(error('C0033', h.effectiveUntil.span, { from: h.effectiveFrom.value, until: h.effectiveUntil.value }));
  }
  const declared = numberingOf(s, h);
  const src = s.input.source;
  if (src && 'missing' in src) {
    s.diagnostics.push(error('C0011', h.source?.span ?? h.span, { path: src.path }));
  } else if (src) {
    s.source = outlineSource(src.path, src.text, declared ?? detectScheme(src.text));
  }
  if (declared && h.numbering) {
    // Cites are read by the declared scheme; a text numbered otherwise would make every cite unknown.
    const against = src && !('missing' in src) ? { path: src.path, text: src.text } : s.input.base?.source;
    if (!against) s.diagnostics.push(warning('C0222', h.numbering.span, { scheme: h.numbering.value }));
    else {
      const detected = detectScheme(against.text);
      if (detected !== declared) s.diagnostics.push(error('C0221', h.numbering.span, { declared: h.numbering.value, path: against.path, detected: SCHEME_NAMES[detected] }));
    }
  }
}

/** The scheme named by the header's `numbering`, if any; an unknown name is C0220. */
function numberingOf(s: State, h: A.PolicyHeader): NumberingScheme | undefined {
  if (!h.numbering) return undefined;
  const scheme = schemeNamed(h.numbering.value.trim());
  if (!scheme) s.diagnostics.push(error('C0220', h.numbering.span, { text: h.numbering.value, articles: SCHEME_NAMES.articles, sections: SCHEME_NAMES.sections }));
  return scheme;
}

function enumsPass(s: State): void {
  for (const d of s.decls) {
    if (d.kind !== 'enum') continue;
    // Open extension: an inherited enum declared again gains the new members.
    const inherited = s.input.base?.enums.get(d.name);
    const extending = inherited !== undefined && s.enums.get(d.name) === inherited;
    if (!extending && (s.enums.has(d.name) || s.kinds.has(d.name))) {
      duplicate(s, 'enum', d.name, d.nameSpan);
      continue;
    }
    const members = new Map<string, Labels | undefined>(extending ? inherited.members : []);
    for (const m of d.members) {
      if (extending && inherited.members.has(m.name)) s.diagnostics.push(error('C0209', m.span, { what: 'enum', kind: d.name, name: m.name }));
      else if (members.has(m.name)) duplicate(s, 'enum member', m.name, m.span);
      members.set(m.name, label(m.label) ?? (extending ? inherited.members.get(m.name) : undefined));
    }
    s.enums.set(d.name, { name: d.name, label: label(d.label) ?? inherited?.label, members, span: extending ? inherited.span : d.span });
  }
}

function kindsPass(s: State): void {
  const kindDecls = s.decls.filter((d): d is A.KindDecl => d.kind === 'kind');
  // Register names first: fields may refer to kinds declared later (institution -> region).
  const fresh: A.KindDecl[] = [];
  // Open extension: an inherited kind declared again gains the new fields and relations.
  const extended = new Map<A.KindDecl, KindInfo>();
  for (const d of kindDecls) {
    const inherited = s.input.base?.kinds.get(d.name);
    if (inherited && s.kinds.get(d.name) === inherited && ![...extended.values()].includes(inherited)) {
      extended.set(d, inherited);
      fresh.push(d);
      continue;
    }
    if (s.kinds.has(d.name) || s.enums.has(d.name)) {
      duplicate(s, 'kind', d.name, d.nameSpan);
      continue;
    }
    s.kinds.set(d.name, { name: d.name, listKey: d.listKey, label: label(d.label), fields: new Map(), relations: new Map(), span: d.span });
    fresh.push(d);
  }
  for (const d of fresh) {
    const inherited = extended.get(d);
    const fields = new Map<string, FieldInfo>(inherited?.fields);
    const relations = new Map<string, RelationInfo>(inherited?.relations);
    for (const m of d.members) {
      if (inherited && (inherited.fields.has(m.name) || inherited.relations.has(m.name))) {
        s.diagnostics.push(error('C0209', m.nameSpan, { what: 'kind', kind: d.name, name: m.name }));
        continue;
      }
      if (fields.has(m.name) || relations.has(m.name) || m.name === 'id') {
        duplicate(s, 'field', m.name, m.nameSpan);
        continue;
      }
      if (m.kind === 'relation') {
        relations.set(m.name, { name: m.name, target: m.target, via: m.via, transitive: m.transitive, label: label(m.label), span: m.span });
        continue;
      }
      const isRecord = m.type.name === 'record' && !m.type.list;
      const type = isRecord ? ({ t: 'group', kind: d.name, prefix: m.name } as Type) : resolveTypeName(m.type, s);
      if (!type) {
        s.diagnostics.push(error('C0014', m.type.span, { name: m.type.name }, didYouMean(m.type.name, typeNames(s))));
        continue;
      }
      checkUnit(s, m.type, type);
      fields.set(m.name, { path: m.name, type, isRecord, label: label(m.label), span: m.span });
    }
    // A nested field under a declared scalar field would be unreachable in the facts.
    for (const f of fields.values()) {
      const parts = f.path.split('.');
      for (let i = 1; i < parts.length; i++) {
        const parent = fields.get(parts.slice(0, i).join('.'));
        if (parent && !parent.isRecord) s.diagnostics.push(error('C0038', f.span, { name: f.path, parent: parent.path }));
      }
    }
    if (!inherited) fields.set('id', { path: 'id', type: TYPES.string, isRecord: false, label: { zh: '编号', en: 'id' }, span: d.nameSpan });
    if (inherited) s.kinds.set(d.name, { ...inherited, fields, relations });
    else s.kinds.set(d.name, { name: d.name, listKey: d.listKey, label: label(d.label), fields, relations, span: d.span });
  }
  // Relations need every kind's fields.
  for (const d of fresh) {
    for (const m of d.members) {
      if (m.kind !== 'relation') continue;
      const target = s.kinds.get(m.target);
      if (!target) {
        s.diagnostics.push(error('C0013', m.targetSpan, { name: m.target }, didYouMean(m.target, s.kinds.keys())));
        continue;
      }
      const via = target.fields.get(m.via);
      if (!via || via.type.t !== 'subject' || via.type.kind !== d.name) {
        s.diagnostics.push(error('C0027', m.viaSpan, { name: m.via, kind: d.name }));
      }
    }
  }
}

/** A unit is declared only on a number: `integer in 人`, not `date in 元`. */
function checkUnit(s: State, ref: A.TypeRef, type: Type): void {
  if (ref.unit !== undefined && !isNumeric(type) && type.t !== 'error') {
    s.diagnostics.push(error('C0211', ref.unitSpan ?? ref.span, { type: ref.name, unit: ref.unit }));
  }
}

function typeNames(s: State): string[] {
  return ['integer', 'number', 'percent', 'ratio', 'date', 'duration', 'boolean', 'string', 'record', ...s.enums.keys(), ...s.kinds.keys()];
}

function paramsPass(s: State): void {
  const checker = new ExprChecker(symbols(s), s.diagnostics);
  const seen = new Set<string>();
  for (const d of s.decls) {
    if (d.kind !== 'param') continue;
    if (seen.has(d.name)) {
      duplicate(s, 'param', d.name, d.nameSpan);
      continue;
    }
    seen.add(d.name);
    const inherited = s.input.base?.params.get(d.name);
    let type: Type | undefined;
    if (d.type) {
      type = resolveTypeName(d.type, s);
      if (!type) {
        s.diagnostics.push(error('C0014', d.type.span, { name: d.type.name }, didYouMean(d.type.name, typeNames(s))));
        continue;
      }
      checkUnit(s, d.type, type);
      if (inherited && typeName(inherited.type) !== typeName(type)) {
        s.diagnostics.push(error('C0034', d.type.span, { name: d.name }));
      } else if (!inherited && s.params.has(d.name)) {
        duplicate(s, 'param', d.name, d.nameSpan);
        continue;
      }
    } else if (inherited) {
      type = inherited.type;
    } else {
      const help = didYouMean(d.name, s.params.keys());
      s.diagnostics.push(error(s.input.base ? 'C0021' : 'C0014', d.nameSpan, { name: d.name }, help));
      continue;
    }
    const history: ParamVersion[] = [];
    let previous: string | undefined;
    d.history.forEach((h, index) => {
      const x = checker.check(h.value, Scope.root(), type);
      if (!assignable(type!, x.type)) {
        const hint = type!.t === 'percent' && h.value.kind === 'number' ? percentSignHint(h.value.text) : undefined;
        s.diagnostics.push(error('C0003', h.value.span, { expected: typeName(type!), actual: typeName(x.type) }, hint));
        return;
      }
      const value = constValueOf(x);
      if (value === undefined) {
        s.diagnostics.push(error('C0037', h.value.span, { name: d.name }));
        return;
      }
      if (type!.t === 'integer' && isNum(value) && !(typeof value === 'number' && Number.isInteger(value))) {
        s.diagnostics.push(error('C0003', h.value.span, { expected: 'integer', actual: formatNum(value) }));
      }
      const from = h.from?.value;
      if (index > 0 && from === undefined) {
        s.diagnostics.push(error('C0008', h.span, { name: d.name, date: '—' }));
      } else if (from !== undefined && previous !== undefined && from <= previous) {
        s.diagnostics.push(error('C0008', h.from!.span, { name: d.name, date: from }));
      }
      if (from !== undefined) previous = from;
      history.push({ from, value, span: h.span });
    });
    s.params.set(d.name, {
      name: d.name,
      type,
      label: label(d.label) ?? inherited?.label,
      history,
      setBy: s.header?.id ?? '',
      span: d.span,
    });
  }
}

function setsPass(s: State): void {
  const checker = new ExprChecker(symbols(s), s.diagnostics);
  for (const d of s.decls) {
    if (d.kind !== 'setdecl') continue;
    if (s.sets.has(d.name) || s.params.has(d.name)) {
      duplicate(s, 'set', d.name, d.nameSpan);
      continue;
    }
    let type: Type | undefined = d.type ? resolveTypeName(d.type, s) : undefined;
    if (d.type && !type) {
      s.diagnostics.push(error('C0014', d.type.span, { name: d.type.name }, didYouMean(d.type.name, typeNames(s))));
      continue;
    }
    const values = new Set<unknown>();
    for (const item of d.items) {
      const x = checker.check(item, Scope.root(), type);
      type ??= x.type.t === 'error' ? undefined : x.type;
      if (type && !assignable(type, x.type)) {
        s.diagnostics.push(error('C0003', item.span, { expected: typeName(type), actual: typeName(x.type) }));
        continue;
      }
      const v = constValueOf(x);
      if (v === undefined) s.diagnostics.push(error('C0037', item.span, { name: d.name }));
      else values.add(v);
    }
    s.sets.set(d.name, { name: d.name, type: type ?? TYPES.error, values, label: label(d.label), span: d.span });
  }
}

/** The map key of a table row or lookup: values joined by NUL, numbers in canonical form. */
export function tableKey(values: readonly unknown[]): string {
  return values.map((v) => (isNum(v) ? formatNum(v, 12) : String(v))).join('\u0000');
}

function tablesPass(s: State): void {
  const checker = new ExprChecker(symbols(s), s.diagnostics);
  for (const d of s.decls) {
    if (d.kind !== 'table') continue;
    if (!replaces(s, 'table', d, s.tables.get(d.name), s.input.base?.tables.get(d.name))) continue;
    const formals = d.formals.map((f) => {
      const type = resolveTypeName(f.type, s);
      if (!type) s.diagnostics.push(error('C0014', f.type.span, { name: f.type.name }, didYouMean(f.type.name, typeNames(s))));
      return { name: f.name, type: type ?? TYPES.error };
    });
    const result = resolveTypeName(d.result, s);
    if (!result) s.diagnostics.push(error('C0014', d.result.span, { name: d.result.name }, didYouMean(d.result.name, typeNames(s))));
    else checkUnit(s, d.result, result);
    const rows = new Map<string, ConstValue>();
    for (const row of d.rows) {
      if (row.keys.length !== formals.length) {
        s.diagnostics.push(error('C0017', row.span, { name: d.name, expected: formals.length }));
        continue;
      }
      const keys: unknown[] = [];
      let ok = true;
      row.keys.forEach((k, i) => {
        const x = checker.check(k, Scope.root(), formals[i].type);
        const v = constValueOf(x);
        if (!assignable(formals[i].type, x.type)) {
          s.diagnostics.push(error('C0003', k.span, { expected: typeName(formals[i].type), actual: typeName(x.type) }));
          ok = false;
        } else if (v === undefined) {
          s.diagnostics.push(error('C0037', k.span, { name: d.name }));
          ok = false;
        }
        keys.push(v);
      });
      const vx = checker.check(row.value, Scope.root(), result);
      const value = constValueOf(vx);
      if (result && !assignable(result, vx.type)) {
        s.diagnostics.push(error('C0003', row.value.span, { expected: typeName(result), actual: typeName(vx.type) }));
        ok = false;
      } else if (value === undefined) {
        s.diagnostics.push(error('C0037', row.value.span, { name: d.name }));
        ok = false;
      }
      if (!ok) continue;
      const key = tableKey(keys);
      if (rows.has(key)) s.diagnostics.push(error('C0018', row.span, { name: d.name }));
      rows.set(key, value!);
    }
    s.tables.set(d.name, { name: d.name, formals, result: result ?? TYPES.error, rows, label: label(d.label), decl: d, span: d.span });
  }
}

/**
 * Whether a table or definition may be (re)declared: new names always; an inherited one only
 * with `override` (C0207 otherwise); `override` with nothing inherited is C0208; a second
 * declaration in the same policy is a duplicate.
 */
function replaces<T>(s: State, what: 'table' | 'define', d: A.TableDecl | A.DefineDecl, current: T | undefined, inherited: T | undefined): boolean {
  const isInherited = inherited !== undefined && current === inherited;
  if (d.override && !isInherited) {
    if (current !== undefined) duplicate(s, what, d.name, d.nameSpan);
    else s.diagnostics.push(error('C0208', d.nameSpan, { what, name: d.name }));
    return current === undefined;
  }
  if (isInherited) {
    if (!d.override) {
      s.diagnostics.push(error('C0207', d.nameSpan, { what, name: d.name }));
      return false;
    }
    s.overridden.add(d.name);
    return true;
  }
  if (current !== undefined) {
    duplicate(s, what, d.name, d.nameSpan);
    return false;
  }
  return true;
}

function defineCyclesPass(s: State): void {
  const own: A.DefineDecl[] = [];
  for (const d of s.decls) {
    if (d.kind !== 'define') continue;
    if (s.tables.has(d.name) && !s.defines.has(d.name)) {
      duplicate(s, 'define', d.name, d.nameSpan);
      continue;
    }
    if (!replaces(s, 'define', d, s.defines.get(d.name), s.input.base?.defines.get(d.name))) continue;
    s.defines.set(d.name, d);
    own.push(d);
  }
  // Depth-first search over "body mentions name" edges; report each cycle once, at its first member.
  const edges = new Map<string, string[]>();
  for (const d of s.defines.values()) edges.set(d.name, [...mentionedNames(d.body)].filter((n) => s.defines.has(n)));
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    state.set(name, 'active');
    stack.push(name);
    for (const next of edges.get(name) ?? []) {
      if (state.get(next) === 'active') {
        const cycle = stack.slice(stack.indexOf(next));
        for (const member of cycle) s.cyclicDefines.add(member);
        const at = s.defines.get(next)!;
        if (own.includes(at)) s.diagnostics.push(error('C0005', at.nameSpan, { cycle: [...cycle, next].join(' -> ') }));
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of edges.keys()) if (!state.has(name)) visit(name);
}

function mentionedNames(e: A.Expr): Set<string> {
  const out = new Set<string>();
  const stack: A.Expr[] = [e];
  while (stack.length) {
    const x = stack.pop()!;
    switch (x.kind) {
      case 'name': out.add(x.name); break;
      case 'call': out.add(x.callee); stack.push(...x.args); break;
      case 'field': stack.push(x.target); break;
      case 'set': stack.push(...x.items); break;
      case 'unary': stack.push(x.operand); break;
      case 'binary': stack.push(x.left, x.right); break;
      case 'paren': stack.push(x.inner); break;
      case 'aggregate': stack.push(x.source); if (x.where) stack.push(x.where); if (x.body) stack.push(x.body); break;
      case 'if': stack.push(x.condition, x.then, x.otherwise); break;
      default: break;
    }
  }
  return out;
}

function rulesPass(s: State): void {
  const checker = new ExprChecker(symbols(s), s.diagnostics);
  rulesOf(s, checker);
  unusedDefineUnits(s);
  const roots = s.rules.flatMap((r) => [r.where, r.condition, r.deadline, ...[...(r.explain?.zh ?? []), ...(r.explain?.en ?? [])].map((p) => ('expr' in p ? p.expr : undefined))]).filter((x): x is TExpr => x !== undefined);
  const folder = new ConstantFolder(s.diagnostics);
  for (const x of roots) folder.scan(x);
  let size = 0;
  for (const x of roots) size = Math.min(Number.MAX_SAFE_INTEGER, size + treeSize(x));
  for (const body of sharedBodies(roots)) size = Math.min(Number.MAX_SAFE_INTEGER, size + treeSize(body));
  const limit = s.input.maxCompiledSize ?? DEFAULT_MAX_COMPILED_SIZE;
  if (size > limit) {
    const at = s.header?.idSpan ?? s.rules.find((r) => r.decl)?.decl.idSpan;
    s.diagnostics.push(error('C0101', at, { size, limit }));
  }
}

/**
 * Unit errors in a definition are reported where a rule calls it; one that no rule calls yet would
 * hide them until the day it is used. Check every own definition with its formals as declared and
 * add the unit diagnostics (C0200-C0202) not already reported at the same place.
 */
function unusedDefineUnits(s: State): void {
  const seen = new Set(s.diagnostics.map((d) => `${d.code}@${d.span?.start}`));
  for (const d of s.decls) {
    if (d.kind !== 'define' || s.defines.get(d.name) !== d || s.cyclicDefines.has(d.name)) continue;
    const found: Diagnostic[] = [];
    const scope = Scope.root();
    const sy = symbols(s);
    if (!d.formals.every((f) => resolveTypeName(f.type, sy) !== undefined)) continue;
    d.formals.forEach((f) => scope.declare(f.name, resolveTypeName(f.type, sy)!));
    new ExprChecker(sy, found).check(d.body, scope);
    for (const diag of found) {
      if ((diag.code === 'C0200' || diag.code === 'C0201' || diag.code === 'C0202') && !seen.has(`${diag.code}@${diag.span?.start}`)) {
        seen.add(`${diag.code}@${diag.span?.start}`);
        s.diagnostics.push(diag);
      }
    }
  }
}

function rulesOf(s: State, checker: ExprChecker): void {
  const ids = new Set(s.rules.map((r) => r.id));
  const effective = s.header?.effectiveFrom?.value ?? s.input.base?.effectiveFrom;
  // An `override define` changes what inherited rules mean: check them again against this
  // policy's symbols (their own diagnostics were reported when the base was checked).
  if (s.overridden.size > 0) {
    const scratch: State = { ...s, diagnostics: [] };
    const again = new ExprChecker(symbols(scratch), scratch.diagnostics);
    for (let n = 0; n < s.rules.length; n++) {
      const r = s.rules[n];
      const info = checkRule(scratch, again, r.decl, effective);
      if (info) s.rules[n] = { ...info, declaredIn: r.declaredIn };
    }
  }
  for (const d of s.decls) {
    if (d.kind !== 'rule') continue;
    if (ids.has(d.id)) {
      duplicate(s, 'rule', d.id, d.idSpan);
      continue;
    }
    ids.add(d.id);
    const info = checkRule(s, checker, d, effective);
    if (info) s.rules.push(info);
  }
}

/** Checks one rule declaration. */
function checkRule(s: State, checker: ExprChecker, d: A.RuleDecl, effective: string | undefined): RuleInfo | undefined {
  const missing = (what: string) => s.diagnostics.push(error('C0035', d.idSpan, { rule: d.id, what }));
  if (!d.cite) missing('`cite`');
  else checkCite(s, d.cite, d.quote);
  if (!d.subjectKind || !d.variable) {
    missing('`for KIND x`');
    return undefined;
  }
  const kind = s.kinds.get(d.subjectKind);
  if (!kind) {
    s.diagnostics.push(error('C0013', d.subjectKindSpan!, { name: d.subjectKind }, didYouMean(d.subjectKind, s.kinds.keys())));
    return undefined;
  }
  const body = d.requirement ?? d.eligibleWhen ?? d.compute?.value;
  if (!body) {
    missing('`must`/`should`/`may`, `eligible when` or `compute`');
    return undefined;
  }
  if (d.requirement && d.eligibleWhen) s.diagnostics.push(error('C0036', d.idSpan, { rule: d.id }));
  if (d.compute && (d.requirement || d.eligibleWhen)) s.diagnostics.push(error('C0210', d.idSpan, { rule: d.id }));
  const isValue = !!d.compute && !d.requirement && !d.eligibleWhen;
  const scope = Scope.root();
  scope.declare(d.variable, { t: 'subject', kind: kind.name });
  const where = d.where ? checker.condition(d.where, scope) : undefined;
  let condition: TExpr;
  let value: RuleInfo['value'];
  if (isValue) ({ condition, value } = valueRule(s, checker, d, d.compute!, scope));
  else condition = checker.condition(body, scope);
  let deadline: TExpr | undefined;
  if (d.deadline) {
    if (isValue) s.diagnostics.push(error('C0213', d.deadline.span));
    else if (d.eligibleWhen) s.diagnostics.push(error('C0022', d.deadline.span));
    deadline = checker.check(d.deadline, scope);
    if (deadline.type.t !== 'date' && deadline.type.t !== 'error') {
      s.diagnostics.push(error('C0003', d.deadline.span, { expected: 'date', actual: typeName(deadline.type) }));
    } else {
      for (const due of constantDates(deadline, s)) {
        if (effective && d.modality === 'must' && due < effective) {
          s.diagnostics.push(error('C0009', d.deadline.span, { due, effective }));
        }
      }
    }
  }
  if (d.from && d.until && d.from.value > d.until.value) {
    s.diagnostics.push(error('C0033', d.until.span, { from: d.from.value, until: d.until.value }));
  }
  const explain = d.explain
    ? { zh: template(s, checker, d.explain.zh, scope), en: d.explain.en ? template(s, checker, d.explain.en, scope) : undefined }
    : undefined;
  return {
    id: d.id,
    title: label(d.title),
    cite: d.cite?.value ?? '',
    quote: d.quote?.value,
    modality: d.modality,
    type: isValue ? 'value' : d.eligibleWhen && !d.requirement ? 'entitlement' : 'obligation',
    ...(value ? { value } : {}),
    kind: kind.name,
    variable: d.variable,
    slots: scope.slots,
    where,
    condition,
    deadline,
    from: d.from?.value,
    until: d.until?.value,
    explain,
    decl: d,
    declaredIn: s.header?.id ?? '',
  };
}

/**
 * A value rule: its expression must be a number, percentage or date, in the declared unit,
 * and, when a step is declared, provably a whole multiple of it (else an explicit rounding).
 */
function valueRule(s: State, checker: ExprChecker, d: A.RuleDecl, c: A.ComputeClause, scope: Scope): { condition: TExpr; value: RuleInfo['value'] } {
  const x = checker.check(c.value, scope);
  const t = x.type;
  if (t.t !== 'error' && !isNumeric(t) && t.t !== 'date' && t.t !== 'none') {
    s.diagnostics.push(error('C0204', c.value.span, { rule: d.id, type: typeName(t) }));
  }
  const actual = unitOf(t);
  if (c.unit !== undefined && actual !== undefined && actual !== c.unit) {
    s.diagnostics.push(error('C0205', c.value.span, { rule: d.id, expected: c.unit, actual }));
  }
  if (c.unit !== undefined && t.t === 'date') s.diagnostics.push(error('C0211', c.unitSpan ?? c.span, { type: 'date', unit: c.unit }));
  let step: Num | undefined;
  if (c.step !== undefined) {
    const v = parseDecimal(c.step);
    if (v === undefined || compare(v, 0) <= 0) s.diagnostics.push(error('C0206', c.stepSpan ?? c.span, { text: c.step }));
    else {
      step = v;
      if (isNumeric(t) && !multipleOf(x, v, s)) s.diagnostics.push(error('C0203', c.value.span, { rule: d.id, step: c.step }));
    }
  }
  // A step that the checker proved (no C0203) already makes the value a terminating decimal.
  if (isNumeric(t) && (step === undefined || multipleOf(x, step, s))) {
    const at = nonTerminating(x);
    if (at) s.diagnostics.push(error('C0223', at.span, { rule: d.id }));
  }
  const unit = c.unit ?? actual;
  return { condition: x, value: { ...(unit !== undefined ? { unit } : {}), ...(step !== undefined ? { step, stepText: c.step } : {}) } };
}

/**
 * Whether every value `x` can take is a whole multiple of `step`, as far as the checker can
 * tell: whole numbers when the step divides 1, explicit roundings to a multiple of the step,
 * constants, parameters and table cells that are multiples, and sums, differences, whole
 * multiples, branches and aggregates of those. Anything else needs an explicit rounding.
 */
function multipleOf(x: TExpr, step: Num, s: State): boolean {
  const divides = (v: unknown): boolean => {
    if (!isNum(v)) return v === null;
    const q = qdiv(v, step);
    return q !== undefined && typeof q === 'number' && Number.isInteger(q);
  };
  if (x.type.t === 'integer' && divides(1)) return true;
  switch (x.op) {
    case 'const': return divides(x.value);
    case 'param': return (s.params.get(x.name)?.history ?? []).every((h) => divides(h.value));
    case 'table': return [...(s.tables.get(x.table)?.rows.values() ?? [])].every(divides);
    case 'neg': return multipleOf(x.operand, step, s);
    case 'if': return multipleOf(x.then, step, s) && multipleOf(x.otherwise, step, s);
    case 'binary':
      if (x.bop === '+' || x.bop === '-') return multipleOf(x.left, step, s) && multipleOf(x.right, step, s);
      if (x.bop === '*') {
        return (x.left.type.t === 'integer' && multipleOf(x.right, step, s)) || (x.right.type.t === 'integer' && multipleOf(x.left, step, s));
      }
      return false;
    case 'call':
      switch (x.fn) {
        case 'round': case 'round_half_even': case 'floor': case 'ceil': {
          const by = x.args[1];
          if (!by) return divides(1);
          if (by.op === 'param') return (s.params.get(by.name)?.history ?? []).every((h) => divides(h.value));
          return divides(constValueOf(by));
        }
        case 'abs': case 'min': case 'max': return x.args.every((a) => multipleOf(a, step, s));
        default: return false;
      }
    case 'aggregate':
      return (x.fn === 'sum' || x.fn === 'min' || x.fn === 'max') && !!x.body && multipleOf(x.body, step, s);
    // A shared definition body: its formals are variables typed as declared.
    case 'def': return multipleOf(x.body, step, s);
    default: return false;
  }
}

/** Whether a constant's reduced denominator has a prime factor other than 2 and 5 (1/3, 1:12). */
function repeats(v: unknown): boolean {
  if (!isNum(v) || typeof v === 'number') return false;
  let d = v.d;
  while (d % 2 === 0) d /= 2;
  while (d % 5 === 0) d /= 5;
  return d !== 1;
}

/**
 * The first division in a value rule's expression whose quotient may not be a terminating decimal
 * (by a non-constant, or by a constant such as 3 or 75%), a share, or a repeating constant (1:3),
 * outside an explicit rounding. Rounding at the top (or in every `if` arm) settles the value, so
 * the walk stops at round/round_half_even/floor/ceil; conditions are not values and are skipped.
 */
function nonTerminating(x: TExpr): TExpr | undefined {
  switch (x.op) {
    case 'const': return repeats(x.value) ? x : undefined;
    case 'neg': return nonTerminating(x.operand);
    case 'if': return nonTerminating(x.then) ?? nonTerminating(x.otherwise);
    case 'def': return nonTerminating(x.body);
    case 'binary': {
      if (!isNumeric(x.type)) return undefined;
      if (x.bop === '/') {
        const by = constValueOf(x.right);
        const reciprocal = isNum(by) ? qdiv(1, by) : undefined;
        if (reciprocal === undefined || repeats(reciprocal)) return x;
      }
      return nonTerminating(x.left) ?? nonTerminating(x.right);
    }
    case 'call':
      switch (x.fn) {
        case 'round': case 'round_half_even': case 'floor': case 'ceil': return undefined;
        case 'abs': case 'min': case 'max': {
          for (const a of x.args) {
            const at = nonTerminating(a);
            if (at) return at;
          }
          return undefined;
        }
        default: return undefined;
      }
    case 'aggregate':
      if (x.fn === 'share') return x;
      return (x.fn === 'sum' || x.fn === 'min' || x.fn === 'max') && x.body ? nonTerminating(x.body) : undefined;
    default: return undefined;
  }
}

function uncheckablePass(s: State): void {
  for (const d of s.decls) {
    if (d.kind !== 'uncheckable') continue;
    checkCite(s, d.cite, d.quote);
    s.uncheckable.push({ cite: d.cite.value, quote: d.quote?.value, reason: { zh: d.reason.zh, en: d.reason.en }, span: d.span });
  }
}

/** The dates a deadline can take: a literal, or every version of a date parameter. */
function constantDates(x: TExpr, s: State): string[] {
  if (x.op === 'const' && typeof x.value === 'string' && isValidDate(x.value)) return [x.value];
  if (x.op === 'param') {
    return (s.params.get(x.name)?.history ?? []).map((h) => h.value).filter((v): v is string => typeof v === 'string');
  }
  return [];
}

function checkCite(s: State, cite: A.StringLit, quote: A.StringLit | undefined): void {
  const doc = s.source ?? s.input.base?.source;
  if (!doc) return;
  if (!doc.cites.has(cite.value)) {
    s.diagnostics.push(error('C0006', cite.span, { cite: cite.value }, didYouMean(cite.value, doc.cites)));
    return;
  }
  if (!quote) return;
  const found = locateQuote(doc, quote.value);
  if (found.length === 0) {
    s.diagnostics.push(error('C0007', quote.span, {}));
  } else if (!found.some((p) => citeCovers(cite.value, p.cite))) {
    s.diagnostics.push(warning('C0019', quote.span, { found: found[0].cite || '—', cite: cite.value }));
  }
}

/** Splits `社会工作岗位 {i.posts.social_work} 个` into text and checked expressions; `{{` is a literal brace. */
function template(s: State, checker: ExprChecker, lit: A.StringLit, scope: Scope): TemplatePart[] {
  const parts: TemplatePart[] = [];
  const text = lit.value;
  let i = 0;
  let buf = '';
  while (i < text.length) {
    const ch = text[i];
    if (ch === '{' && text[i + 1] === '{') {
      buf += '{';
      i += 2;
      continue;
    }
    if (ch === '}' && text[i + 1] === '}') {
      buf += '}';
      i += 2;
      continue;
    }
    if (ch !== '{') {
      buf += ch;
      i++;
      continue;
    }
    const close = text.indexOf('}', i + 1);
    const at = lit.span.start + 1 + i;
    if (close < 0) {
      s.diagnostics.push(error('C0023', { file: lit.span.file, start: at, end: at + 1 }, { detail: 'missing `}`' }));
      break;
    }
    const source = text.slice(i + 1, close);
    const parsed = parseExpression(source, lit.span.file, at + 1);
    s.diagnostics.push(...parsed.diagnostics);
    if (buf) parts.push({ text: buf });
    buf = '';
    if (parsed.value) parts.push({ expr: checker.check(parsed.value, scope), source });
    i = close + 1;
  }
  if (buf) parts.push({ text: buf });
  return parts;
}
