/**
 * What SQL-side ingestion checks, whatever the source: the declared shape of each kind (groups and
 * leaf fields), and the checks that span subjects (duplicate ids, references, reference chains),
 * run on the filled fact tables.
 *
 * SQL-side ingestion never reports a facts problem itself. Its checks are at least as strict as the
 * JS validator (src/facts/facts.ts): when one fails, or a value is in a form the validator accepts
 * but these checks do not know (an integer written `3.0`, a percent written `"70%"`), ingestion
 * gives up and the caller loads the facts with the shared JS loader, which names every problem
 * with its F-code and place. So bad facts give the same diagnostics under both engines by
 * construction, and good facts never become JavaScript objects.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { FieldInfo, KindInfo, Policy, Type } from '../model/types.js';
import { sqlIdent, sqlString } from './dialects.js';

/** Characters the validator refuses in ids (as `ID_CONTROL` in src/facts/facts.ts), as an RE2 class. */
export const ID_CONTROL_RE = '[\\x{0}-\\x{1f}\\x{7f}-\\x{9f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]';
/** Characters the validator refuses in other text (`TEXT_CONTROL`): tab and line breaks allowed. */
export const TEXT_CONTROL_RE = '[\\x{0}-\\x{8}\\x{b}\\x{c}\\x{e}-\\x{1f}\\x{7f}-\\x{9f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]';
/** Largest integer the validator accepts (2^53 - 1). */
export const SAFE_INTEGER = '9007199254740991';

/**
 * What ingestion reads and checks (the in-process engine's projection, `src/facts/projection.ts`):
 * the kinds whose subjects are built and, per kind, the declared fields read. Absent: everything.
 * Checking more than the JS loader is always safe (a refusal only sends the facts to it).
 */
export interface IngestScope {
  readonly kinds?: ReadonlySet<string>;
  readonly fields?: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Whether subjects of `kind` are built (ids checked, table filled). */
export function kindBuilt(scope: IngestScope, kind: string): boolean {
  return !scope.kinds || scope.kinds.has(kind);
}

/** Whether field `path` of `kind` is read: itself, a field inside it, or a group holding it. */
export function fieldRead(scope: IngestScope, kind: string, path: string): boolean {
  if (!scope.fields) return true;
  const read = scope.fields.get(kind);
  if (!read) return false;
  if (read.has(path)) return true;
  for (const p of read) if (p.startsWith(`${path}.`) || path.startsWith(`${p}.`)) return true;
  return false;
}

/** A group of fields under one prefix (`posts` for `posts.total`); `record` when declared as one. */
export interface ShapeGroup {
  readonly path: string;
  readonly children: readonly string[];
  readonly record?: FieldInfo;
}

/** A kind's declared shape: its groups (outermost first) and its leaf fields. */
export interface KindShape {
  readonly kind: KindInfo;
  /** Names allowed at the top of a subject (`id` and `kind` included). */
  readonly top: readonly string[];
  readonly groups: readonly ShapeGroup[];
  readonly leaves: readonly FieldInfo[];
}

/** The shape of a kind's declared fields, as `shapeOf` in src/facts/facts.ts builds it. */
export function kindShape(kind: KindInfo): KindShape {
  const children = new Map<string, Set<string>>([['', new Set(['id', 'kind'])]]);
  const add = (prefix: string, name: string) => {
    let set = children.get(prefix);
    if (!set) children.set(prefix, (set = new Set()));
    set.add(name);
  };
  const leaves: FieldInfo[] = [];
  for (const f of kind.fields.values()) {
    const segs = f.path.split('.');
    for (let i = 0; i < segs.length; i++) add(segs.slice(0, i).join('.'), segs[i]);
    if (f.isRecord) {
      if (!children.has(f.path)) children.set(f.path, new Set());
    } else {
      leaves.push(f);
    }
  }
  const groups: ShapeGroup[] = [];
  for (const [path, names] of children) {
    if (path === '') continue;
    const record = kind.fields.get(path);
    groups.push({ path, children: [...names], ...(record?.isRecord ? { record } : {}) });
  }
  groups.sort((a, b) => a.path.split('.').length - b.path.split('.').length);
  return { kind, top: [...children.get('')!], groups, leaves };
}

/** The enclosing groups of a path (`a`, `a.b` for `a.b.c`). */
export function prefixesOf(path: string): string[] {
  const segs = path.split('.');
  return segs.slice(1).map((_, i) => segs.slice(0, i + 1).join('.'));
}

/** Whether a field of this type can be held by the fast path at all (other types must be absent or null). */
export function typeHeld(t: Type): boolean {
  switch (t.t) {
    case 'integer': case 'number': case 'percent': case 'ratio': case 'date': case 'boolean': case 'string': case 'enum': case 'subject':
      return true;
    case 'list':
      return t.of.t !== 'list' && t.of.t !== 'subject' && t.of.t !== 'group' && t.of.t !== 'set' && typeHeld(t.of);
    default:
      return false;
  }
}

/** An SQL list literal of texts. */
export function textList(items: Iterable<string>): string {
  const list = [...items].map(sqlString);
  return list.length ? `[${list.join(', ')}]` : 'CAST([] AS VARCHAR[])';
}

/** The enum members of a type, for a membership test. */
export function enumMembers(policy: Policy, t: Type): readonly string[] | undefined {
  return t.t === 'enum' ? [...(policy.enums.get(t.name)?.members.keys() ?? [])] : undefined;
}

async function scalar(connection: DuckDBConnection, sql: string): Promise<unknown> {
  const rows = (await connection.runAndReadAll(sql)).getRows();
  return rows[0]?.[0];
}

/**
 * The checks that span subjects, on the filled fact tables (every declared field, `_ord`, `id`):
 * no id twice in a kind (F0006), every reference names a subject (F0007), and chains of a kind's
 * references to its own kind end within `maxChain` without a cycle (F0008, F0021). Returns why
 * not, or undefined when they hold.
 */
export async function crossChecks(connection: DuckDBConnection, policy: Policy, maxChain: number, scope: IngestScope = {}): Promise<string | undefined> {
  for (const kind of policy.kinds.values()) {
    if (!kindBuilt(scope, kind.name)) continue;
    const t = sqlIdent(kind.listKey);
    if (Number(await scalar(connection, `SELECT count(*) - count(DISTINCT id) FROM ${t}`)) !== 0) return `a repeated id in ${kind.listKey}`;
    for (const f of kind.fields.values()) {
      if (f.type.t !== 'subject' || !fieldRead(scope, kind.name, f.path)) continue;
      const target = [...policy.kinds.values()].find((k) => k.name === (f.type as { kind: string }).kind);
      if (!target) return `no kind ${f.type.kind}`;
      const c = sqlIdent(f.path);
      const dangling = await scalar(connection, `SELECT count(*) FROM ${t} s WHERE s.${c} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${sqlIdent(target.listKey)} x WHERE x.id = s.${c})`);
      if (Number(dangling) !== 0) return `a reference in ${kind.listKey}.${f.path} names no subject`;
      if (target !== kind || f.path.includes('.')) continue;
      // Depth from the top of each chain down; a subject never reached is on or below a cycle.
      const chains = await connection.runAndReadAll(`WITH RECURSIVE d(id, depth) AS (
  SELECT id, 1 FROM ${t} WHERE ${c} IS NULL
  UNION ALL
  SELECT s.id, d.depth + 1 FROM ${t} s JOIN d ON s.${c} = d.id WHERE d.depth <= ${maxChain}
) SELECT count(*), coalesce(max(depth), 0), (SELECT count(*) FROM ${t}) FROM d`);
      const [reached, deepest, all] = chains.getRows()[0].map(Number);
      if (reached !== all || deepest > maxChain) return `a cycle or a chain deeper than ${maxChain} in ${kind.listKey}.${f.path}`;
    }
  }
  return undefined;
}
