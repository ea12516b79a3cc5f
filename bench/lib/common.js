// Shared helpers of the benchmark suite: generated data (cached), timers, child processes
// with their peak memory, and the table.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const POLICY = join(ROOT, 'policies/yunnan-social-work/2021');
export const CLI = join(ROOT, 'bin/clausal.js');
export const AS_OF = '2022-06-01';
/** Generated inputs and outputs; large (hundreds of MB), kept between runs, never committed. */
export const DATA = process.env.CLAUSAL_BENCH_DATA ?? join(tmpdir(), 'clausal-bench');
mkdirSync(DATA, { recursive: true });

/** A generated province file (cached by its arguments). */
export function province(name, args) {
  const file = join(DATA, name);
  if (existsSync(file)) return file;
  const tmp = `${file}.tmp`;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/gen-province.js'), ...args, '--out', tmp], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`gen-province ${args.join(' ')} failed`);
  renameSync(tmp, file);
  return file;
}

/** CPU milliseconds (user + system) of this process so far. */
export function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Times `fn` (wall and CPU milliseconds). */
export function timed(fn) {
  const c0 = cpuMs();
  const t0 = performance.now();
  const value = fn();
  return { value, wall: performance.now() - t0, cpu: cpuMs() - c0 };
}

/** The 1-minute load average, to print beside figures taken on a shared machine. */
export function loadAverage() {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return undefined;
  }
}

const PROBE = fileURLToPath(new URL('./rss-probe.cjs', import.meta.url));

/**
 * Runs `node args…` and returns wall time, CPU time and peak RSS of the child (worker threads
 * included: they share the process). The peak is read by a preloaded probe at exit.
 */
export function runNode(args, { env = {}, nodeArgs = [], discardStdout = false } = {}) {
  const report = join(DATA, `probe-${process.pid}-${Date.now()}.json`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...nodeArgs, '--require', PROBE, ...args], {
    env: { ...process.env, ...env, CLAUSAL_BENCH_PROBE: report },
    stdio: ['ignore', discardStdout ? 'ignore' : 'pipe', 'pipe'],
    maxBuffer: 64 << 20,
  });
  const wall = performance.now() - t0;
  let probe = {};
  if (existsSync(report)) {
    probe = JSON.parse(readFileSync(report, 'utf8'));
    rmSync(report);
  }
  return { status: r.status, stdout: r.stdout?.toString() ?? '', stderr: r.stderr.toString(), wall, cpu: probe.cpuMs, maxRssMb: probe.maxRssMb };
}

/** Median of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Formats a number with thousands separators. */
export function fmt(n, digits = 0) {
  if (n === undefined || n === null || Number.isNaN(n)) return '–';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Whether a file exists and its size in MB. */
export function sizeMb(file) {
  try {
    return Number((readFileSync(file).length / 1e6).toFixed(1));
  } catch {
    return undefined;
  }
}

export { dirname };
