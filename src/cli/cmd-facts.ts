/**
 * `clausal facts <policy-dir> --facts PATH... [--as-of DATE] [--format text|json] [--out-dir DIR]`:
 * the data-quality view. Which facts the policy needs are missing, per prefecture and column,
 * and how many results are unknown because of them; with `--out-dir`, one workbook per
 * prefecture listing exactly the cells to fill. Exit 0 shown, 1 bad policy (or a file cannot be
 * written), 2 usage, 4 bad facts.
 */
import { errnoOf, fsDetail } from '../model/fs-problem.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { error } from '../model/diagnostics.js';
import { evaluate } from '../eval/evaluate.js';
import { subjectInfos } from '../facts/subject-info.js';
import { chaseFileName, chaseWorkbook, dataQuality, dataQualityText } from '../report/data-quality.js';
import { asOfOf, choice, emit, EXIT, loadFactsSetOrReport, loadPolicyOrReport, registerCommand, usage } from './main.js';

registerCommand('facts', {
  options: { facts: 'multi', 'as-of': 'value', format: 'value', 'out-dir': 'value', lang: 'value' },
  usage: 'clausal facts <policy-dir> --facts <file|folder>... [--as-of YYYY-MM-DD] [--format text|json] [--out-dir DIR] [--lang zh|en]',
  async run(args, ctx) {
    if (args.positionals.length !== 1) return usage(ctx, error('X0003', undefined, { what: ' <policy-dir>' }), this.usage);
    const paths = args.multi.get('facts') ?? [];
    if (paths.length === 0) return usage(ctx, error('X0003', undefined, { what: ' --facts <file|folder>' }), this.usage);
    const asOf = asOfOf(ctx, args);
    const format = choice(ctx, args, 'format', ['text', 'json'], 'text');
    if (!asOf || !format) return EXIT.usage;
    const loaded = loadPolicyOrReport(ctx, args.positionals[0]);
    if (!loaded?.policy) return EXIT.diagnostics;
    const policy = loaded.policy;
    const facts = await loadFactsSetOrReport(ctx, policy, paths);
    if (!facts) return EXIT.badFacts;
    const report = evaluate(policy, facts, { asOf, lang: ctx.lang });
    const quality = dataQuality(policy, facts, report, subjectInfos(policy, facts), ctx.lang);
    const outDir = args.values.get('out-dir');
    if (outDir) {
      try {
        mkdirSync(outDir, { recursive: true });
      } catch (e) {
        ctx.report([error('X0005', undefined, { path: outDir, ...fsDetail(errnoOf(e), undefined, 'write') })]);
        return EXIT.diagnostics;
      }
      for (const p of quality.prefectures) {
        const bytes = new Uint8Array(await chaseWorkbook(policy, p, ctx.lang).xlsx.writeBuffer() as ArrayBuffer);
        if (!emit(ctx, join(outDir, chaseFileName(p, ctx.lang)), [bytes])) return EXIT.diagnostics;
      }
    }
    const text = format === 'json' ? `${JSON.stringify(quality, null, 2)}\n` : dataQualityText(quality, ctx.lang);
    return emit(ctx, undefined, [text]) ? EXIT.ok : EXIT.diagnostics;
  },
});
