#!/usr/bin/env node
// Language server: `clausal lsp --stdio` in a child process, driven as an editor drives it. Each
// keystroke is a didChange of the bundled policy's 30-posts.clause (a real edit: a parameter's
// name loses and regains a letter, so the check alternates between an error and a clean policy);
// the figure is the time from sending it to receiving the file's publishDiagnostics, i.e. the
// full re-check of the policy (all its files, its source text, the supplement built on it) plus
// the protocol. Baseline in the same run: the same re-check in this process without the protocol,
// and a cold load of the policy from disk as `clausal check` does it. The minimum is reported
// beside the median: on a shared machine it is the closest figure to the work itself.
//
//   node bench/lsp.js [--json]

import { spawn } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { CLI, ROOT, median } from './lib/common.js';

const FAMILY = realpathSync(join(ROOT, 'policies/yunnan-social-work'));
const FILE = join(FAMILY, '2021/30-posts.clause');
const WARMUP = 20;
const RUNS = 60;
const text = readFileSync(FILE, 'utf8');
const variant = (i) => (i % 2 ? text.replace('civil_affairs_share *', 'civil_affairs_shar *') : `${text}\n`);

const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];

async function overStdio() {
  const child = spawn(process.execPath, [CLI, 'lsp', '--stdio', '--as-of', '2022-06-01'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const uri = pathToFileURL(FILE).href;
  let waiting;
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    if (p.uri === uri && waiting) {
      const w = waiting;
      waiting = undefined;
      w(p.diagnostics);
    }
  });
  conn.listen();
  const t0 = performance.now();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(FAMILY).href, capabilities: {} });
  await conn.sendNotification('initialized', {});
  const initMs = performance.now() - t0;
  let next = new Promise((r) => (waiting = r));
  const t1 = performance.now();
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'clause', version: 1, text } });
  await next;
  const firstCheckMs = performance.now() - t1;
  const times = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    next = new Promise((r) => (waiting = r));
    const t = performance.now();
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ text: variant(i) }] });
    const diags = await next;
    if ((i % 2 === 1) !== diags.length > 0) throw new Error(`keystroke ${i}: unexpected diagnostics ${JSON.stringify(diags)}`);
    if (i >= WARMUP) times.push(performance.now() - t);
  }
  const exited = new Promise((r) => child.once('exit', r));
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  await exited;
  conn.dispose();
  return { initMs, firstCheckMs, keystrokeMs: median(times), keystrokeP90Ms: p90(times), keystrokeMinMs: Math.min(...times) };
}

async function inProcess() {
  const { LspWorkspace } = await import('../dist/lsp/lsp-workspace.js');
  const { loadPolicy } = await import('../dist/loader/load-policy.js');
  const ws = new LspWorkspace([FAMILY]);
  const times = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const t = performance.now();
    const at = ws.setText(FILE, variant(i));
    for (const d of ws.dependents(at.root, '2021')) ws.compile(at.root, d);
    if (i >= WARMUP) times.push(performance.now() - t);
  }
  const cold = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    loadPolicy(join(FAMILY, '2021'));
    cold.push(performance.now() - t);
  }
  return { recheckMs: median(times), recheckP90Ms: p90(times), recheckMinMs: Math.min(...times), loadPolicyMs: median(cold) };
}

const stdio = await overStdio();
const local = await inProcess();
const out = { ...stdio, ...local, runs: RUNS, protocolOverhead: stdio.keystrokeMs / local.recheckMs, vsLoadPolicy: stdio.keystrokeMs / local.loadPolicyMs };
if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(out));
else console.log(out);
