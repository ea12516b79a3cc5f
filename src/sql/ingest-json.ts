/**
 * SQL-side ingestion of a facts JSON file (`{"regions": [...], "institutions": [...]}`): the file is
 * split into one NDJSON file per list (src/sql/ingest-split.ts), which DuckDB reads in parallel;
 * each subject is taken apart in one pass (its keys, and the type and text of every declared path
 * at once: `json_type` and `json_extract_string` with a list of paths parse a subject once each,
 * not once per field), its values checked in SQL, and the fact tables filled. No subject becomes
 * a JavaScript object.
 *
 * See src/sql/ingest-shape.ts for what happens when a check fails: the caller loads the facts
 * with the shared JS loader instead, which reports them.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { KindInfo, Policy, Type } from '../model/types.js';
import { DEFAULT_FACTS_LIMITS, maxFactsFileSize, type FactsLimits } from '../facts/facts.js';
import type { LKind, LType } from '../lower/lowered.js';
import { DIALECTS, sqlIdent, sqlString } from './dialects.js';
import { factTablesDdl } from './print-sql.js';
import { splitJsonLists } from './ingest-split.js';
import { crossChecks, enumMembers, fieldRead, ID_CONTROL_RE, kindBuilt, kindShape, prefixesOf, SAFE_INTEGER, TEXT_CONTROL_RE, textList, typeHeld, type IngestScope } from './ingest-shape.js';

/** What an ingestion gives: the fact tables are filled, or why the JS loader must read the facts. */
export type Ingested = { readonly ok: true; readonly subjects: number } | { readonly ok: false; readonly why: string };

/** The message of the error that stops an insert at a subject the checks refuse. */
const REFUSED = 'clausal-ingest: refused';

/** `json_extract` path of a dotted facts path. */
function jsonPath(path: string): string {
  return `$${path.split('.').map((s) => `."${s}"`).join('')}`;
}

/** A JSON value as the checks read it: its `json_type`, its text (`json_extract_string`), and itself as JSON. */
interface Slot { readonly type: string; readonly text: string; readonly json: string }

/** Whether a JSON value (not null) is a valid value of type `t` in the canonical form the fast path reads. */
function valueOk(policy: Policy, t: Type, x: Slot): string {
  const { type: ty, text: s } = x;
  const safeInt = `(${ty} IN ('BIGINT', 'UBIGINT') AND TRY_CAST(${s} AS HUGEINT) BETWEEN -${SAFE_INTEGER} AND ${SAFE_INTEGER})`;
  switch (t.t) {
    case 'integer': return safeInt;
    case 'number': case 'percent': case 'ratio':
      // A decimal that DECIMAL(38,10) holds exactly, written as JavaScript writes the same double.
      return `(${safeInt} OR (${ty} = 'DOUBLE' AND regexp_full_match(${s}, '-?[0-9]{1,20}\\.[0-9]{1,10}')))`;
    case 'date': return `(${ty} = 'VARCHAR' AND regexp_full_match(${s}, '[0-9]{4}-[0-9]{2}-[0-9]{2}') AND TRY_CAST(${s} AS DATE) IS NOT NULL)`;
    case 'boolean': return `(${ty} = 'BOOLEAN')`;
    case 'string': return `(${ty} = 'VARCHAR' AND NOT regexp_matches(${s}, '${TEXT_CONTROL_RE}'))`;
    case 'enum': return `(${ty} = 'VARCHAR' AND list_contains(${textList(enumMembers(policy, t)!)}, ${s}))`;
    case 'subject': return `(${ty} = 'VARCHAR')`;
    case 'list': {
      const e: Slot = { type: 'json_type(e)', text: "(e ->> '$')", json: 'e' };
      return `(${ty} = 'ARRAY' AND coalesce(list_bool_and(list_transform(CAST(${x.json} AS JSON[]), lambda e: e IS NOT NULL AND json_type(e) <> 'NULL' AND ${valueOk(policy, t.of, e)})), TRUE))`;
    }
    default: return 'FALSE';
  }
}

/** A JSON value (valid, not null) as its fact-table column's type. */
function converted(type: LType, x: Slot): string {
  switch (type) {
    case 'int': return `CAST(${x.text} AS BIGINT)`;
    case 'decimal': return `CAST(${x.text} AS DECIMAL(38,10))`;
    case 'text': case 'date': return x.text;
    case 'bool': return `(${x.text} = 'true')`;
    case 'record': return 'TRUE';
    case 'list': return `list_transform(CAST(${x.json} AS JSON[]), lambda e: e ->> '$')`;
  }
}

/**
 * Fills one fact table per kind (every declared column, as `factTablesDdl` prints them) from the
 * JSON file at `path`, after checking it in SQL; `ok: false` (nothing reported) when the JS loader
 * must read it instead.
 */
export async function ingestJson(connection: DuckDBConnection, policy: Policy, kinds: readonly LKind[], path: string, limits: FactsLimits = DEFAULT_FACTS_LIMITS, scope: IngestScope = {}, tempDir?: string): Promise<Ingested> {
  if (statSync(path).size > maxFactsFileSize(limits, false)) return { ok: false, why: 'the file is over the size limit' };
  const dir = mkdtempSync(join(tempDir ?? tmpdir(), 'clausal-split-'));
  try {
    const lists = splitJsonLists(path, dir);
    if (!lists) return { ok: false, why: 'not one JSON object of lists' };
    const keys = lists.map((e) => e.key);
    if (new Set(keys).size !== keys.length) return { ok: false, why: 'a list named twice' };
    const byList = new Map([...policy.kinds.values()].map((k) => [k.listKey, k]));
    if (keys.some((k) => !byList.has(k))) return { ok: false, why: 'a list the policy does not declare' };
    const total = lists.reduce((a, e) => a + e.items, 0);
    if (total > limits.maxSubjects) return { ok: false, why: 'more subjects than the limit' };
    for (const ddl of factTablesDdl(kinds, DIALECTS.duckdb)) await connection.run(ddl);
    for (const lk of kinds) {
      const list = lists.find((l) => l.key === lk.listKey);
      if (!list?.file || list.items === 0 || !kindBuilt(scope, lk.name)) continue;
      const why = await ingestList(connection, policy, lk, byList.get(lk.listKey)!, list.file, scope);
      if (why) return { ok: false, why };
    }
    const cross = await crossChecks(connection, policy, limits.maxChainDepth ?? DEFAULT_FACTS_LIMITS.maxChainDepth!, scope);
    return cross ? { ok: false, why: cross } : { ok: true, subjects: total };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function ingestList(connection: DuckDBConnection, policy: Policy, lk: LKind, kind: KindInfo, file: string, scope: IngestScope): Promise<string | undefined> {
  const shape = kindShape(kind);
  const read = (path: string) => fieldRead(scope, kind.name, path);
  const groups = shape.groups.filter((g) => read(g.path));
  const leaves = shape.leaves.filter((f) => f.path !== 'id' && read(f.path));
  // Each line is `{"o":N,"j":SUBJECT}`. Types are read for every name a key may have (to count
  // the keys given against the names declared), texts only for the values read.
  const typed = new Set<string>(['o', 'j', ...shape.top.map((n) => `j.${n}`)]);
  for (const g of groups) for (const c of g.children) typed.add(`j.${g.path}.${c}`);
  for (const f of leaves) typed.add(`j.${f.path}`);
  const texts = ['o', 'j.id', ...leaves.map((f) => `j.${f.path}`)];
  const typeAt = new Map([...typed].map((p, i) => [p, i + 1]));
  const textAt = new Map(texts.map((p, i) => [p, i + 1]));
  const slot = (p: string): Slot => {
    const key = p === 'o' || p === 'j' ? p : `j.${p}`;
    const s = `s[${textAt.get(key)}]`;
    return { type: `t[${typeAt.get(key)}]`, text: s, json: `CAST(${s} AS JSON)` };
  };
  const list = sqlIdent(lk.listKey);
  const absent = (p: string) => `${slot(p).type} IS NULL`;
  const isNull = (p: string) => `${slot(p).type} = 'NULL'`;
  // Every key is a declared name, and none twice: as many keys as declared names present.
  const keysOk = (keys: string, prefix: string, names: readonly string[]) => `len(${keys}) = ${names.map((n) => `(t[${typeAt.get(`${prefix}${n}`)}] IS NOT NULL)::INTEGER`).join(' + ')}`;
  const id = slot('id');
  const checks: string[] = [
    `${slot('j').type} = 'OBJECT'`,
    keysOk('k[1]', 'j.', shape.top),
    `${id.type} = 'VARCHAR' AND ${id.text} <> '' AND NOT regexp_matches(${id.text}, '${ID_CONTROL_RE}')`,
  ];
  groups.forEach((g, i) => {
    checks.push(`(${absent(g.path)} OR ${isNull(g.path)} OR (${slot(g.path).type} = 'OBJECT' AND ${keysOk(`k[${i + 2}]`, `j.${g.path}.`, g.children)}))`);
  });
  for (const f of leaves) {
    checks.push(`(${absent(f.path)} OR ${isNull(f.path)}${typeHeld(f.type) ? ` OR ${valueOk(policy, f.type, slot(f.path))}` : ''})`);
  }
  const columns = [`CAST(${slot('o').text} AS BIGINT)`, id.text];
  for (const c of lk.columns) {
    if (c.path === 'id') continue;
    if (!typeAt.has(`j.${c.path}`) || (c.type !== 'record' && !textAt.has(`j.${c.path}`))) {
      // A field no rule reads: not converted (the tables hold it as absent).
      columns.push('NULL', 'FALSE');
      continue;
    }
    const noneAbove = prefixesOf(c.path).map(isNull);
    const none = [isNull(c.path), ...noneAbove].join(' OR ');
    columns.push(`CASE WHEN ${absent(c.path)} OR ${none} THEN NULL ELSE ${converted(c.type, slot(c.path))} END`);
    columns.push(noneAbove.length ? `(NOT ${absent(c.path)} OR coalesce(${noneAbove.join(' OR ')}, FALSE))` : `(NOT ${absent(c.path)})`);
  }
  // One pass, each line parsed three times in all (the keys, the types and the texts of every
  // path), not once per field; a subject the checks refuse stops the insert (REFUSED).
  try {
    await connection.run(`INSERT INTO ${list} SELECT ${columns.join(', ')}
FROM (SELECT json_keys(json, ${textList(['$."j"', ...groups.map((g) => jsonPath(`j.${g.path}`))])}) AS k, json_type(json, ${textList([...typed].map(jsonPath))}) AS t, json_extract_string(json, ${textList(texts.map(jsonPath))}) AS s
      FROM read_ndjson_objects(${sqlString(file)}, maximum_object_size = 268435456))
WHERE CASE WHEN coalesce(${checks.map((c) => `(${c})`).join('\n AND ')}, FALSE) THEN TRUE ELSE error('${REFUSED}') END`);
  } catch (e) {
    if ((e as Error).message.includes(REFUSED)) return `${lk.listKey}: a subject the checks refuse`;
    return `${lk.listKey}: ${(e as Error).message.split('\n')[0]}`;
  }
  return undefined;
}
