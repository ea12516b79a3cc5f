/**
 * `clausal ledger --db FILE [--policy ID] [--format markdown|html|xlsx|json] [--out FILE]`: the
 * rectification ledger, and `clausal trend --db FILE [--policy ID] [--format html|markdown|json]`:
 * compliance per clause and prefecture across runs. Both read the records database only.
 */
import { error } from '../model/diagnostics.js';
import { buildLedger, latestPolicy } from '../records/ledger.js';
import { buildTrend } from '../records/trend.js';
import { ledgerToHtml, ledgerToJson, ledgerToMarkdown, ledgerToXlsx } from '../report/records-ledger.js';
import { trendToHtml, trendToJson, trendToMarkdown } from '../report/records-trend.js';
import { openForReading } from './cmd-runs.js';
import { EXIT, choice, emit, registerCommand, usage, type Ctx } from './main.js';
import type { RecordsDb } from '../records/database.js';

async function policyOf(ctx: Ctx, db: RecordsDb, given: string | undefined): Promise<string | undefined> {
  const id = given ?? (await latestPolicy(db));
  const [row] = id === undefined ? [] : await db.rows(`SELECT count(*) AS n FROM runs WHERE policy_id = ?`, [id]);
  if (id === undefined || !row || Number(row.n) === 0) {
    ctx.report([error('R0511', undefined, { path: db.path, policy: id ?? '' })]);
    return undefined;
  }
  return id;
}

const LEDGER_USAGE = 'clausal ledger --db FILE [--policy ID] [--format markdown|html|xlsx|json] [--out FILE]';
registerCommand('ledger', {
  options: { db: 'value', policy: 'value', format: 'value', out: 'value' },
  usage: LEDGER_USAGE,
  async run(args, ctx) {
    if (args.positionals.length) return usage(ctx, error('X0004', undefined, { option: 'ledger', value: args.positionals.join(' '), expected: 'no arguments' }), LEDGER_USAGE);
    const format = choice(ctx, args, 'format', ['markdown', 'html', 'xlsx', 'json'], 'markdown');
    if (!format) return EXIT.usage;
    const out = args.values.get('out');
    // A workbook is bytes, never terminal text.
    if (format === 'xlsx' && !out) return usage(ctx, error('X0003', undefined, { what: ' --out FILE.xlsx' }), LEDGER_USAGE);
    const db = await openForReading(ctx, args.values.get('db'), LEDGER_USAGE);
    if (typeof db === 'number') return db;
    try {
      const policy = await policyOf(ctx, db, args.values.get('policy'));
      if (!policy) return EXIT.diagnostics;
      const ledger = await buildLedger(db, policy);
      const chunk = format === 'xlsx' ? await ledgerToXlsx(ledger, ctx.lang) : format === 'html' ? ledgerToHtml(ledger, ctx.lang) : format === 'json' ? ledgerToJson(ledger) : ledgerToMarkdown(ledger, ctx.lang);
      return emit(ctx, out, [chunk]) ? EXIT.ok : EXIT.diagnostics;
    } finally {
      db.close();
    }
  },
});

const TREND_USAGE = 'clausal trend --db FILE [--policy ID] [--format html|markdown|json] [--out FILE]';
registerCommand('trend', {
  options: { db: 'value', policy: 'value', format: 'value', out: 'value' },
  usage: TREND_USAGE,
  async run(args, ctx) {
    if (args.positionals.length) return usage(ctx, error('X0004', undefined, { option: 'trend', value: args.positionals.join(' '), expected: 'no arguments' }), TREND_USAGE);
    const format = choice(ctx, args, 'format', ['html', 'markdown', 'json'], 'markdown');
    if (!format) return EXIT.usage;
    const db = await openForReading(ctx, args.values.get('db'), TREND_USAGE);
    if (typeof db === 'number') return db;
    try {
      const policy = await policyOf(ctx, db, args.values.get('policy'));
      if (!policy) return EXIT.diagnostics;
      const trend = await buildTrend(db, policy);
      const text = format === 'html' ? trendToHtml(trend, ctx.lang) : format === 'json' ? trendToJson(trend) : trendToMarkdown(trend, ctx.lang);
      return emit(ctx, args.values.get('out'), [text]) ? EXIT.ok : EXIT.diagnostics;
    } finally {
      db.close();
    }
  },
});
