/**
 * `clausal lsp [--stdio] [--lang zh|en] [--as-of YYYY-MM-DD]`: the language server for editors,
 * speaking LSP over stdin/stdout (see docs/guide/editors.md). Runs until the editor shuts it
 * down, then exits 0. `--stdio` is accepted because editor clients pass it; stdio is the only
 * transport. `--lang` and `--as-of` are defaults the editor's settings override.
 */
import { createConnection } from 'vscode-languageserver/node';
import { startLanguageServer } from '../lsp/server.js';
import { asOfOf, EXIT, registerCommand, todayOf } from './main.js';

registerCommand('lsp', {
  options: { stdio: 'flag', 'as-of': 'value' },
  usage: 'clausal lsp [--stdio] [--lang zh|en] [--as-of YYYY-MM-DD]',
  async run(args, ctx) {
    const fixed = args.values.has('as-of') ? asOfOf(ctx, args) : undefined;
    if (args.values.has('as-of') && !fixed) return EXIT.usage;
    const connection = createConnection(process.stdin, process.stdout);
    const explicitLang = args.values.get('lang') === undefined ? undefined : ctx.lang;
    // Without --as-of, "today" is asked anew on each hover: an editor session outlives a day.
    startLanguageServer(connection, { today: () => fixed ?? todayOf(ctx.io), lang: explicitLang });
    await new Promise<void>((resolve) => connection.onExit(() => resolve()));
    return EXIT.ok;
  },
});
