/**
 * The rectification ledger (整改台账), derived from the recorded runs of one policy in as-of
 * order: every (subject, rule) that was ever a violation or pending, when it was first and
 * last seen as a problem, its status in the latest run, and the as-of date of the first run
 * after the last sighting (when it is no longer a problem: the date it was found resolved).
 */
import type { RecordsDb } from './database.js';

/** One line of the ledger. */
export interface LedgerEntry {
  readonly subject: { readonly kind: string; readonly id: string; readonly name: string | null };
  readonly prefecture: string | null;
  readonly rule: string;
  readonly cite: string;
  /** As-of date of the first run where it was a violation or pending. */
  readonly firstSeen: string;
  /** As-of date of the last run where it was a violation or pending. */
  readonly lastSeen: string;
  /** How many runs saw it as a problem. */
  readonly timesSeen: number;
  /** Its status in the latest run (null: the latest run has no result for it). */
  readonly currentStatus: string | null;
  /** The latest run's deadline, when it has one. */
  readonly due: string | null;
  /** As-of date of the first run after the last sighting, when it is no longer a problem. */
  readonly resolvedOn: string | null;
}

/** The ledger of one policy. */
export interface Ledger {
  readonly policyId: string;
  /** The runs it is derived from, in as-of order. */
  readonly runs: readonly { readonly run: number; readonly asOf: string; readonly version: string }[];
  readonly entries: readonly LedgerEntry[];
}

/** The policy of the latest run, when `--policy` is not given. */
export async function latestPolicy(db: RecordsDb): Promise<string | undefined> {
  const [row] = await db.rows(`SELECT policy_id FROM runs ORDER BY as_of DESC, run DESC LIMIT 1`);
  return row ? String(row.policy_id) : undefined;
}

/** Builds the ledger of `policyId` (empty runs when it has none). */
export async function buildLedger(db: RecordsDb, policyId: string): Promise<Ledger> {
  const runs = (await db.rows(`SELECT run, CAST(as_of AS VARCHAR) AS as_of, policy_version FROM runs WHERE policy_id = ? ORDER BY as_of, run`, [policyId]))
    .map((r) => ({ run: Number(r.run), asOf: String(r.as_of), version: String(r.policy_version) }));
  if (runs.length === 0) return { policyId, runs, entries: [] };
  const latest = runs[runs.length - 1].run;
  const rows = await db.rows(
    `WITH r AS (
       SELECT runs.as_of, runs.run AS run_no, results.* FROM results JOIN runs ON runs.run = results.run WHERE runs.policy_id = ?
     ),
     problems AS (
       SELECT subject_kind, subject_id, rule, min(as_of) AS first_seen, max(as_of) AS last_seen, CAST(count(*) AS INTEGER) AS times,
              min(seq) AS ord
       FROM r WHERE status IN ('violation', 'pending') GROUP BY subject_kind, subject_id, rule
     )
     SELECT p.subject_kind, p.subject_id, p.rule, CAST(p.first_seen AS VARCHAR) AS first_seen, CAST(p.last_seen AS VARCHAR) AS last_seen, p.times,
            cur.status AS current_status, CAST(cur.due AS VARCHAR) AS due,
            coalesce(cur.subject_name, (SELECT any_value(subject_name) FROM r x WHERE x.subject_kind = p.subject_kind AND x.subject_id = p.subject_id)) AS name,
            coalesce(cur.prefecture_name, cur.prefecture_id, (SELECT any_value(coalesce(prefecture_name, prefecture_id)) FROM r x WHERE x.subject_kind = p.subject_kind AND x.subject_id = p.subject_id)) AS prefecture,
            coalesce(cur.cite, (SELECT any_value(cite) FROM r x WHERE x.rule = p.rule)) AS cite,
            CASE WHEN cur.status IN ('violation', 'pending') THEN NULL ELSE
              (SELECT CAST(min(x.as_of) AS VARCHAR) FROM r x WHERE x.subject_kind = p.subject_kind AND x.subject_id = p.subject_id AND x.rule = p.rule AND x.as_of > p.last_seen)
            END AS resolved_on
     FROM problems p
     LEFT JOIN r cur ON cur.run_no = ? AND cur.subject_kind = p.subject_kind AND cur.subject_id = p.subject_id AND cur.rule = p.rule
     ORDER BY p.first_seen, prefecture NULLS LAST, p.subject_kind, p.subject_id, cite, p.rule`,
    [policyId, latest],
  );
  const entries = rows.map((r): LedgerEntry => ({
    subject: { kind: String(r.subject_kind), id: String(r.subject_id), name: (r.name as string | null) ?? null },
    prefecture: (r.prefecture as string | null) ?? null,
    rule: String(r.rule),
    cite: String(r.cite),
    firstSeen: String(r.first_seen),
    lastSeen: String(r.last_seen),
    timesSeen: Number(r.times),
    currentStatus: (r.current_status as string | null) ?? null,
    due: (r.due as string | null) ?? null,
    resolvedOn: (r.resolved_on as string | null) ?? null,
  }));
  return { policyId, runs, entries };
}
