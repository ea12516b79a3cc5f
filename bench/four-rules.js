#!/usr/bin/env node
// The in-process engine end to end on four rules of the bundled policy (三（一）、三（二）、三（九）、
// 三（十）: township-platform-posts, civil-affairs-post-share, agency-post-share, township-station),
// from a facts JSON file to NDJSON statuses (`--fields status`), through the same pipeline as
// `clausal eval` (facts source -> in-process engine -> NDJSON sink -> atomic --out). The policy is
// the bundled one with its other rules removed, which the CLI has no option for.
//
//   node bench/four-rules.js FACTS.json AS-OF OUT.ndjson [ENGINE]
//
// ENGINE: in-process (default) or duckdb (`--engine duckdb`).

import { join } from 'node:path';
import { ROOT } from './lib/common.js';

export const FOUR_RULES = ['township-platform-posts', 'civil-affairs-post-share', 'agency-post-share', 'township-station'];

if (process.argv[1] && process.argv[1].endsWith('four-rules.js')) {
  const [file, asOf, out, engineName = 'in-process'] = process.argv.slice(2);
  const dist = (p) => import(join(ROOT, 'dist', p));
  const { loadPolicy } = await dist('loader/load-policy.js');
  // Only the engine measured: loading DuckDB's native module is no part of an in-process run.
  await dist(engineName === 'duckdb' ? 'pipeline/duckdb-engine.js' : 'pipeline/in-process-engine.js');
  const { sinkNamed, engineNamed } = await dist('pipeline/engine.js');
  const engine = engineNamed(engineName);
  if (!engine) throw new Error(`four-rules: no engine ${engineName}`);
  await dist('pipeline/sinks.js');
  const { runEvaluation } = await dist('pipeline/run-eval.js');
  const { fileOutput } = await dist('cli/output.js');
  const { policy: whole } = loadPolicy(join(ROOT, 'policies/yunnan-social-work/2021'));
  const policy = { ...whole, rules: whole.rules.filter((r) => FOUR_RULES.includes(r.id)) };
  if (policy.rules.length !== FOUR_RULES.length) throw new Error('four-rules: a rule is missing from the bundled policy');
  const sink = sinkNamed('ndjson').create({ format: 'ndjson', output: fileOutput(out), lang: 'zh', fields: 'status', all: false, color: false, toFile: true });
  const run = await runEvaluation(engine, { paths: [file], limits: { maxSubjects: 20_000_000, maxErrors: 50, maxWarnings: 20, maxFileSize: 2 ** 31 } }, { policy, policyDir: '', asOf, lang: 'zh', omit: new Set(), stream: false }, sink);
  if (run.outcome !== 'ok') {
    console.error(JSON.stringify(run.diagnostics));
    process.exit(1);
  }
}
