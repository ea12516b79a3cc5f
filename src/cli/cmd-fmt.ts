/**
 * `clausal fmt <file>... [--check]`: rewrites rule files in canonical layout (atomically), or
 * with `--check` only lists the files that are not (exit 1), for CI.
 */
import { fileKindArgs, fsWords } from '../model/fs-problem.js';
import { readTextFile } from '../loader/read-text.js';
import { error, type Diagnostic } from '../model/diagnostics.js';
import { formatClauseText, type FormatResult } from '../syntax/format.js';
import { formatYamlText } from '../syntax/format-yaml.js';
import { EXIT, registerCommand, usage } from './main.js';
import { writeFileAtomic } from './write-atomic.js';
import { OutputError } from '../pipeline/engine.js';

function formatText(path: string, text: string): FormatResult | undefined {
  if (path.endsWith('.clause')) return formatClauseText(path, text);
  if (path.endsWith('.yaml') || path.endsWith('.yml')) return formatYamlText(path, text);
  return undefined;
}

registerCommand('fmt', {
  options: { check: 'flag' },
  usage: 'clausal fmt <file>... [--check] [--force]',
  run(args, ctx) {
    if (args.positionals.length === 0) return usage(ctx, error('X0003', undefined, { what: ' <file>' }), this.usage);
    let unformatted = 0;
    let failed = false;
    for (const path of args.positionals) {
      // Bounded and descriptor-based: `fmt` on a link to /dev/zero is refused, not read forever.
      const read = readTextFile(path, 4 * 1024 * 1024);
      if (!read.ok) {
        const why = read.problem === 'io' ? fsWords(read.detail) : read.problem === 'not-regular' ? { en: read.what, zh: String(fileKindArgs(read.what)['what.zh'] ?? read.what) } : { en: read.problem, zh: read.problem === 'too-large' ? '文件过大' : '不是有效的 UTF-8 编码' };
        ctx.report([error('X0006', undefined, { path: `${path} (${why.en})`, 'path.zh': `${path}（${why.zh}）` })]);
        failed = true;
        continue;
      }
      const text = read.text;
      const result = formatText(path, text);
      if (!result) {
        ctx.report([error('X0004', undefined, { option: 'fmt', value: path, expected: '.clause, .yaml or .yml' })]);
        failed = true;
        continue;
      }
      const diagnostics: Diagnostic[] = result.diagnostics;
      if (diagnostics.length) ctx.report(diagnostics, new Map([[path, text]]));
      if (result.output === undefined) {
        failed = true;
        continue;
      }
      if (result.output === text) continue;
      unformatted++;
      if (args.flags.has('check')) {
        ctx.io.stdout.write(`${path}\n`);
        continue;
      }
      try {
        // fmt rewrites its input on purpose; a read-only file still needs --force.
        writeFileAtomic(path, [result.output], { ...ctx.outRules, rewrites: true });
        ctx.io.stdout.write(ctx.lang === 'zh' ? `已格式化 ${path}\n` : `formatted ${path}\n`);
      } catch (e) {
        if (!(e instanceof OutputError)) throw e;
        ctx.report([e.diagnostic]);
        failed = true;
      }
    }
    if (failed) return EXIT.diagnostics;
    return args.flags.has('check') && unformatted > 0 ? EXIT.diagnostics : EXIT.ok;
  },
});
