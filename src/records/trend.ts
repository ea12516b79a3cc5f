/**
 * Compliance over time: for each recorded run of a policy (in as-of order), the compliance
 * rate per clause and per prefecture, with the report's definition: compliant ÷ (compliant +
 * violation + pending + advisory); unknown, entitlement and not-applicable results are left out.
 */
import type { RecordsDb } from './database.js';

/** Decided counts of one group in one run. */
export interface TrendPoint {
  readonly run: number;
  readonly asOf: string;
  readonly compliant: number;
  readonly decided: number;
  /** compliant ÷ decided, or null when nothing was decided. */
  readonly rate: number | null;
}

/** One line of the chart: a clause or a prefecture across runs. */
export interface TrendSeries {
  readonly key: string;
  readonly points: readonly TrendPoint[];
}

/** The trend of one policy. */
export interface Trend {
  readonly policyId: string;
  readonly runs: readonly { readonly run: number; readonly asOf: string; readonly version: string }[];
  readonly overall: TrendSeries;
  readonly byClause: readonly TrendSeries[];
  readonly byPrefecture: readonly TrendSeries[];
}

const DECIDED = `('compliant', 'violation', 'pending', 'advisory')`;

async function series(db: RecordsDb, policyId: string, runs: Trend['runs'], groupBy: string): Promise<TrendSeries[]> {
  const rows = await db.rows(
    `SELECT ${groupBy} AS key, results.run AS run,
            CAST(count(*) FILTER (WHERE status = 'compliant') AS INTEGER) AS compliant,
            CAST(count(*) FILTER (WHERE status IN ${DECIDED}) AS INTEGER) AS decided,
            min(seq) AS ord
     FROM results JOIN runs ON runs.run = results.run WHERE runs.policy_id = ?
     GROUP BY ALL`,
    [policyId],
  );
  const byKey = new Map<string, { ord: number; at: Map<number, { compliant: number; decided: number }> }>();
  for (const r of rows) {
    const key = String(r.key);
    let s = byKey.get(key);
    if (!s) byKey.set(key, (s = { ord: Number(r.ord), at: new Map() }));
    s.ord = Math.min(s.ord, Number(r.ord));
    s.at.set(Number(r.run), { compliant: Number(r.compliant), decided: Number(r.decided) });
  }
  return [...byKey]
    .filter(([, s]) => [...s.at.values()].some((v) => v.decided > 0))
    .sort((a, b) => a[1].ord - b[1].ord || (a[0] < b[0] ? -1 : 1))
    .map(([key, s]) => ({
      key,
      points: runs.map(({ run, asOf }) => {
        const v = s.at.get(run) ?? { compliant: 0, decided: 0 };
        return { run, asOf, compliant: v.compliant, decided: v.decided, rate: v.decided ? v.compliant / v.decided : null };
      }),
    }));
}

/** Builds the trend of `policyId`. */
export async function buildTrend(db: RecordsDb, policyId: string): Promise<Trend> {
  const runs = (await db.rows(`SELECT run, CAST(as_of AS VARCHAR) AS as_of, policy_version FROM runs WHERE policy_id = ? ORDER BY as_of, run`, [policyId]))
    .map((r) => ({ run: Number(r.run), asOf: String(r.as_of), version: String(r.policy_version) }));
  const [overall] = await series(db, policyId, runs, `'*'`);
  return {
    policyId,
    runs,
    overall: { key: '*', points: overall?.points ?? runs.map(({ run, asOf }) => ({ run, asOf, compliant: 0, decided: 0, rate: null })) },
    byClause: await series(db, policyId, runs, 'cite'),
    byPrefecture: await series(db, policyId, runs, `coalesce(prefecture_name, prefecture_id, '—')`),
  };
}
