/**
 * `clausal export <policy-dir> --to jsonlogic [--as-of YYYY-MM-DD] [--out FILE]`: the policy's
 * rules as JSON Logic, parameters resolved for the as-of date (see src/export/jsonlogic.ts).
 * Exit 0 exported, 1 bad policy (or the output cannot be written), 2 usage.
 */
import { error } from '../model/diagnostics.js';
import { exportJsonLogic } from '../export/jsonlogic.js';
import { asOfOf, choice, emit, EXIT, loadPolicyOrReport, registerCommand, usage } from './main.js';

const TARGETS = ['jsonlogic'];

registerCommand('export', {
  options: { to: 'value', 'as-of': 'value', out: 'value' },
  usage: 'clausal export <policy-dir> --to jsonlogic [--as-of YYYY-MM-DD] [--out FILE] [--lang zh|en]',
  run(args, ctx) {
    if (args.positionals.length !== 1) return usage(ctx, error('X0003', undefined, { what: ' <policy-dir>' }), this.usage);
    if (!args.values.has('to')) return usage(ctx, error('X0003', undefined, { what: ' --to jsonlogic' }), this.usage);
    const target = choice(ctx, args, 'to', TARGETS, 'jsonlogic');
    const asOf = asOfOf(ctx, args);
    if (!target || !asOf) return EXIT.usage;
    const loaded = loadPolicyOrReport(ctx, args.positionals[0]);
    if (!loaded?.policy) return EXIT.diagnostics;
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
