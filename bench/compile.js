#!/usr/bin/env node
// Compile: parse + check + compile of the bundled policy. Cold is the first time in a fresh
// process (modules already imported, nothing else warm); warm is the median of later runs,
// each on freshly read files (loadPolicy) compiled anew (compilePolicy is cached per policy
// object, and every run makes a new one).
//
//   node bench/compile.js [--json]

const t0 = performance.now();
const { loadPolicy } = await import('../dist/loader/load-policy.js');
const { compilePolicy } = await import('../dist/eval/evaluate.js');
const importMs = performance.now() - t0;
const { POLICY, median } = await import('./lib/common.js');

function once() {
  const t = performance.now();
  const { policy, diagnostics } = loadPolicy(POLICY);
  if (!policy || diagnostics.some((d) => d.severity === 'error')) throw new Error('bundled policy has errors');
  const loaded = performance.now();
  compilePolicy(policy);
  const end = performance.now();
  return { total: end - t, load: loaded - t, compile: end - loaded, rules: policy.rules.length };
}

const cold = once();
const warm = [];
for (let i = 0; i < 30; i++) warm.push(once());
const out = {
  importMs,
  coldMs: cold.total,
  warmMs: median(warm.map((w) => w.total)),
  warmLoadCheckMs: median(warm.map((w) => w.load)),
  warmCompileMs: median(warm.map((w) => w.compile)),
  rules: cold.rules,
  runs: warm.length,
};
if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(out));
else console.log(out);
