/**
 * `clausal serve [policy-dir] [--port 8080] [--host 127.0.0.1]`: the policy workbench, a local
 * web app to edit, check, evaluate and diff rules in the browser (see docs/workbench.md). Runs
 * until interrupted (Ctrl+C), then exits 0. Exit 1 when it cannot start, 2 on usage errors.
 */
import { error, warning } from '../model/diagnostics.js';
import { isLoopback, startWorkbench, WorkbenchStartError } from '../serve/server.js';
import { untilStopped } from './until-stopped.js';
import { EXIT, registerCommand, usage } from './main.js';

registerCommand('serve', {
  options: { port: 'value', host: 'value', token: 'value', 'allow-host': 'multi' },
  usage: 'clausal serve [policy-dir] [--port 8080] [--host 127.0.0.1 [--allow-host NAME]... [--token T]] [--lang zh|en]',
  async run(args, ctx) {
    if (args.positionals.length > 1) return usage(ctx, error('X0004', undefined, { option: '<policy-dir>', value: args.positionals.join(' '), expected: 'one directory' }), this.usage);
    const portText = args.values.get('port') ?? '8080';
    const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 0 && port <= 65535)) return usage(ctx, error('X0004', undefined, { option: '--port', value: portText, expected: '0-65535' }));
    const host = args.values.get('host');
    if (host !== undefined && !isLoopback(host)) ctx.report([warning('X0013', undefined, { host })]);
    const root = args.positionals[0] ?? ctx.io.cwd;
    let running;
    try {
      // Only an explicit --host may open the workbench beyond this machine.
      running = await startWorkbench({
        root, port, host: host ?? '127.0.0.1', allowRemote: host !== undefined,
        token: args.values.get('token') ?? ctx.io.env.CLAUSAL_SERVE_TOKEN, allowHosts: args.multi.get('allow-host'),
      });
    } catch (e) {
      if (e instanceof WorkbenchStartError) {
        ctx.report([e.diagnostic]);
        return EXIT.diagnostics;
      }
      throw e;
    }
    // The token is shown this once, inside the address to open: the page keeps it in a cookie.
    const address = running.token === undefined ? running.url : `${running.url}?token=${encodeURIComponent(running.token)}`;
    ctx.io.stdout.write(ctx.lang === 'zh'
      ? `政策工作台已启动：${address}  （按 Ctrl+C 停止）\n`
      : `policy workbench running at ${address}  (Ctrl+C to stop)\n`);
    await untilStopped(running.server);
    await running.close();
    return EXIT.ok;
  },
});
