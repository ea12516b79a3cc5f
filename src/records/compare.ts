/**
 * What changed between two recorded runs, per (subject, rule): problems resolved, new
 * problems, problems that worsened (pending → violation) or eased (violation → pending), and
 * other status changes, with counts by prefecture and by clause.
 */
import type { RecordsDb } from './database.js';

/** How a (subject, rule) changed from run A to run B. */
export type ChangeKind = 'resolved' | 'new' | 'worsened' | 'eased' | 'changed';

/** The change kinds in the order reports show them. */
export const CHANGE_KINDS: readonly ChangeKind[] = ['new', 'worsened', 'resolved', 'eased', 'changed'];

/** One changed (subject, rule). */
export interface Change {
  readonly kind: ChangeKind;
  readonly subject: { readonly kind: string; readonly id: string; readonly name: string | null };
  readonly prefecture: string | null;
  readonly rule: string;
  readonly cite: string;
  /** Status in run A, or null when A has no result for it. */
  readonly before: string | null;
  /** Status in run B, or null when B has no result for it. */
  readonly after: string | null;
}

/** Counts of change kinds in one group (a prefecture or a clause). */
export type ChangeCounts = Record<ChangeKind, number>;

/** The comparison of two runs. */
export interface Comparison {
  readonly a: RunHead;
  readonly b: RunHead;
  readonly counts: ChangeCounts;
  readonly byPrefecture: readonly { readonly prefecture: string; readonly counts: ChangeCounts }[];
  readonly byClause: readonly { readonly cite: string; readonly counts: ChangeCounts }[];
  readonly changes: readonly Change[];
}

/** The identifying fields of a run. */
export interface RunHead {
  readonly run: number;
  readonly policyId: string;
  readonly policyVersion: string;
  readonly asOf: string;
}

const PROBLEM = new Set(['violation', 'pending']);

/** Classifies a status change; undefined when nothing changed. */
export function changeKind(before: string | null, after: string | null): ChangeKind | undefined {
  if (before === after) return undefined;
  const wasProblem = before !== null && PROBLEM.has(before);
  const isProblem = after !== null && PROBLEM.has(after);
  if (wasProblem && isProblem) return after === 'violation' ? 'worsened' : 'eased';
  if (isProblem) return 'new';
  if (wasProblem) return after === null ? 'changed' : 'resolved';
  return 'changed';
}

const zero = (): ChangeCounts => ({ new: 0, worsened: 0, resolved: 0, eased: 0, changed: 0 });

/** The head of run `n`, or undefined when there is none. */
export async function runHead(db: RecordsDb, n: number): Promise<RunHead | undefined> {
  const [row] = await db.rows(`SELECT run, policy_id, policy_version, CAST(as_of AS VARCHAR) AS as_of FROM runs WHERE run = ?`, [n]);
  return row ? { run: Number(row.run), policyId: String(row.policy_id), policyVersion: String(row.policy_version), asOf: String(row.as_of) } : undefined;
}

/** Compares runs `a` and `b` (both must exist). */
export async function compareRuns(db: RecordsDb, a: RunHead, b: RunHead): Promise<Comparison> {
  const rows = await db.rows(
    `SELECT coalesce(x.subject_kind, y.subject_kind) AS kind, coalesce(x.subject_id, y.subject_id) AS id,
            coalesce(y.subject_name, x.subject_name) AS name, coalesce(y.prefecture_name, x.prefecture_name, y.prefecture_id, x.prefecture_id) AS prefecture,
            coalesce(x.rule, y.rule) AS rule, coalesce(y.cite, x.cite) AS cite, x.status AS before, y.status AS after,
            coalesce(y.seq, 1000000000 + x.seq) AS ord
     FROM (SELECT * FROM results WHERE run = ?) x
     FULL OUTER JOIN (SELECT * FROM results WHERE run = ?) y
       ON x.subject_kind = y.subject_kind AND x.subject_id = y.subject_id AND x.rule = y.rule
     WHERE x.status IS DISTINCT FROM y.status
     ORDER BY ord`,
    [a.run, b.run],
  );
  const counts = zero();
  const byPref = new Map<string, ChangeCounts>();
  const byClause = new Map<string, ChangeCounts>();
  const changes: Change[] = [];
  for (const r of rows) {
    const before = (r.before as string | null) ?? null;
    const after = (r.after as string | null) ?? null;
    const kind = changeKind(before, after);
    if (!kind) continue;
    const prefecture = (r.prefecture as string | null) ?? null;
    const cite = String(r.cite);
    changes.push({ kind, subject: { kind: String(r.kind), id: String(r.id), name: (r.name as string | null) ?? null }, prefecture, rule: String(r.rule), cite, before, after });
    counts[kind]++;
    const p = prefecture ?? '—';
    if (!byPref.has(p)) byPref.set(p, zero());
    byPref.get(p)![kind]++;
    if (!byClause.has(cite)) byClause.set(cite, zero());
    byClause.get(cite)![kind]++;
  }
  return {
    a, b, counts, changes,
    byPrefecture: [...byPref].map(([prefecture, c]) => ({ prefecture, counts: c })),
    byClause: [...byClause].map(([cite, c]) => ({ cite, counts: c })),
  };
}

/** The latest run of `policyId` recorded before run `before`, if any. */
export async function previousRun(db: RecordsDb, policyId: string, before: number): Promise<RunHead | undefined> {
  const [row] = await db.rows(`SELECT max(run) AS run FROM runs WHERE policy_id = ? AND run < ?`, [policyId, before]);
  return row && row.run !== null ? runHead(db, Number(row.run)) : undefined;
}
