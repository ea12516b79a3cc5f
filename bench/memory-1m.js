// Section `memory` of bench/run.js (only with `--scale`: it reads a 388 MB JSON file for minutes):
// the memory target. The whole bundled policy over 1,000,000 institutions and 500,000
// workers (scripts/gen-province.js --institutions 1000000), in-process engine, full NDJSON output
// (explanations included) to `--out`, peak RSS from /usr/bin/time -v. Target: at most 1 GB.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { AS_OF, CLI, DATA, POLICY, loadAverage, province } from './lib/common.js';

/** Runs the section and adds its rows. */
export function memory({ row, say, results }) {
  const facts = province('e2e-1m.json', ['--institutions', '1000000']);
  say('memory: whole policy, 1,000,000 institutions + 500,000 workers, full output, in-process…');
  const load = loadAverage();
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, CLI, 'eval', POLICY, '--facts', facts, '--as-of', AS_OF, '--format', 'ndjson', '--max-subjects', '2000000', '--max-facts-size', '1000000000', '--out', join(DATA, 'memory-1m.ndjson')], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
  const wallS = (performance.now() - t0) / 1000;
  const err = r.stderr.toString();
  if (r.status !== 0) throw new Error(`memory run failed:\n${err.slice(-2000)}`);
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1] ?? NaN);
  const mb = Math.round(kb / 1024);
  results.sections.memory = { wallS, maxRssMb: mb, loadAverage: [load, loadAverage()] };
  row('memory 1M', 'whole policy, full NDJSON output, in-process (peak RSS)', `${wallS.toFixed(0)} s, ${mb} MB`, '≤ 1024 MB', mb <= 1024);
}
