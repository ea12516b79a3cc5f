/**
 * `clausal api <policy-dir> [--host 127.0.0.1] [--port 8181] [--token T] [--record DB]`: the
 * decision API (src/api/server.ts). Runs until interrupted, then exits 0; exit 1 when it cannot
 * start, 2 on usage errors. With `--record`, the records database stays open (and locked for
 * other writers) while the API runs.
 */
import { error } from '../model/diagnostics.js';
import { DecisionApiStartError, startDecisionApi } from '../api/server.js';
import { isLoopback } from '../serve/http.js';
import { openRecords, type RecordsDb } from '../records/database.js';
import { policyFiles } from '../records/run-record.js';
import { untilStopped } from './until-stopped.js';
import { EXIT, loadPolicyOrReport, registerCommand, usage } from './main.js';

const USAGE = 'clausal api <policy-dir> [--host 127.0.0.1] [--port 8181] [--token TOKEN] [--record DB] [--max-body BYTES]';

registerCommand('api', {
  options: { port: 'value', host: 'value', token: 'value', record: 'value', 'max-body': 'value' },
  usage: USAGE,
  async run(args, ctx) {
    if (args.positionals.length !== 1) return usage(ctx, error('X0003', undefined, { what: ' <policy-dir>' }), USAGE);
    const portText = args.values.get('port') ?? '8181';
    const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 0 && port <= 65535)) return usage(ctx, error('X0004', undefined, { option: '--port', value: portText, expected: '0-65535' }));
    const maxText = args.values.get('max-body');
    if (maxText !== undefined && !/^[1-9]\d{0,10}$/.test(maxText)) return usage(ctx, error('X0004', undefined, { option: '--max-body', value: maxText, expected: 'a positive integer' }));
    const host = args.values.get('host') ?? '127.0.0.1';
    const token = args.values.get('token') ?? ctx.io.env.CLAUSAL_API_TOKEN;
    if (!isLoopback(host) && !token) {
      ctx.report([error('X0504', undefined, { host })]);
      return EXIT.usage;
    }
    const loaded = loadPolicyOrReport(ctx, args.positionals[0]);
    if (!loaded?.policy) return EXIT.diagnostics;
    let records: RecordsDb | undefined;
    const recordPath = args.values.get('record');
    if (recordPath) {
      const opened = await openRecords(recordPath, { mode: 'write' });
      if (!opened.db) {
        ctx.report([opened.problem]);
        return EXIT.diagnostics;
      }
      if (opened.notes.length) ctx.report(opened.notes);
      records = opened.db;
    }
    let running;
    try {
      running = await startDecisionApi({
        policy: loaded.policy, policyHash: policyFiles(loaded, args.positionals[0], ctx.io.cwd).policyHash, host, port, token, records,
        maxBodyBytes: maxText === undefined ? undefined : Number(maxText), today: ctx.io.today ? () => ctx.io.today! : undefined,
      });
    } catch (e) {
      records?.close();
      if (e instanceof DecisionApiStartError) {
        ctx.report([e.diagnostic]);
        return EXIT.diagnostics;
      }
      throw e;
    }
    ctx.io.stdout.write(ctx.lang === 'zh'
      ? `决策接口已启动：${running.url}  （政策 ${loaded.policy.id} ${loaded.policy.version}${records ? `，决策记录写入 ${recordPath}` : ''}；按 Ctrl+C 停止）\n`
      : `decision API running at ${running.url}  (policy ${loaded.policy.id} ${loaded.policy.version}${records ? `, decisions recorded in ${recordPath}` : ''}; Ctrl+C to stop)\n`);
    await untilStopped(running.server);
    await running.close();
    records?.close();
    return EXIT.ok;
  },
});
