/**
 * Writes one run into the records database in ONE transaction: the run row, its files,
 * parameters and every result row. A crash or `kill -9` before COMMIT leaves nothing behind
 * (DuckDB discards the uncommitted write-ahead log on the next open), so there is no partial
 * run to ignore.
 */
import { resultToNdjson } from '../report/eval-json.js';
import { subjectKey } from '../facts/subject-info.js';
import type { RuleResult, SubjectInfo } from '../model/result.js';
import type { RecordsDb } from './database.js';
import { receiptOf, type RunRecord } from './run-record.js';

/** The JSON line stored for a result (and compared by `runs verify`): the NDJSON line without its newline. */
export function resultLine(r: RuleResult): string {
  return resultToNdjson(r).slice(0, -1);
}

/** Fields of the contract's section 3a, read whether or not this engine's result type declares them. */
function extension(r: RuleResult, name: string): string | null {
  const v = (r as unknown as Record<string, unknown>)[name];
  return v === undefined || v === null ? null : String(v);
}

function prefectureOf(info: SubjectInfo | undefined): { id: string; name?: string } | undefined {
  if (!info) return undefined;
  return info.regions.find((r) => r.level === 'prefecture') ?? (info.regions.length > 1 ? info.regions[info.regions.length - 2] : info.regions[0]);
}

/** Stores the run; returns its number. Throws the engine's error (the caller reports it) and rolls back. */
export async function recordRun(db: RecordsDb, rec: RunRecord): Promise<number> {
  await db.run('BEGIN TRANSACTION');
  try {
    const [{ n }] = await db.rows(`SELECT CAST(nextval('runs_seq') AS INTEGER) AS n`);
    const run = Number(n);
    await db.run(
      `INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, CAST(? AS DATE), ?, ?, ?, ?, CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), ?, ?, ?, ?, ?, ?)`,
      [run, rec.runKey, rec.policy.id, rec.policy.version, rec.policyHash, rec.policyDir, rec.asOf, rec.lang, rec.engineVersion,
        JSON.stringify(rec.commandLine), rec.cwd, rec.startedAt.toISOString(), rec.finishedAt.toISOString(), rec.factsPath, rec.factsHash,
        rec.factsCopy, rec.subjects, rec.results.length, JSON.stringify(rec.summary)],
    );
    const files = await db.conn.createAppender('run_files');
    for (const f of rec.files) {
      files.appendInteger(run);
      files.appendVarchar(f.role);
      files.appendVarchar(f.path);
      files.appendVarchar(f.sha256);
      files.appendBigInt(BigInt(f.bytes));
      if (f.content) files.appendBlob(f.content);
      else files.appendNull();
      files.appendBoolean(f.compressed);
      files.endRow();
    }
    files.flushSync();
    files.closeSync();
    const params = await db.conn.createAppender('run_params');
    for (const p of rec.params) {
      params.appendInteger(run);
      params.appendVarchar(p.name);
      if (p.value === null) params.appendNull();
      else params.appendVarchar(p.value);
      if (p.since === null) params.appendNull();
      else params.appendVarchar(p.since);
      params.endRow();
    }
    params.flushSync();
    params.closeSync();
    const rules = await db.conn.createAppender('run_rules');
    for (const r of rec.rules) {
      rules.appendInteger(run);
      rules.appendVarchar(r.id);
      rules.appendVarchar(r.kind);
      rules.appendVarchar(r.cite);
      rules.appendVarchar(r.modality);
      for (const v of [r.title?.zh, r.title?.en, r.quote]) {
        if (v === undefined) rules.appendNull();
        else rules.appendVarchar(v);
      }
      rules.endRow();
    }
    rules.flushSync();
    rules.closeSync();
    const rows = await db.conn.createAppender('results');
    const str = (v: string | null | undefined) => (v === null || v === undefined ? rows.appendNull() : rows.appendVarchar(v));
    let seq = 0;
    for (const r of rec.results) {
      const info = rec.infos.get(subjectKey(r.subject.kind, r.subject.id));
      const pref = prefectureOf(info);
      rows.appendInteger(run);
      rows.appendInteger(seq++);
      rows.appendVarchar(receiptOf(rec.runKey, r.subject.kind, r.subject.id, r.rule));
      rows.appendVarchar(r.subject.kind);
      rows.appendVarchar(r.subject.id);
      str(info?.name);
      str(pref?.id);
      str(pref?.name);
      rows.appendVarchar(r.rule);
      rows.appendVarchar(r.cite);
      rows.appendVarchar(r.modality);
      rows.appendVarchar(r.status);
      str(r.due);
      rows.appendVarchar(JSON.stringify(r.missing));
      str(extension(r, 'value'));
      str(extension(r, 'unit'));
      str(extension(r, 'shortfall'));
      str(extension(r, 'shortfallUnit'));
      rows.appendVarchar(r.explanation);
      rows.appendVarchar(resultLine(r));
      rows.endRow();
    }
    rows.flushSync();
    rows.closeSync();
    await db.run('COMMIT');
    return run;
  } catch (e) {
    await db.run('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
