#!/usr/bin/env node
// The SQL export as a cluster would get it (docs/embedding/beyond-one-machine.en.md), measured on
// one machine: the whole bundled policy printed in the trino and duckdb dialects for one date;
// the Trino query parsed by node-sql-parser in Trino mode (what the tests check: no Trino runs
// here); and the same query, in the duckdb dialect, run by DuckDB over the generated province's
// fact tables into a table (every result column computed). Baseline in the same run: the
// in-process engine deciding the same facts (statuses, due dates, missing facts, no explanations).
//
//   node bench/sql-dialects.js [--institutions N] [--json]

import { readFileSync } from 'node:fs';

const { loadPolicy } = await import('../dist/loader/load-policy.js');
const { loadFactsText } = await import('../dist/facts/parse-facts.js');
const { DEFAULT_FACTS_LIMITS } = await import('../dist/facts/facts.js');
const { evaluate } = await import('../dist/eval/evaluate.js');
const { sqlLowering } = await import('../dist/sql/unsupported.js');
const { DIALECTS } = await import('../dist/sql/dialects.js');
const { resultQuery } = await import('../dist/sql/print-sql.js');
const { columnsRead, loadFactTables } = await import('../dist/sql/duckdb-engine.js');
const { DuckDBInstance } = await import('@duckdb/node-api');
const { default: sqlParser } = await import('node-sql-parser');
const { AS_OF, POLICY, cpuMs, loadAverage, province } = await import('./lib/common.js');

const argv = process.argv.slice(2);
const institutions = argv.includes('--institutions') ? Number(argv[argv.indexOf('--institutions') + 1]) : 20_000;
const facts = province(`sql-${institutions}.json`, ['--institutions', String(institutions)]);

const policy = loadPolicy(POLICY).policy;
const loaded = loadFactsText(policy, facts, readFileSync(facts, 'utf8'), 'json', { ...DEFAULT_FACTS_LIMITS, maxSubjects: 20_000_000 });
if (!loaded.facts) throw new Error('sql-dialects: the generated facts did not load');

const lowered = sqlLowering(policy, AS_OF);
if (lowered.unsupported.length) throw new Error('sql-dialects: the bundled policy has rules the SQL refuses');
const trino = resultQuery(lowered, DIALECTS.trino);
const duck = resultQuery(lowered, DIALECTS.duckdb);

let t = performance.now();
const ast = new sqlParser.Parser().astify(trino, { database: 'trino' });
const trinoParseMs = performance.now() - t;
if ((Array.isArray(ast) ? ast.length : 1) !== 1) throw new Error('sql-dialects: the Trino query is not one statement');

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
t = performance.now();
const bad = await loadFactTables(connection, columnsRead(lowered), loaded.facts);
if (bad.length) throw new Error('sql-dialects: the facts did not fit the tables');
const duckLoadMs = performance.now() - t;
t = performance.now();
let c = cpuMs();
await connection.run(`CREATE TEMP TABLE results AS ${duck}`);
const duckQueryMs = performance.now() - t;
const duckQueryCpuMs = cpuMs() - c;
const rows = Number((await connection.runAndReadAll('SELECT count(*) AS n FROM results')).getRowObjectsJS()[0].n);
connection.closeSync();
instance.closeSync();

t = performance.now();
c = cpuMs();
const inProcess = evaluate(policy, loaded.facts, { asOf: AS_OF, explain: false });
const inProcessMs = performance.now() - t;
const inProcessCpuMs = cpuMs() - c;
if (inProcess.results.length !== rows) throw new Error(`sql-dialects: DuckDB gave ${rows} rows, the engine ${inProcess.results.length}`);

const out = {
  institutions,
  subjects: loaded.facts.subjects.length,
  rows,
  rules: lowered.rules.length,
  trinoChars: trino.length,
  duckdbChars: duck.length,
  trinoParseMs,
  duckLoadMs,
  duckQueryMs,
  duckQueryCpuMs,
  inProcessMs,
  inProcessCpuMs,
  queryVsInProcess: duckQueryMs / inProcessMs,
  loadAverage: loadAverage(),
};
if (argv.includes('--json')) process.stdout.write(JSON.stringify(out));
else console.log(out);
