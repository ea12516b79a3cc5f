/**
 * `clausal template <policy-dir> --out facts.xlsx [--lang en]`: an empty facts workbook for the
 * policy in the officers' language, with the sheets, labelled headers, dropdowns and
 * instructions that `eval --facts facts.xlsx` reads back.
 * Exit 0 written, 1 bad policy (or the file cannot be written), 2 usage.
 */
import { error } from '../model/diagnostics.js';
import { factsTemplateBytes } from '../loader/facts-template.js';
import { emit, EXIT, loadPolicyOrReport, registerCommand, usage } from './main.js';

registerCommand('template', {
  options: { out: 'value', lang: 'value' },
  usage: 'clausal template <policy-dir> --out FILE.xlsx [--lang zh|en]',
  async run(args, ctx) {
    if (args.positionals.length !== 1) return usage(ctx, error('X0003', undefined, { what: ' <policy-dir>' }), this.usage);
    const out = args.values.get('out');
    // A workbook is bytes, never terminal text: it is written to a file only.
    if (!out) return usage(ctx, error('X0003', undefined, { what: ' --out FILE.xlsx' }), this.usage);
    if (!out.toLowerCase().endsWith('.xlsx')) return usage(ctx, error('X0004', undefined, { option: '--out', value: out, expected: 'FILE.xlsx' }), this.usage);
    const loaded = loadPolicyOrReport(ctx, args.positionals[0]);
    if (!loaded?.policy) return EXIT.diagnostics;
    const bytes = await factsTemplateBytes(loaded.policy, ctx.lang);
    return emit(ctx, out, [bytes]) ? EXIT.ok : EXIT.diagnostics;
  },
});
