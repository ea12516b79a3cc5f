/**
 * Reading the records database: the list of runs, one run in full, a receipt, the stored
 * files and result lines. Plain SQL over the documented schema (docs/records.md).
 */
import { gunzipSync } from 'node:zlib';
import type { RecordsDb } from './database.js';

/** One line of `clausal runs list`. */
export interface RunSummary {
  readonly run: number;
  readonly policyId: string;
  readonly policyVersion: string;
  readonly asOf: string;
  readonly recordedAt: string;
  readonly factsPath: string;
  readonly factsCopy: boolean;
  readonly subjects: number;
  readonly results: number;
  readonly summary: Record<string, number>;
}

const HEAD = `run, policy_id, policy_version, CAST(as_of AS VARCHAR) AS as_of, strftime(finished_at, '%Y-%m-%dT%H:%M:%SZ') AS recorded_at,
  facts_path, facts_copy, subjects, result_count, summary`;

function summaryOf(row: Record<string, unknown>): RunSummary {
  return {
    run: Number(row.run), policyId: String(row.policy_id), policyVersion: String(row.policy_version), asOf: String(row.as_of),
    recordedAt: String(row.recorded_at), factsPath: String(row.facts_path), factsCopy: Boolean(row.facts_copy),
    subjects: Number(row.subjects), results: Number(row.result_count), summary: JSON.parse(String(row.summary)) as Record<string, number>,
  };
}

/** Every run, oldest first (optionally of one policy). */
export async function listRuns(db: RecordsDb, policyId?: string): Promise<RunSummary[]> {
  const rows = policyId === undefined
    ? await db.rows(`SELECT ${HEAD} FROM runs ORDER BY run`)
    : await db.rows(`SELECT ${HEAD} FROM runs WHERE policy_id = ? ORDER BY run`, [policyId]);
  return rows.map(summaryOf);
}

/** One run in full: what `clausal runs show N` prints. */
export interface RunDetail extends RunSummary {
  readonly runKey: string;
  readonly policyHash: string;
  readonly policyDir: string;
  readonly lang: string;
  readonly engineVersion: string;
  readonly commandLine: readonly string[];
  readonly cwd: string;
  readonly startedAt: string;
  readonly factsHash: string;
  readonly files: readonly { role: string; path: string; sha256: string; bytes: number; stored: boolean }[];
  readonly params: readonly { name: string; value: unknown; since: string | null }[];
}

/** Run `n`, or undefined. */
export async function runDetail(db: RecordsDb, n: number): Promise<RunDetail | undefined> {
  const [row] = await db.rows(`SELECT ${HEAD}, run_key, policy_hash, policy_dir, lang, engine_version, command_line, cwd,
    strftime(started_at, '%Y-%m-%dT%H:%M:%SZ') AS started_at, facts_hash FROM runs WHERE run = ?`, [n]);
  if (!row) return undefined;
  const files = await db.rows(`SELECT role, path, sha256, CAST(bytes AS DOUBLE) AS bytes, content IS NOT NULL AS stored FROM run_files WHERE run = ? ORDER BY role, path`, [n]);
  const params = await db.rows(`SELECT name, value, CAST(since AS VARCHAR) AS since FROM run_params WHERE run = ? ORDER BY name`, [n]);
  return {
    ...summaryOf(row),
    runKey: String(row.run_key), policyHash: String(row.policy_hash), policyDir: String(row.policy_dir), lang: String(row.lang),
    engineVersion: String(row.engine_version), commandLine: JSON.parse(String(row.command_line)) as string[], cwd: String(row.cwd),
    startedAt: String(row.started_at), factsHash: String(row.facts_hash),
    files: files.map((f) => ({ role: String(f.role), path: String(f.path), sha256: String(f.sha256), bytes: Number(f.bytes), stored: Boolean(f.stored) })),
    params: params.map((p) => ({ name: String(p.name), value: p.value === null ? null : JSON.parse(String(p.value)) as unknown, since: (p.since as string | null) ?? null })),
  };
}

/** A stored file with its bytes (decompressed). */
export interface StoredFileContent {
  readonly role: string;
  readonly path: string;
  readonly sha256: string;
  readonly content?: Uint8Array;
}

/** The stored files of run `n`. */
export async function storedFiles(db: RecordsDb, n: number): Promise<StoredFileContent[]> {
  const rows = await db.rows(`SELECT role, path, sha256, content, compressed FROM run_files WHERE run = ? ORDER BY role, path`, [n]);
  return rows.map((r) => {
    const raw = r.content as Uint8Array | null;
    let content: Uint8Array | undefined;
    if (raw) {
      try {
        content = r.compressed ? gunzipSync(raw) : raw;
      } catch {
        // A damaged compressed copy is reported as a hash mismatch by the caller.
        content = new Uint8Array(0);
      }
    }
    return { role: String(r.role), path: String(r.path), sha256: String(r.sha256), content };
  });
}

/** The stored result lines of run `n`, in order. */
export async function storedLines(db: RecordsDb, n: number): Promise<string[]> {
  const rows = await db.rows(`SELECT result_json FROM results WHERE run = ? ORDER BY seq`, [n]);
  return rows.map((r) => String(r.result_json));
}

/** One decision by its receipt: the result, its run, the rule's quote and the parameters in force. */
export interface Receipt {
  readonly receipt: string;
  readonly run: RunSummary & { readonly engineVersion: string; readonly policyHash: string; readonly factsHash: string };
  readonly result: Record<string, unknown>;
  readonly subjectName: string | null;
  readonly prefecture: string | null;
  readonly rule: { readonly title: string | null; readonly quote: string | null };
  readonly params: readonly { name: string; value: unknown; since: string | null }[];
}

/** The decision with receipt `id`, or undefined. */
export async function receiptOfId(db: RecordsDb, id: string, lang: string): Promise<Receipt | undefined> {
  const [r] = await db.rows(`SELECT run, rule, result_json, subject_name, coalesce(prefecture_name, prefecture_id) AS prefecture FROM results WHERE receipt = ?`, [id]);
  if (!r) return undefined;
  const n = Number(r.run);
  const [head] = await db.rows(`SELECT ${HEAD}, engine_version, policy_hash, facts_hash FROM runs WHERE run = ?`, [n]);
  const [rule] = await db.rows(`SELECT title_zh, title_en, quote FROM run_rules WHERE run = ? AND rule = ?`, [n, String(r.rule)]);
  const params = await db.rows(`SELECT name, value, CAST(since AS VARCHAR) AS since FROM run_params WHERE run = ? ORDER BY name`, [n]);
  return {
    receipt: id,
    run: { ...summaryOf(head), engineVersion: String(head.engine_version), policyHash: String(head.policy_hash), factsHash: String(head.facts_hash) },
    result: JSON.parse(String(r.result_json)) as Record<string, unknown>,
    subjectName: (r.subject_name as string | null) ?? null,
    prefecture: (r.prefecture as string | null) ?? null,
    rule: { title: ((lang === 'en' ? rule?.title_en ?? rule?.title_zh : rule?.title_zh) as string | null | undefined) ?? null, quote: (rule?.quote as string | null | undefined) ?? null },
    params: params.map((p) => ({ name: String(p.name), value: p.value === null ? null : JSON.parse(String(p.value)) as unknown, since: (p.since as string | null) ?? null })),
  };
}
