/**
 * `clausal export --to sql`: the script a user runs on their database. A header says what it
 * is and how the fact tables are laid out, then the `CREATE TABLE` statements (left out with
 * `--query-only`, for tables that already exist), the facts' `INSERT`s with `--facts`, then the
 * one query yielding the results.
 */
import type { LoweredPolicy } from '../lower/lowered.js';
import { DIALECTS, type DialectName } from './dialects.js';
import { factTablesDdl, RESULT_COLUMNS, resultQuery } from './print-sql.js';

/** Options of {@link sqlScript}. */
export interface SqlScriptOptions {
  readonly dialect: DialectName;
  /** Leave out the `CREATE TABLE` statements. */
  readonly queryOnly?: boolean;
  /** `INSERT` statements of facts, put between the tables and the query. */
  readonly inserts?: readonly string[];
}

/** The SQL script of a lowered policy. */
export function sqlScript(lowered: LoweredPolicy, options: SqlScriptOptions): string {
  const d = DIALECTS[options.dialect];
  const header = [
    `-- ${lowered.policy.id} ${lowered.policy.version}, as of ${lowered.asOf}, ${d.name} dialect (clausal export --to sql)`,
    `-- Result columns: ${RESULT_COLUMNS.join(', ')}; ordered by subject (facts order, column _ord), then rule.`,
    '-- Fact tables: one per subject kind, named after its facts list; `_ord` is the subject\'s place in',
    '-- the facts, `id` its id; each field has a value column named by its dotted path and a presence',
    '-- flag "<path>$known": FALSE = absent (unknown), TRUE with a NULL value = none. Dates are',
    '-- YYYY-MM-DD text.',
  ];
  const statements = [...(options.queryOnly ? [] : factTablesDdl(lowered.kinds, d)), ...(options.inserts ?? []), resultQuery(lowered, d)];
  return `${header.join('\n')}\n\n${statements.map((s) => `${s};`).join('\n\n')}\n`;
}
