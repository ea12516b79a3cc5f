#!/usr/bin/env node
// Decision API: `clausal api` on loopback in a child process, sent single-subject
// `POST /v1/evaluate` requests (one institution of the example province, its region chain
// included so references resolve) by 1, 16 and 64 concurrent clients, with and without
// `--record`. A bounded number of requests per setting; throughput and p50/p99 latency.
// Baseline in the same run: the same evaluation in this process through the library, no HTTP.
//
//   node bench/api.js [--json] [--requests N]

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CLI, ROOT } from './lib/common.js';

const argv = process.argv.slice(2);
const REQUESTS = argv.includes('--requests') ? Number(argv[argv.indexOf('--requests') + 1]) : 600;
const POLICY = join(ROOT, 'policies/yunnan-social-work/2021');
const AS_OF = '2023-03-01';

const province = parse(readFileSync(join(ROOT, 'policies/yunnan-social-work/examples/province.yaml'), 'utf8'));
const institution = province.institutions.find((i) => i.id === 'KM-SWH-01') ?? province.institutions[0];
const byId = new Map(province.regions.map((r) => [r.id, r]));
const chain = [];
for (let id = institution.region; id && byId.has(id); id = byId.get(id).parent) chain.unshift(byId.get(id));
const body = JSON.stringify({ facts: { regions: chain, institutions: [institution], workers: [] }, asOf: AS_OF, lang: 'zh' });

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))];

function start(extra) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'api', POLICY, '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => reject(new Error(`clausal api exited ${code}: ${err}`)));
  });
}

async function load(url, clients) {
  const latencies = [];
  let next = 0;
  let failed = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < REQUESTS) {
      next++;
      const s = performance.now();
      const r = await fetch(`${url}/v1/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await r.arrayBuffer();
      if (r.status !== 200) failed++;
      latencies.push(performance.now() - s);
    }
  }));
  const wall = performance.now() - t0;
  latencies.sort((a, b) => a - b);
  return { clients, requests: latencies.length, failed, perSecond: latencies.length / (wall / 1000), p50Ms: pct(latencies, 0.5), p99Ms: pct(latencies, 0.99) };
}

async function inProcessBaseline() {
  const api = await import(join(ROOT, 'dist/index.js'));
  const loaded = api.loadPolicy(POLICY);
  const facts = api.loadFactsText(loaded.policy, 'request.json', JSON.stringify(JSON.parse(body).facts), 'json').facts;
  for (let i = 0; i < 50; i++) api.evaluate(loaded.policy, facts, { asOf: AS_OF });
  const t0 = performance.now();
  const n = 2000;
  for (let i = 0; i < n; i++) {
    const f = api.loadFactsText(loaded.policy, 'request.json', JSON.stringify(JSON.parse(body).facts), 'json').facts;
    api.evaluate(loaded.policy, f, { asOf: AS_OF });
  }
  return { perSecond: n / ((performance.now() - t0) / 1000) };
}

const dir = mkdtempSync(join(tmpdir(), 'clausal-api-bench-'));
const settings = [];
try {
  for (const record of [false, true]) {
    const { child, url } = await start(record ? ['--record', join(dir, 'runs.duckdb')] : []);
    try {
      await load(url, 4); // warm-up
      for (const clients of [1, 16, 64]) settings.push({ record, ...(await load(url, clients)) });
    } finally {
      child.kill('SIGTERM');
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const baseline = await inProcessBaseline().catch((e) => ({ error: String(e) }));
const result = { requestsPerSetting: REQUESTS, bodyBytes: body.length, settings, inProcess: baseline };
if (argv.includes('--json')) process.stdout.write(JSON.stringify(result));
else console.log(JSON.stringify(result, null, 2));
