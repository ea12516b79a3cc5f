/**
 * `clausal export <policy-dir> --to jsonlogic|sql [--dialect duckdb|postgres|trino] [--as-of YYYY-MM-DD] [--out FILE]`:
 * the policy's rules as JSON Logic (src/export/jsonlogic.ts) or as SQL over fact tables
 * (src/sql/), parameters resolved for the as-of date.
 * Exit 0 exported, 1 bad policy, a rule SQL cannot express (X0401), or the output cannot be
 * written, 2 usage.
 */
import { error } from '../model/diagnostics.js';
import { exportJsonLogic } from '../export/jsonlogic.js';
import { lowerPolicy } from '../lower/lower.js';
import { DIALECT_NAMES, type DialectName } from '../sql/dialects.js';
import { unsupportedDiagnostics } from '../sql/unsupported.js';
import { sqlScript } from '../sql/sql-script.js';
import { asOfOf, choice, emit, EXIT, loadPolicyOrReport, registerCommand, usage } from './main.js';

const TARGETS = ['jsonlogic', 'sql'];

registerCommand('export', {
  options: { to: 'value', 'as-of': 'value', out: 'value', dialect: 'value', 'query-only': 'flag' },
  usage: 'clausal export <policy-dir> --to jsonlogic|sql [--dialect duckdb|postgres|trino] [--query-only] [--as-of YYYY-MM-DD] [--out FILE] [--lang zh|en]',
  run(args, ctx) {
    if (args.positionals.length !== 1) return usage(ctx, error('X0003', undefined, { what: ' <policy-dir>' }), this.usage);
    if (!args.values.has('to')) return usage(ctx, error('X0003', undefined, { what: ' --to jsonlogic|sql' }), this.usage);
    const target = choice(ctx, args, 'to', TARGETS, 'jsonlogic');
    const dialect = choice(ctx, args, 'dialect', DIALECT_NAMES, 'duckdb') as DialectName | undefined;
    const asOf = asOfOf(ctx, args);
    if (!target || !asOf || !dialect) return EXIT.usage;
    if (target !== 'sql' && (args.values.has('dialect') || args.flags.has('query-only'))) {
      return usage(ctx, error('X0004', undefined, { option: args.values.has('dialect') ? '--dialect' : '--query-only', value: `--to ${target}`, expected: '--to sql' }), this.usage);
    }
    const loaded = loadPolicyOrReport(ctx, args.positionals[0]);
    if (!loaded?.policy) return EXIT.diagnostics;
    if (target === 'sql') {
      const lowered = lowerPolicy(loaded.policy, { asOf });
      // Refused, not approximated: a rule left out would read as "no findings" downstream.
      if (lowered.unsupported.length) {
        ctx.report(unsupportedDiagnostics(lowered), loaded.texts);
        return EXIT.diagnostics;
      }
      return emit(ctx, args.values.get('out'), [sqlScript(lowered, { dialect, queryOnly: args.flags.has('query-only') })]) ? EXIT.ok : EXIT.diagnostics;
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
