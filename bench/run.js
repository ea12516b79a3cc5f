#!/usr/bin/env node
// `npm run bench`: the benchmark suite. Plain Node scripts, not timed unit tests: each section
// runs in its own process, every comparison is measured in the same run, and the table is
// printed and written to bench/results.json (git-ignored). docs/performance.md explains the
// figures and how to read them on a shared machine.
//
//   node bench/run.js                 the default suite (about 5 minutes on 2 cores)
//   node bench/run.js --scale         adds 1,000,000 institutions end to end and 5,000,000 streamed workers
//   node bench/run.js --only core,e2e sections: compile, lsp, api, core, e2e, four, stream, html
//                                     (national: only when named, see bench/national.js)
//                                     (memory: with --scale only, see bench/memory-1m.js)
//                                     (four with --scale: also 1,000,000 institutions)
//
// Requires a build (npm run build). Generated inputs are cached in $CLAUSAL_BENCH_DATA
// (default: the system temp directory, clausal-bench/); they take a few GB with --scale.

import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { AS_OF, CLI, DATA, POLICY, ROOT, fmt, loadAverage, province, runNode } from './lib/common.js';

const argv = process.argv.slice(2);
const scale = argv.includes('--scale');
const onlyArg = argv.includes('--only') ? argv[argv.indexOf('--only') + 1].split(',') : undefined;
const want = (s) => !onlyArg || onlyArg.includes(s);
if (!existsSync(join(ROOT, 'dist/cli/main.js'))) {
  console.error('bench: build first (npm run build)');
  process.exit(2);
}

const started = performance.now();
const results = {
  machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, memGb: Math.round(totalmem() / 2 ** 30), platform: process.platform },
  startedAt: new Date().toISOString(),
  loadAverageAtStart: loadAverage(),
  sections: {},
  targets: [],
};
const rows = [];
const row = (section, what, figure, target, met, note = '') => {
  rows.push({ section, what, figure, target, met, note });
  if (target) results.targets.push({ section, what, figure, target, met });
};
const say = (s) => process.stderr.write(`${s}\n`);

/** Lines that differ between two files of the same length in lines. */
function differingLines(a, b) {
  const x = readFileSync(a, 'utf8').split('\n');
  const y = readFileSync(b, 'utf8').split('\n');
  let n = Math.abs(x.length - y.length);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) n++;
  return n;
}

async function sha(file) {
  const h = createHash('sha256');
  for await (const c of createReadStream(file)) h.update(c);
  return h.digest('hex');
}

function child(script, args = []) {
  const r = runNode([join(ROOT, 'bench', script), ...args, '--json']);
  if (r.status !== 0) throw new Error(`${script} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

const clausal = (facts, more, out) => [CLI, 'eval', POLICY, '--facts', facts, '--as-of', AS_OF, '--max-subjects', '20000000', '--max-facts-size', String(2 ** 31), ...more, ...(out ? ['--out', out] : [])];
function evalRun(label, facts, more, out, opts) {
  say(`  ${label}…`);
  const r = runNode(clausal(facts, more, out), opts);
  if (r.status !== 0) throw new Error(`${label} failed (${r.status}):\n${r.stderr}`);
  return { wallS: r.wall / 1000, cpuS: r.cpu / 1000, maxRssMb: r.maxRssMb, outMb: out && existsSync(out) ? Math.round(statSync(out).size / 1e6) : undefined };
}
function handRun(facts, out) {
  say('  hand-written script…');
  const r = runNode([join(ROOT, 'bench/handwritten-eval.js'), facts, AS_OF, out]);
  if (r.status !== 0) throw new Error(`hand-written failed:\n${r.stderr}`);
  return { wallS: r.wall / 1000, cpuS: r.cpu / 1000, maxRssMb: r.maxRssMb, outMb: Math.round(statSync(out).size / 1e6) };
}

// ── 1. compile ──
if (want('compile')) {
  say('compile…');
  const c = child('compile.js');
  results.sections.compile = c;
  row('compile', 'cold (first load of the policy in a process)', `${fmt(c.coldMs)} ms`);
  row('compile', `warm (median of ${c.runs}; ${c.rules} rules)`, `${fmt(c.warmMs, 1)} ms`, '< 50 ms', c.warmMs < 50);
}

// ── 1b. language server (bench/lsp.js) ──
if (want('lsp')) {
  say('lsp…');
  const l = child('lsp.js');
  results.sections.lsp = l;
  row('lsp', `keystroke → diagnostics over stdio (median of ${l.runs}, warm; p90 ${fmt(l.keystrokeP90Ms, 1)} ms, min ${fmt(l.keystrokeMinMs, 1)} ms)`, `${fmt(l.keystrokeMs, 1)} ms`, '≤ 50 ms', l.keystrokeMs <= 50);
  row('lsp', 'same re-check in process, no protocol (baseline)', `${fmt(l.recheckMs, 1)} ms`, '', undefined, `min ${fmt(l.recheckMinMs, 1)} ms; protocol ${l.protocolOverhead.toFixed(2)}x; cold loadPolicy ${fmt(l.loadPolicyMs, 1)} ms`);
}

// ── 2. core evaluation ──
if (want('core')) {
  say('core evaluation…');
  const c = child('core.js');
  results.sections.core = c;
  const all = c.results['all rules'];
  const sub = c.results['rules JSON Logic can express'];
  row('core', `engine, all ${c.rules} rules, ${fmt(c.subjectsEvaluated)} subjects`, `${(all.engine.perSec / 1e6).toFixed(2)}M evals/s`);
  row('core', 'hand-written JS, same rules', `${(all.handwritten.perSec / 1e6).toFixed(2)}M evals/s`);
  row('core', 'hand-written / engine (all rules)', `${all.ratio.toFixed(2)}x`, '≤ 2.5x', all.ratio <= 2.5, `status mismatches: ${c.statusMismatchesVsHandwritten}`);
  row('core', `hand-written / engine (${c.exportableRules} exportable rules)`, `${sub.ratio.toFixed(2)}x`, '≤ 2.5x', sub.ratio <= 2.5);
  row('core', `json-logic-js on the export (${fmt(c.jsonLogic.sampleSubjects)} subjects)`, `${(c.jsonLogic.perSec / 1e6).toFixed(3)}M evals/s`);
  row('core', 'engine / json-logic-js (same rules)', `${c.jsonLogic.engineRatio.toFixed(1)}x`, '≥ 20x', c.jsonLogic.engineRatio >= 20, `hand-written / json-logic-js: ${(sub.handwritten.perSec / c.jsonLogic.perSec).toFixed(1)}x`);
  row('core', `json-rules-engine (${c.jreRules} rules, ${fmt(c.jsonRulesEngine.sampleSubjects)} subjects)`, `${(c.jsonRulesEngine.perSec / 1e6).toFixed(4)}M evals/s`);
  row('core', 'engine / json-rules-engine (same rules)', `${fmt(c.jsonRulesEngine.engineRatio)}x`);
}

// ── 3. end to end ──
function endToEnd(name, facts, label, withFull = true) {
  const handOut = join(DATA, `${name}-hand.ndjson`);
  const statusOut = join(DATA, `${name}-status.ndjson`);
  const fullOut = join(DATA, `${name}-full.ndjson`);
  const hand = handRun(facts, handOut);
  const status = evalRun('clausal --fields status', facts, ['--format', 'ndjson', '--fields', 'status'], statusOut);
  const full = withFull ? evalRun('clausal (full output)', facts, ['--format', 'ndjson'], fullOut) : undefined;
  return { label, hand, status, full, handOut, statusOut };
}
if (want('e2e')) {
  say('end to end, 100,000 institutions…');
  const facts = province('e2e-100k.json', ['--institutions', '100000']);
  const e = endToEnd('e2e-100k', facts, '100,000 institutions');
  const same = (await sha(e.handOut)) === (await sha(e.statusOut));
  const statusRatio = e.status.wallS / e.hand.wallS;
  const fullRatio = e.full.wallS / e.hand.wallS;
  results.sections.e2e100k = { facts, factsMb: Math.round(statSync(facts).size / 1e6), hand: e.hand, status: e.status, full: e.full, sameBytes: same, statusRatio, fullRatio, loadAverage: loadAverage() };
  row('e2e 100k', `hand-written script (${results.sections.e2e100k.factsMb} MB JSON in, ${e.hand.outMb} MB out)`, `${e.hand.wallS.toFixed(1)} s, ${e.hand.maxRssMb} MB`);
  row('e2e 100k', `clausal --fields status (same bytes: ${same ? 'yes' : 'NO'})`, `${e.status.wallS.toFixed(1)} s, ${e.status.maxRssMb} MB`);
  row('e2e 100k', 'clausal --fields status / hand-written', `${statusRatio.toFixed(2)}x`, '≤ 2x', statusRatio <= 2);
  row('e2e 100k', `clausal full output with explanations (${e.full.outMb} MB)`, `${e.full.wallS.toFixed(1)} s, ${e.full.maxRssMb} MB`);
  row('e2e 100k', 'clausal full / hand-written', `${fullRatio.toFixed(2)}x`, '≤ 2x', fullRatio <= 2);
  const peak = Math.max(e.status.maxRssMb, e.full.maxRssMb);
  row('e2e 100k', 'peak RSS of clausal', `${peak} MB`, '< 1024 MB', peak < 1024);
  if (scale) {
    say('end to end, 1,000,000 institutions…');
    const big = province('e2e-1m.json', ['--institutions', '1000000']);
    const m = endToEnd('e2e-1m', big, '1,000,000 institutions');
    results.sections.e2e1m = { facts: big, factsMb: Math.round(statSync(big).size / 1e6), hand: m.hand, status: m.status, full: m.full, loadAverage: loadAverage() };
    row('e2e 1M', `hand-written script (${results.sections.e2e1m.factsMb} MB in)`, `${m.hand.wallS.toFixed(1)} s, ${m.hand.maxRssMb} MB`);
    row('e2e 1M', 'clausal --fields status', `${m.status.wallS.toFixed(1)} s, ${m.status.maxRssMb} MB`);
    row('e2e 1M', `clausal full output (${m.full.outMb} MB)`, `${m.full.wallS.toFixed(1)} s, ${m.full.maxRssMb} MB`);
  }
}

// ── 1d. the SQL export as a cluster gets it (bench/sql-dialects.js): Trino parse, DuckDB run ──
if (want('sql')) {
  say('sql dialects…');
  const q = child('sql-dialects.js');
  results.sections.sql = q;
  row('sql', `trino query of all ${q.rules} rules (${fmt(q.trinoChars)} chars) parsed, node-sql-parser`, `${fmt(q.trinoParseMs)} ms`);
  row('sql', `same query (duckdb dialect) run in DuckDB, ${fmt(q.rows)} rows into a table`, `${fmt(q.duckQueryMs)} ms`, '', undefined, `CPU ${fmt(q.duckQueryCpuMs)} ms; tables loaded in ${fmt(q.duckLoadMs)} ms; ${fmt(q.institutions)} institutions`);
  row('sql', 'in-process engine, same facts, no explanations (baseline)', `${fmt(q.inProcessMs)} ms`, '', undefined, `DuckDB query / in-process: ${q.queryVsInProcess.toFixed(2)}x`);
}

// ── 1c. decision API (bench/api.js) ──
if (want('api')) {
  say('decision API…');
  const a = child('api.js');
  results.sections.api = a;
  for (const s of a.settings) {
    row('api', `POST /v1/evaluate, one institution, ${s.clients} client${s.clients > 1 ? 's' : ''}${s.record ? ', --record' : ''} (${s.requests} requests, ${s.failed} failed)`, `${fmt(s.perSecond, 0)} req/s`, '', undefined, `p50 ${fmt(s.p50Ms, 1)} ms, p99 ${fmt(s.p99Ms, 1)} ms`);
  }
  if (a.inProcess.perSecond) row('api', 'same evaluation in process, no HTTP (baseline)', `${fmt(a.inProcess.perSecond, 0)} /s`);
}

// ── 3b. four rules, end to end (bench/four-rules.js, bench/baselines/) ──
// The same four rules over the same generated province, from the same JSON file to the same
// NDJSON statuses, in one run: a plain Node loop, hand-written DuckDB SQL, json-logic-js on the
// exported rules, and clausal with each engine. `--scale` adds 1,000,000 institutions.
if (want('four')) {
  const { FOUR_RULES } = await import('./four-rules.js');
  results.sections.four = [];
  for (const [n, name] of scale ? [[100_000, 'e2e-100k.json'], [1_000_000, 'e2e-1m.json']] : [[100_000, 'e2e-100k.json']]) {
    const tag = n === 100_000 ? '100k' : '1M';
    say(`four rules (三（一）、三（二）、三（九）、三（十）), ${fmt(n)} institutions…`);
    const facts = province(name, ['--institutions', String(n)]);
    const out = (what) => join(DATA, `four-${tag}-${what}.ndjson`);
    const runs = {};
    const measure = (key, label, args) => {
      say(`  ${label}…`);
      const r = runNode(args);
      if (r.status !== 0) throw new Error(`${label} failed:\n${r.stderr}`);
      runs[key] = { wallS: r.wall / 1000, cpuS: r.cpu / 1000, maxRssMb: r.maxRssMb };
    };
    measure('loop', 'plain Node loop', [join(ROOT, 'bench/handwritten-eval.js'), facts, AS_OF, out('loop'), FOUR_RULES.join(',')]);
    measure('sql', 'hand-written DuckDB SQL', [join(ROOT, 'bench/baselines/run-sql.js'), join(ROOT, 'bench/baselines/four-rules.sql'), facts, out('sql')]);
    measure('jsonlogic', 'json-logic-js', [join(ROOT, 'bench/baselines/four-jsonlogic.js'), facts, AS_OF, out('jsonlogic'), FOUR_RULES.join(',')]);
    measure('inProcess', 'clausal, in-process engine', [join(ROOT, 'bench/four-rules.js'), facts, AS_OF, out('in-process'), 'in-process']);
    measure('duckdb', 'clausal, duckdb engine', [join(ROOT, 'bench/four-rules.js'), facts, AS_OF, out('duckdb'), 'duckdb']);
    const loopSha = await sha(out('loop'));
    const same = {};
    for (const k of ['sql', 'inProcess', 'duckdb']) same[k] = (await sha(out(k === 'inProcess' ? 'in-process' : k))) === loopSha;
    // JSON Logic is two-valued: count the lines it decides differently (the engine's `unknown`s).
    const differ = differingLines(out('loop'), out('jsonlogic'));
    const sec = { institutions: n, ...runs, same, jsonLogicDifferingLines: differ, loadAverage: loadAverage() };
    results.sections.four.push(sec);
    const cell = (r) => `${r.wallS.toFixed(1)} s, ${r.maxRssMb} MB`;
    const yes = (b) => (b ? 'yes' : 'NO');
    row(`four ${tag}`, 'plain Node loop (JSON.parse, 4 rules, NDJSON statuses)', cell(runs.loop));
    row(`four ${tag}`, `hand-written DuckDB SQL (same bytes: ${yes(same.sql)})`, cell(runs.sql));
    row(`four ${tag}`, `json-logic-js on the export (two-valued: ${fmt(differ)} lines differ)`, cell(runs.jsonlogic));
    row(`four ${tag}`, `clausal in-process (same bytes: ${yes(same.inProcess)})`, cell(runs.inProcess));
    row(`four ${tag}`, `clausal --engine duckdb (same bytes: ${yes(same.duckdb)})`, cell(runs.duckdb));
    const r1 = runs.inProcess.wallS / runs.loop.wallS;
    const r2 = runs.duckdb.wallS / runs.sql.wallS;
    const r3 = runs.duckdb.wallS / runs.inProcess.wallS;
    row(`four ${tag}`, 'in-process / plain Node loop', `${r1.toFixed(2)}x`, '≤ 1.5x', r1 <= 1.5);
    row(`four ${tag}`, 'duckdb engine / hand-written DuckDB SQL', `${r2.toFixed(2)}x`, '≤ 2x', r2 <= 2);
    row(`four ${tag}`, 'duckdb engine / in-process engine', `${r3.toFixed(2)}x`, '≤ 1.0x', r3 <= 1);
    row(`four ${tag}`, 'in-process / json-logic-js', `${(runs.inProcess.wallS / runs.jsonlogic.wallS).toFixed(2)}x`);
  }
}

// ── 4. streaming ──
if (want('stream')) {
  results.sections.stream = [];
  const sizes = scale ? [100_000, 1_000_000, 5_000_000] : [100_000, 1_000_000];
  for (const workers of sizes) {
    say(`streaming ${fmt(workers)} workers…`);
    // 20,000 institutions and the default regions are held; the workers stream.
    const facts = province(`stream-${workers}.ndjson`, ['--institutions', '20000', '--workers', String(workers), '--format', 'ndjson']);
    // Output to /dev/null (stdout ignored): the figure is the engine's, not the disk's. The heap
    // is capped at 256 MB: without a cap V8 lets garbage pile up to a few hundred MB before it
    // collects, which says nothing about what the stream keeps; with it, a run that kept its
    // subjects would fail.
    const r = runNode(['--max-old-space-size=256', ...clausal(facts, ['--format', 'ndjson', '--fields', 'status', '--stream'])], { discardStdout: true });
    if (r.status !== 0) throw new Error(`streaming failed:\n${r.stderr}`);
    const s = { workers, wallS: r.wall / 1000, cpuS: r.cpu / 1000, maxRssMb: r.maxRssMb, workersPerSec: workers / (r.wall / 1000) };
    results.sections.stream.push(s);
    row('stream', `${fmt(workers)} workers streamed (20,000 institutions held; heap cap 256 MB)`, `${s.wallS.toFixed(1)} s, ${s.maxRssMb} MB`, '', undefined, `${fmt(s.workersPerSec)} workers/s`);
  }
  const first = results.sections.stream[0];
  const last = results.sections.stream[results.sections.stream.length - 1];
  const growth = last.maxRssMb - first.maxRssMb;
  row('stream', `RSS growth ${fmt(first.workers)} → ${fmt(last.workers)} workers`, `${growth} MB`, 'flat (< 50 MB)', growth < 50);
}

// ── 5b. national scale, Parquet in and out (bench/national.js; only with --only national) ──
if (onlyArg?.includes('national')) (await import('./national.js')).national({ row, say, results });
// ── 5c. the 1M memory target (bench/memory-1m.js; only with --scale) ──
if (scale && want('memory')) (await import('./memory-1m.js')).memory({ row, say, results });

// ── 6. HTML report ──
if (want('html')) {
  if (!existsSync(join(ROOT, 'dist/report/html.js'))) {
    row('html', 'HTML report', 'not built (src/report/html.ts absent)');
  } else {
    say('HTML report, 100,000 institutions…');
    const facts = province('e2e-100k.json', ['--institutions', '100000']);
    const out = join(DATA, 'report-100k.html');
    const html = evalRun('--format html', facts, ['--format', 'html'], out);
    const subjects = 15_545 + 100_000 + 50_000;
    results.sections.html = { ...html, subjects, sizeMb: Number((statSync(out).size / 1e6).toFixed(1)) };
    row('html', `report of ${fmt(subjects)} subjects (eval + render)`, `${html.wallS.toFixed(1)} s, ${results.sections.html.sizeMb} MB`, '', undefined, `peak RSS ${html.maxRssMb} MB`);
    if (existsSync('/usr/bin/chromium')) {
      say('  time to interactive in Chromium…');
      const tti = child('html-tti.js', [out]);
      results.sections.html.tti = tti;
      row('html', 'interactive in Chromium, fastest of 3 loads (page clock; main-thread CPU)', `${fmt(tti.fastestReadyMs)} ms; ${fmt(tti.fastestCpuMs)} ms CPU`, '< 3,000 ms', tti.fastestReadyMs < 3000);
      row('html', `show all ${fmt(tti.results)} results; one search`, `${fmt(tti.showAllMs)} ms; ${fmt(tti.searchMs)} ms`);
    } else {
      row('html', 'time to interactive', 'not measured: /usr/bin/chromium is missing');
    }
  }
}

results.totalS = (performance.now() - started) / 1000;
results.loadAverageAtEnd = loadAverage();
writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);

// The table.
const w = [10, 62, 26, 11, 5];
const line = (cells) => cells.map((c, i) => String(c ?? '').padEnd(w[i])).join(' ').trimEnd();
console.log(`\nclausal benchmarks — Node ${process.version}, ${results.machine.cpus} CPUs (${results.machine.cpuModel}), ${results.machine.memGb} GB; load average ${results.loadAverageAtStart} at start, ${results.loadAverageAtEnd} at end\n`);
console.log(line(['section', 'measure', 'figure', 'target', 'met']));
console.log(line(w.map((n) => '-'.repeat(n))));
for (const r of rows) {
  console.log(line([r.section, r.what, r.figure, r.target, r.met === undefined ? '' : r.met ? 'yes' : 'NO']));
  if (r.note) console.log(line(['', `  ${r.note}`]));
}
console.log(`\nsuite time ${results.totalS.toFixed(0)} s; results in bench/results.json`);
