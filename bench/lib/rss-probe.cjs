// Preloaded into benchmarked child processes (node --require): at exit, writes the process's
// peak resident set size and CPU time to the file named by CLAUSAL_BENCH_PROBE. Worker threads
// share the process, so their memory and CPU are included.
const { writeFileSync } = require('node:fs');

const file = process.env.CLAUSAL_BENCH_PROBE;
const { isMainThread } = require('node:worker_threads');
if (file && isMainThread) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssMb: Math.round(usage.maxRSS / 1024), cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000) }));
  });
}
