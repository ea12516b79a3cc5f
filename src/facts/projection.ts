/**
 * The facts a compiled policy reads: per kind, the declared fields some rule, `where`, deadline
 * or explanation reads, and the relations it follows. The in-process engine converts and keeps
 * only these (a projection); every other field is checked for being well-formed JSON only, not
 * converted, not validated, not kept. A province's facts carry about 1.4 KB per subject, most of
 * it fields no rule reads (names, notes, lists of tasks), which a full load validates and holds.
 *
 * Chosen behaviour (docs/performance.md "Projection"): a bad value in a field no rule reads is
 * not reported, and a reference no rule follows is not resolved (no F0007 for it); ids are
 * always checked (F0010, F0006, F0020) for the kinds the policy decides or reads.
 */
import type { KindInfo, Policy, TExpr, Type } from '../model/types.js';

/** What a policy reads of its facts. */
export interface Projection {
  /** Declared field paths read, per kind (a group's path when the group itself is tested, `has(r.sw_station)`). */
  readonly fields: ReadonlyMap<string, ReadonlySet<string>>;
  /** Kinds whose subjects must be built: decided by a rule, or read through a reference or a relation. */
  readonly kinds: ReadonlySet<string>;
  /**
   * Kinds whose subjects must be kept once built: referenced through a read field, or the owner
   * or target of a relation some rule follows. Subjects of other kinds can be decided and dropped.
   */
  readonly held: ReadonlySet<string>;
  /** Kinds involved in a relation some rule follows (owners and targets). */
  readonly relationKinds: ReadonlySet<string>;
  /** Kinds some rule of which follows a relation (directly or through a reference): decided once every {@link relationKinds} list is complete. */
  readonly deferred: ReadonlySet<string>;
}

function subjectKind(t: Type): string | undefined {
  if (t.t === 'subject') return t.kind;
  if (t.t === 'list') return subjectKind(t.of);
  return undefined;
}

/** Whether field `path` of a kind is read under `read` (itself, a field inside it, or a group holding it). */
export function isRead(read: ReadonlySet<string> | undefined, path: string): boolean {
  if (!read) return false;
  if (read.has(path)) return true;
  for (const p of read) if (p.startsWith(`${path}.`) || path.startsWith(`${p}.`)) return true;
  return false;
}

/** Options of {@link factsProjection}. */
export interface ProjectionOptions {
  /**
   * Also what reports show of each subject (`subject-info.ts`): its name, and the references up
   * to its region (with the region's name, level and parent), so they can group by prefecture and county.
   */
  readonly subjects?: boolean;
}

/** The projection of `policy`'s facts (see the module comment). */
export function factsProjection(policy: Policy, options: ProjectionOptions = {}): Projection {
  const fields = new Map<string, Set<string>>();
  const kinds = new Set<string>();
  const held = new Set<string>();
  const relationKinds = new Set<string>();
  const read = (kind: string, path: string): void => {
    let s = fields.get(kind);
    if (!s) fields.set(kind, (s = new Set()));
    s.add(path);
    kinds.add(kind);
  };
  const bodies = new Map<TExpr, boolean>();
  // Walks an expression; true when it follows a relation (so its rule must wait for the relation's lists).
  const walk = (x: TExpr | undefined): boolean => {
    if (!x) return false;
    switch (x.op) {
      case 'field': {
        const owner = subjectKind(x.target.type);
        if (owner) read(owner, x.path);
        const target = subjectKind(x.type);
        if (target) {
          kinds.add(target);
          held.add(target);
        }
        return walk(x.target);
      }
      case 'relation': {
        const owner = subjectKind(x.target.type);
        if (owner) {
          kinds.add(owner);
          held.add(owner);
          relationKinds.add(owner);
        }
        const target = x.relation.target;
        kinds.add(target);
        held.add(target);
        relationKinds.add(target);
        // The inverse relation is built from the targets' `via` field.
        read(target, x.relation.via);
        walk(x.target);
        return true;
      }
      case 'def': {
        let follows = false;
        for (const a of x.args) follows = walk(a) || follows;
        let body = bodies.get(x.body);
        if (body === undefined) {
          bodies.set(x.body, false);
          body = walk(x.body);
          bodies.set(x.body, body);
        }
        return follows || body;
      }
      case 'call':
      case 'table':
        return x.args.map(walk).some(Boolean);
      case 'set':
        return x.items.map(walk).some(Boolean);
      case 'not':
      case 'neg':
        return walk(x.operand);
      case 'binary':
        return [walk(x.left), walk(x.right)].some(Boolean);
      case 'aggregate':
        return [walk(x.source), walk(x.where), walk(x.body)].some(Boolean);
      case 'if':
        return [walk(x.condition), walk(x.then), walk(x.otherwise)].some(Boolean);
      default:
        return false;
    }
  };
  const deferred = new Set<string>();
  for (const rule of policy.rules) {
    kinds.add(rule.kind);
    let follows = false;
    for (const x of [rule.where, rule.condition, rule.deadline]) follows = walk(x) || follows;
    for (const parts of [rule.explain?.zh, rule.explain?.en]) for (const p of parts ?? []) if ('expr' in p) follows = walk(p.expr) || follows;
    if (follows) deferred.add(rule.kind);
  }
  if (options.subjects) {
    // Names, and every reference up to the region (a kind referring to itself), to a fixpoint.
    const todo = [...kinds];
    const seen = new Set(todo);
    while (todo.length > 0) {
      const kind = policy.kinds.get(todo.pop()!);
      if (!kind) continue;
      for (const f of kind.fields.values()) {
        const target = f.type.t === 'subject' ? f.type.kind : undefined;
        if (f.path === 'name' || f.path === 'level' || target) read(kind.name, f.path);
        if (target) {
          held.add(target);
          if (!seen.has(target)) {
            seen.add(target);
            todo.push(target);
          }
        }
      }
    }
  }
  return { fields, kinds, held, relationKinds, deferred };
}

/** The declared fields of `kind` that {@link factsProjection} keeps (for messages and tests). */
export function projectedFields(projection: Projection, kind: KindInfo): string[] {
  const read = projection.fields.get(kind.name);
  return [...kind.fields.keys()].filter((p) => isRead(read, p));
}
