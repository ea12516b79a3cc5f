/**
 * `--out` that cannot be written leaves any existing file untouched (the write goes to a
 * temporary file beside the target, renamed over it only when complete: src/cli/write-atomic.ts),
 * leaves no temporary file behind, and says so with X0005 and exit code 1.
 *
 * Found here: a full disk used to leave a truncated report, renamed over the old one, with exit
 * 0 (short writes were not looped), and `--jobs` (since removed) turned any write failure into an internal error.
 *
 * Tests run as root, so a read-only directory would not stop a write. Unwritable targets here:
 * a path under a regular file (ENOTDIR), a file in /proc with --force (the temporary file cannot
 * be created there). What a target may be (a directory, a device, a read-only file, an input) is
 * tested in output-targets.test.ts. A full disk is a 64 KiB tmpfs mounted for
 * the test (root may mount; CI runs as root on the same kind of machine). Where mounting is
 * refused (a container without CAP_SYS_ADMIN) that one test is skipped and says why: /dev/full
 * cannot stand in, because the atomic write never writes to the target itself.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, expectNoCrash, POLICY, put, tempDir } from './harness.js';

const dir = tempDir('out');
const PROVINCE = 'policies/yunnan-social-work/examples/province.yaml';
const evalTo = (out: string) => cli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--format', 'json', '--out', out]);

/** The built CLI in a child process (its stdout is a real one). */
function built(argv: string[]): Awaited<ReturnType<typeof cli>> {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['bin/clausal.js', ...argv, '--lang', 'en'], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: performance.now() - t0 };
}

/** Child processes start Node: a wider bound (still only for hangs). */
const CHILD_BOUND_MS = 60_000;

function expectRefused(run: Awaited<ReturnType<typeof cli>>, out: string, errno: RegExp, boundMs?: number): void {
  expectNoCrash(run, boundMs);
  expect(run.code, run.stderr).toBe(1);
  expect(run.stderr).toMatch(new RegExp(`^clausal: error X0005: cannot write \`${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\`: .*${errno.source}`, 'm'));
  expect(run.stdout).toBe('');
}

describe('--out to a path that cannot be written', () => {
  it('a path under a regular file (ENOTDIR)', async () => {
    const file = put(dir, 'regular', 'keep me');
    const out = join(file, 'report.json');
    expectRefused(await evalTo(out), out, /ENOTDIR/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it.skipIf(!existsSync('/etc/hostname') || statSync('/etc/hostname').isDirectory())('/etc/hostname/x (ENOTDIR), /etc/hostname untouched', async () => {
    const before = readFileSync('/etc/hostname', 'utf8');
    expectRefused(await evalTo('/etc/hostname/x'), '/etc/hostname/x', /ENOTDIR/);
    expect(readFileSync('/etc/hostname', 'utf8')).toBe(before);
  });

  it.skipIf(!existsSync('/proc/version'))('a file in /proc: read-only (X0112), and with --force the temporary file cannot be created; /proc/version untouched', async () => {
    const before = readFileSync('/proc/version', 'utf8');
    const run = await evalTo('/proc/version');
    expectNoCrash(run);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/^clausal: error X0112: `\/proc\/version` is read-only/m);
    expectRefused(await cli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--format', 'json', '--out', '/proc/version', '--force']), '/proc/version', /E[A-Z]+/);
    expect(readFileSync('/proc/version', 'utf8')).toBe(before);
  });

  it('an existing directory (X0110, see output-targets.test.ts), left as it was with no temporary file', async () => {
    const target = join(dir, 'a-directory');
    mkdirSync(target);
    put(target, 'inside.txt', 'still here');
    const run = await evalTo(target);
    expectNoCrash(run);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/^clausal: error X0110: `.*a-directory` is a directory/m);
    expect(readdirSync(target)).toEqual(['inside.txt']);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a missing parent directory (ENOENT): nothing is created', async () => {
    const out = join(dir, 'no-such-dir', 'report.json');
    expectRefused(await evalTo(out), out, /ENOENT/);
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
  });

  it.each([['ndjson'], ['html'], ['text']])('eval --format %s (each sink) behaves the same', async (format) => {
    const file = put(dir, `regular3-${format}`, 'keep me');
    const out = join(file, 'report');
    expectRefused(await cli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--format', format, '--out', out]), out, /ENOTDIR/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('the other commands with --out behave the same (export, diff)', async () => {
    const file = put(dir, 'regular2', 'keep me');
    const out = join(file, 'x.json');
    expectRefused(await cli(['export', POLICY, '--to', 'jsonlogic', '--out', out]), out, /ENOTDIR/);
    expectRefused(await cli(['diff', POLICY, POLICY, '--out', out]), out, /ENOTDIR/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });
});

describe('--out on a full disk', () => {
  const mountPoint = join(dir, 'tiny');
  mkdirSync(mountPoint);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { encoding: 'utf8' });
  const canMount = mounted.status === 0;
  if (!canMount) console.log(`[robustness] full-disk test skipped: mount refused (${(mounted.stderr || mounted.error?.message || '').trim()})`);

  afterAll(() => {
    if (canMount) spawnSync('umount', [mountPoint]);
  });

  it.skipIf(!canMount)('a 64 KiB tmpfs: ENOSPC, the existing report untouched, no temporary file left', async () => {
    const out = join(mountPoint, 'report.json');
    writeFileSync(out, '{"old":true}\n');
    const run = await evalTo(out);
    expectRefused(run, out, /ENOSPC/);
    expect(readFileSync(out, 'utf8')).toBe('{"old":true}\n');
    expect(readdirSync(mountPoint)).toEqual(['report.json']);
    // The same from a child process writing NDJSON, which writes as results arrive.
    expectRefused(built(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--format', 'ndjson', '--out', out]), out, /ENOSPC/, CHILD_BOUND_MS);
    expect(readFileSync(out, 'utf8')).toBe('{"old":true}\n');
    expect(readdirSync(mountPoint)).toEqual(['report.json']);
    // A report that fits is written whole.
    const small = join(mountPoint, 'small.json');
    const ok = await cli(['eval', POLICY, '--facts', put(dir, 'one.yaml', 'regions: [{ id: "1", level: province }]\n'), '--as-of', '2022-06-01', '--format', 'json', '--out', small]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(readFileSync(small, 'utf8')).results.length).toBeGreaterThan(0);
  });
});
