/**
 * `clausal export <policy-dir> --to jsonlogic|sql [--dialect duckdb|postgres|trino] [--as-of YYYY-MM-DD] [--out FILE]`:
 * the policy's rules as JSON Logic (src/export/jsonlogic.ts) or as SQL over fact tables
 * (src/sql/), parameters resolved for the as-of date.
 * With `--facts FILE` the script also inserts the facts, checked as `eval` checks them.
 * Exit 0 exported, 4 bad facts, 1 bad policy, a rule SQL cannot express (X0401), or the output cannot be
 * written, 2 usage.
 */
import { error } from '../model/diagnostics.js';
import { exportJsonLogic } from '../export/jsonlogic.js';
import { DIALECT_NAMES, DIALECTS, type DialectName } from '../sql/dialects.js';
import { factInserts } from '../sql/fact-inserts.js';
import { sqlLowering, unsupportedDiagnostics } from '../sql/unsupported.js';
import { sqlScript } from '../sql/sql-script.js';
import { asOfOf, choice, emit, EXIT, loadFactsOrReport, loadPolicyOrReport, registerCommand, usage } from './main.js';

const TARGETS = ['jsonlogic', 'sql'];

registerCommand('export', {
  options: { to: 'value', 'as-of': 'value', out: 'value', dialect: 'value', 'query-only': 'flag', facts: 'value' },
  usage: 'clausal export <policy-dir> --to jsonlogic|sql [--dialect duckdb|postgres|trino] [--query-only | --facts FILE] [--as-of YYYY-MM-DD] [--out FILE] [--lang zh|en]',
  run(args, ctx) {
    if (args.positionals.length !== 1) return usage(ctx, error('X0003', undefined, { what: ' <policy-dir>' }), this.usage);
    if (!args.values.has('to')) return usage(ctx, error('X0003', undefined, { what: ' --to jsonlogic|sql' }), this.usage);
    const target = choice(ctx, args, 'to', TARGETS, 'jsonlogic');
    const dialect = choice(ctx, args, 'dialect', DIALECT_NAMES, 'duckdb') as DialectName | undefined;
    const asOf = asOfOf(ctx, args);
    if (!target || !asOf || !dialect) return EXIT.usage;
    const sqlOnly = ['dialect', 'facts'].find((o) => args.values.has(o)) ?? (args.flags.has('query-only') ? 'query-only' : undefined);
    if (target !== 'sql' && sqlOnly) return usage(ctx, error('X0004', undefined, { option: `--${sqlOnly}`, value: `--to ${target}`, expected: '--to sql' }), this.usage);
    if (args.flags.has('query-only') && args.values.has('facts')) return usage(ctx, error('X0004', undefined, { option: '--query-only', value: '--facts', expected: 'one of them' }), this.usage);
    const loaded = loadPolicyOrReport(ctx, args.positionals[0]);
    if (!loaded?.policy) return EXIT.diagnostics;
    if (target === 'sql') {
      const lowered = sqlLowering(loaded.policy, asOf);
      // Refused, not approximated: a rule left out would read as "no findings" downstream.
      if (lowered.unsupported.length) {
        ctx.report(unsupportedDiagnostics(lowered), loaded.texts);
        return EXIT.diagnostics;
      }
      let inserts: string[] = [];
      const factsPath = args.values.get('facts');
      if (factsPath !== undefined) {
        // The same loaders and checks as eval: bad facts are reported the same way (exit 4).
        const facts = loadFactsOrReport(ctx, loaded.policy, factsPath);
        if (!facts) return EXIT.badFacts;
        const rows = factInserts(lowered.kinds, facts, DIALECTS[dialect]);
        if (rows.diagnostics.length) {
          ctx.report(rows.diagnostics);
          return EXIT.badFacts;
        }
        inserts = rows.statements;
      }
      return emit(ctx, args.values.get('out'), [sqlScript(lowered, { dialect, queryOnly: args.flags.has('query-only'), inserts })]) ? EXIT.ok : EXIT.diagnostics;
    }
    const exported = exportJsonLogic(loaded.policy, { asOf, lang: ctx.lang });
    if (!emit(ctx, args.values.get('out'), [`${JSON.stringify(exported, null, 2)}\n`])) return EXIT.diagnostics;
    // What the export leaves out is in the JSON; say so where a person running it will look.
    const n = exported.unsupported.length;
    if (n > 0) {
      const ids = exported.unsupported.map((u) => u.id).join(', ');
      ctx.io.stderr.write(ctx.lang === 'zh'
        ? `已导出 ${exported.rules.length} 条规则；无法用 JSON Logic 表达的 ${n} 条列在 "unsupported" 中：${ids}\n`
        : `exported ${exported.rules.length} rules; not expressible in JSON Logic (${n}, listed under "unsupported"): ${ids}\n`);
    }
    return EXIT.ok;
  },
});
