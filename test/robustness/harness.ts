/**
 * Shared by the robustness tests: the CLI run in-process with a clock, and the one verdict
 * every hostile case must reach. A case ends either in a correct result or in a diagnostic
 * that names a place (`file:line:col`, or a facts path) with a non-zero exit code, within a
 * bound; never in an uncaught exception, a stack trace, an internal error or a hang.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, expect } from 'vitest';
import type { Diagnostic } from '../../src/model/diagnostics.js';
import { runCli, type CliRun } from '../helpers/policy.js';

/** The bundled policy. */
export const POLICY = 'policies/yunnan-social-work/2021';

/** Generous on purpose: the bound only catches hangs (typical cases take milliseconds). */
export const BOUND_MS = 10_000;

/** A fresh temporary directory for one test file, removed when the file's tests are done. */
export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `clausal-robust-${name}-`));
  // The scale tests leave over 150 MB here; nothing of it is worth keeping.
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `text` (or bytes) to `dir/name`, creating folders, and returns the path. */
export function put(dir: string, name: string, text: string | Uint8Array): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** A CLI run with its wall-clock time. */
export interface TimedRun extends CliRun {
  readonly ms: number;
}

/** Runs `clausal` in-process (English messages) and times it. */
export async function cli(argv: string[]): Promise<TimedRun> {
  const t0 = performance.now();
  const run = await runCli([...argv, '--lang', 'en']);
  return { ...run, ms: performance.now() - t0 };
}

/** No stack trace, no internal error, no hang: what every run must show. */
export function expectNoCrash(run: TimedRun, boundMs = BOUND_MS): void {
  expect(run.code, run.stderr).not.toBe(70);
  expect(run.stderr).not.toMatch(/internal error/);
  expect(run.stderr).not.toMatch(/^\s+at .+[:(]\d+:\d+\)?$/m);
  expect(run.ms).toBeLessThan(boundMs);
}

/**
 * The run failed with exit `exit` and reported `code` at a position: `where` matches the
 * `file:line:col` the headline starts with (a regex source, e.g. `bad\\.yaml:3:7`).
 */
export function expectDiagnostic(run: TimedRun, exit: number, code: string, where = '\\S+:\\d+:\\d+'): void {
  expectNoCrash(run);
  expect(run.code, run.stderr).toBe(exit);
  expect(run.stderr).toMatch(new RegExp(`^${where}: error ${code}: `, 'm'));
}

/** Every diagnostic has a span inside its text (or a facts path) and a known code. */
export function expectPlaced(diagnostics: readonly Diagnostic[], texts: ReadonlyMap<string, string> | string): void {
  for (const d of diagnostics) {
    if (!d.span) {
      expect(d.factsPath ?? d.code, JSON.stringify(d)).toBeTruthy();
      continue;
    }
    const text = typeof texts === 'string' ? texts : texts.get(d.span.file);
    if (text === undefined) continue;
    expect(d.span.start, JSON.stringify(d)).toBeGreaterThanOrEqual(0);
    expect(d.span.end, JSON.stringify(d)).toBeLessThanOrEqual(text.length);
    expect(d.span.start).toBeLessThanOrEqual(d.span.end);
  }
}

/** Codes of the errors among `diagnostics`. */
export function errorCodes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
}

/** Nothing has been added to Object.prototype (the usual target of prototype pollution). */
export function expectNoPollution(): void {
  const probe: Record<string, unknown> = {};
  expect(probe.polluted).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_NAMES);
}

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

/** A time measurement kept for the run's closing figures. */
export function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

/** A run of the built CLI in a child process, with its wall time and peak resident set size. */
export interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  readonly rssMiB: number;
}

const RSS_HOOK = pathToFileURL(fileURLToPath(new URL('./fixtures/report-rss.mjs', import.meta.url))).href;

/**
 * Runs `node bin/clausal.js …` (the built CLI; `npm run build` first) with a heap cap, so an
 * attack that once took the machine down fails fast here instead, and reports peak RSS.
 */
export function runChild(args: string[], options: { timeoutMs?: number; heapMiB?: number; cwd?: string; input?: string } = {}): ChildRun {
  const t0 = performance.now();
  const bin = fileURLToPath(new URL('../../bin/clausal.js', import.meta.url));
  const r = spawnSync(process.execPath, [`--max-old-space-size=${options.heapMiB ?? 512}`, '--import', RSS_HOOK, bin, ...args, '--lang', 'en'], {
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
    cwd: options.cwd,
    input: options.input,
  });
  const ms = performance.now() - t0;
  const m = /maxrss-kib=(\d+)\s*$/.exec(r.stderr ?? '');
  const rssMiB = m ? Number(m[1]) / 1024 : Number.NaN;
  console.log(`[robustness figures] ${args.slice(0, 3).join(' ')}: exit ${r.status}, ${(ms / 1000).toFixed(1)} s, peak RSS ${rssMiB.toFixed(0)} MiB`);
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: (r.stderr ?? '').replace(/\n?maxrss-kib=\d+\s*$/, ''), ms, rssMiB };
}
