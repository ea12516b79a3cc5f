/**
 * Where every name of a policy is declared and used, read from the parsed files (not from the
 * checked policy, so navigation keeps working while the buffer has type errors). One index per
 * policy version covers its own files and those of the policies it extends, so a supplement's
 * `param school_ratio = …` leads to the declaration in the base and a rename reaches both.
 *
 * Names resolve the way the checker resolves them: a local (rule variable, aggregate variable,
 * definition formal) first, then the policy's parameters, sets, definitions and enum members;
 * a call names a table or a definition; `x.field` is resolved through the kind of `x`.
 * Pure (no file system, no DOM): the language server and the browser workbench both use it.
 */
import type * as A from '../model/ast.js';
import type { Span } from '../model/span.js';

/** What a name declares. */
export type SymbolKind =
  | 'policy' | 'param' | 'set' | 'table' | 'define' | 'enum' | 'member' | 'kind' | 'field' | 'relation' | 'rule' | 'variable';

/** A declaration. `id` is unique in the workspace: the file and offset of the declaring name. */
export interface SymbolDef {
  readonly id: string;
  readonly kind: SymbolKind;
  readonly name: string;
  /** The declared name itself (what a rename rewrites). */
  readonly nameSpan: Span;
  /** The whole declaration. */
  readonly span: Span;
  /** The enum of a member, the kind of a field or relation. */
  readonly container?: string;
}

/** One occurrence of a name: its declaration or a use. */
export interface Occurrence {
  /** The id of the declaration it resolves to. */
  readonly target: string;
  readonly span: Span;
  readonly isDeclaration: boolean;
}

/** The index of one policy version (its files and its bases' files). */
export interface SymbolIndex {
  readonly defs: ReadonlyMap<string, SymbolDef>;
  /** Every occurrence, grouped by file, sorted by offset. */
  readonly occurrences: ReadonlyMap<string, readonly Occurrence[]>;
  /** Global declarations by name and kind (`param:x`), as the checker sees them. */
  readonly globals: ReadonlyMap<string, SymbolDef>;
}

/** The id of a declaration at a span. */
export function defId(s: Span): string {
  return `${s.file}:${s.start}`;
}

/** Rule properties walked by name, or holding no expression; any other clause is walked generically. */
const RULE_CLAUSES_WALKED: ReadonlySet<string> = new Set(['where', 'requirement', 'eligibleWhen', 'deadline', 'cite', 'quote', 'title', 'explain', 'from', 'until', 'id', 'kind', 'subjectKind', 'variable', 'modality']);

/** A kind's field or relation and the kind (or record) it leads to. */
interface Member {
  readonly def: SymbolDef;
  /** The kind reached: a subject reference, a relation's target. */
  readonly kind?: string;
  /** Whether the member is a record holding nested fields. */
  readonly record: boolean;
}

interface KindShape {
  readonly def: SymbolDef;
  readonly members: Map<string, Member>;
}

/** A value's shape as far as navigation needs it: a kind and a record prefix within it. */
interface Shape {
  readonly kind: string;
  readonly prefix: string;
}

/**
 * Builds the index of a policy from its files, base files first (`chain` in order from the
 * outermost base to the policy itself); a later declaration of a parameter without a type is an
 * override, an occurrence of the base's parameter.
 */
export function indexPolicy(chain: readonly (readonly A.SourceFileAst[])[]): SymbolIndex {
  const defs = new Map<string, SymbolDef>();
  const globals = new Map<string, SymbolDef>();
  const kinds = new Map<string, KindShape>();
  const occurrences = new Map<string, Occurrence[]>();
  const membersByName = new Map<string, SymbolDef>();
  const add = (target: string, span: Span, isDeclaration: boolean) => {
    let list = occurrences.get(span.file);
    if (!list) occurrences.set(span.file, (list = []));
    list.push({ target, span, isDeclaration });
  };
  const declare = (kind: SymbolKind, name: string, nameSpan: Span, span: Span, container?: string, global = true): SymbolDef => {
    const def: SymbolDef = { id: defId(nameSpan), kind, name, nameSpan, span, container };
    defs.set(def.id, def);
    add(def.id, nameSpan, true);
    const key = kind === 'member' || kind === 'field' || kind === 'relation' ? `${kind}:${container}.${name}` : `${kind}:${name}`;
    if (global && !globals.has(key)) globals.set(key, def);
    if (kind === 'member' && !membersByName.has(name)) membersByName.set(name, def);
    return def;
  };

  // First every declaration (a rule may use a parameter declared in a later file).
  for (const files of chain) {
    for (const file of files) {
      for (const d of file.decls) {
        switch (d.kind) {
          case 'policy':
            declare('policy', d.id, d.idSpan, d.span);
            break;
          case 'enum':
            declare('enum', d.name, d.nameSpan, d.span);
            for (const m of d.members) declare('member', m.name, nameAt(m.span, m.name), m.span, d.name);
            break;
          case 'kind': {
            const def = declare('kind', d.name, d.nameSpan, d.span);
            const shape: KindShape = kinds.get(d.name) ?? { def, members: new Map() };
            kinds.set(d.name, shape);
            for (const m of d.members) {
              if (m.kind === 'field') {
                const f = declare('field', m.name, m.nameSpan, m.span, d.name);
                shape.members.set(m.name, { def: f, kind: m.type.list ? undefined : m.type.name, record: m.type.name === 'record' });
              } else {
                const r = declare('relation', m.name, m.nameSpan, m.span, d.name);
                shape.members.set(m.name, { def: r, kind: m.target, record: false });
              }
            }
            break;
          }
          case 'param': {
            const base = globals.get(`param:${d.name}`);
            if (base && !d.type) add(base.id, d.nameSpan, false);
            else declare('param', d.name, d.nameSpan, d.span);
            break;
          }
          case 'setdecl':
            declare('set', d.name, d.nameSpan, d.span);
            break;
          case 'table':
          case 'define': {
            // `override table|define x` in an extending policy replaces the base's x: one name.
            const base = globals.get(`${d.kind}:${d.name}`);
            if (base && (d as { override?: boolean }).override) add(base.id, d.nameSpan, false);
            else declare(d.kind, d.name, d.nameSpan, d.span);
            break;
          }
          case 'rule':
            declare('rule', d.id, d.idSpan, d.span);
            break;
          case 'uncheckable':
            break;
        }
      }
    }
  }

  const globalOf = (name: string, call: boolean): SymbolDef | undefined => {
    if (call) return globals.get(`table:${name}`) ?? globals.get(`define:${name}`);
    for (const k of ['param', 'set', 'define'] as const) {
      const g = globals.get(`${k}:${name}`);
      if (g) return g;
    }
    return membersByName.get(name);
  };
  const typeRef = (t: A.TypeRef | undefined) => {
    if (!t) return;
    const g = globals.get(`enum:${t.name}`) ?? globals.get(`kind:${t.name}`);
    if (g) add(g.id, nameAt(t.span, t.name, true), false);
  };

  type Env = ReadonlyMap<string, { def: SymbolDef; shape?: Shape }>;
  const member = (shape: Shape, field: string): Member | undefined => {
    const k = kinds.get(shape.kind);
    return k?.members.get(shape.prefix ? `${shape.prefix}.${field}` : field);
  };
  const shapeOf = (e: A.Expr, env: Env): Shape | undefined => {
    switch (e.kind) {
      case 'name':
        return env.get(e.name)?.shape;
      case 'paren':
        return shapeOf(e.inner, env);
      case 'field': {
        const t = shapeOf(e.target, env);
        if (!t) return undefined;
        const m = member(t, e.field);
        if (m?.kind && kinds.has(m.kind)) return { kind: m.kind, prefix: '' };
        const path = t.prefix ? `${t.prefix}.${e.field}` : e.field;
        const k = kinds.get(t.kind);
        if (m?.record || [...(k?.members.keys() ?? [])].some((p) => p.startsWith(`${path}.`))) return { kind: t.kind, prefix: path };
        return undefined;
      }
      default:
        return undefined;
    }
  };
  const local = (name: string, nameSpan: Span, whole: Span, kindName: string | undefined): { def: SymbolDef; shape?: Shape } => {
    const def = declare('variable', name, nameSpan, whole, undefined, false);
    return { def, shape: kindName && kinds.has(kindName) ? { kind: kindName, prefix: '' } : undefined };
  };
  const expr = (e: A.Expr | undefined, env: Env): void => {
    if (!e) return;
    switch (e.kind) {
      case 'name': {
        const l = env.get(e.name);
        const g = l?.def ?? globalOf(e.name, false);
        if (g) add(g.id, e.span, false);
        return;
      }
      case 'field': {
        expr(e.target, env);
        const t = shapeOf(e.target, env);
        const m = t && member(t, e.field);
        if (m) add(m.def.id, e.fieldSpan, false);
        return;
      }
      case 'call': {
        const g = globalOf(e.callee, true);
        if (g) add(g.id, e.calleeSpan, false);
        for (const a of e.args) expr(a, env);
        return;
      }
      case 'set':
        for (const i of e.items) expr(i, env);
        return;
      case 'unary':
        expr(e.operand, env);
        return;
      case 'binary':
        expr(e.left, env);
        expr(e.right, env);
        return;
      case 'paren':
        expr(e.inner, env);
        return;
      case 'if':
        expr(e.condition, env);
        expr(e.then, env);
        expr(e.otherwise, env);
        return;
      case 'aggregate': {
        expr(e.source, env);
        const src = shapeOf(e.source, env);
        const inner = new Map(env);
        inner.set(e.variable, local(e.variable, e.variableSpan, e.span, src?.kind));
        expr(e.where, inner);
        expr(e.body, inner);
        return;
      }
      case 'number': case 'percent': case 'ratio': case 'date': case 'duration': case 'string': case 'bool': case 'none': case 'today':
        return;
      default:
        // Syntax added after this index was written: its sub-expressions still count.
        nested(e, env, new Set());
    }
  };
  /** Walks the expressions held anywhere inside `node` (a clause this index does not name). */
  const nested = (node: object, env: Env, skip: ReadonlySet<string>) => {
    for (const [k, v] of Object.entries(node)) {
      if (skip.has(k) || k === 'span' || k.endsWith('Span') || v === null || typeof v !== 'object') continue;
      for (const item of Array.isArray(v) ? v : [v]) {
        if (item === null || typeof item !== 'object') continue;
        if (typeof (item as { kind?: unknown }).kind === 'string' && 'span' in item) expr(item as A.Expr, env);
        else nested(item as object, env, new Set());
      }
    }
  };

  const none: Env = new Map();
  for (const files of chain) {
    for (const file of files) {
      for (const d of file.decls) {
        switch (d.kind) {
          case 'kind':
            for (const m of d.members) {
              if (m.kind === 'field') typeRef(m.type);
              else {
                const target = globals.get(`kind:${m.target}`);
                if (target) add(target.id, m.targetSpan, false);
                const via = kinds.get(m.target)?.members.get(m.via);
                if (via) add(via.def.id, m.viaSpan, false);
              }
            }
            break;
          case 'param':
            typeRef(d.type);
            for (const v of d.history) expr(v.value, none);
            break;
          case 'setdecl':
            typeRef(d.type);
            for (const i of d.items) expr(i, none);
            break;
          case 'table':
            for (const f of d.formals) typeRef(f.type);
            typeRef(d.result);
            for (const r of d.rows) {
              for (const k of r.keys) expr(k, none);
              expr(r.value, none);
            }
            break;
          case 'define': {
            const env = new Map<string, { def: SymbolDef; shape?: Shape }>();
            for (const f of d.formals) {
              typeRef(f.type);
              env.set(f.name, local(f.name, nameAt(f.span, f.name), d.span, f.type.name));
            }
            expr(d.body, env);
            break;
          }
          case 'rule': {
            const env = new Map<string, { def: SymbolDef; shape?: Shape }>();
            if (d.subjectKind && d.subjectKindSpan) {
              const k = globals.get(`kind:${d.subjectKind}`);
              if (k) add(k.id, d.subjectKindSpan, false);
            }
            if (d.variable && d.variableSpan) env.set(d.variable, local(d.variable, d.variableSpan, d.span, d.subjectKind));
            for (const e of [d.where, d.requirement, d.eligibleWhen, d.deadline]) expr(e, env);
            nested(d, env, RULE_CLAUSES_WALKED);
            break;
          }
          case 'policy': case 'enum': case 'uncheckable':
            break;
        }
      }
    }
  }
  for (const list of occurrences.values()) list.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return { defs, occurrences, globals };
}

/**
 * The span of `name` inside a node's span: at its start (a member, a formal), or at its end
 * for a type reference (`list T`).
 */
function nameAt(s: Span, name: string, atEnd = false): Span {
  return atEnd ? { file: s.file, start: Math.max(s.start, s.end - name.length), end: s.end } : { file: s.file, start: s.start, end: Math.min(s.end, s.start + name.length) };
}

/** The occurrence under `offset` of `file` (the innermost when spans nest). */
export function occurrenceAt(index: SymbolIndex, file: string, offset: number): Occurrence | undefined {
  let found: Occurrence | undefined;
  for (const o of index.occurrences.get(file) ?? []) {
    if (o.span.start > offset) break;
    if (offset <= o.span.end && (!found || o.span.end - o.span.start <= found.span.end - found.span.start)) found = o;
  }
  return found;
}

/** Every occurrence of the declaration `id`, declaration included. */
export function occurrencesOf(index: SymbolIndex, id: string): Occurrence[] {
  const out: Occurrence[] = [];
  for (const list of index.occurrences.values()) for (const o of list) if (o.target === id) out.push(o);
  return out;
}
