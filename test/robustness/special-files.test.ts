/**
 * Files that are not files (issue #15): a rule file, facts file or source text that is a link
 * to `/dev/zero` or `/dev/urandom`, a named pipe, or a `/proc` file whose `stat` size is 0. Each
 * is generated here (links and `mkfifo`, no checked-in devices) and refused on its descriptor
 * with a diagnostic naming the path and what it is, in well under a second, never read. And
 * `source` / `extends` may not leave the policy root unless `--policy-root` widens it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRegularFile } from '../../src/loader/read-regular.js';
import { cli, expectDiagnostic, expectNoCrash, POLICY, put, tempDir } from './harness.js';

const dir = tempDir('special-files');
const HEADER = 'policy t version "1"\nkind unit from units { n: integer }\n';
const FAST_MS = 5_000;

function fifo(path: string): string {
  execFileSync('mkfifo', [path]);
  return path;
}

function link(target: string, path: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  symlinkSync(target, path);
  return path;
}

describe('rule files that are not files', () => {
  it.each([
    ['a link to /dev/zero', 'zero', (p: string) => link('/dev/zero', p), 'a character device'],
    ['a link to /dev/urandom', 'urandom', (p: string) => link('/dev/urandom', p), 'a character device'],
    ['a named pipe', 'pipe', (p: string) => fifo(p), 'a named pipe'],
  ])('%s -> S0100 naming the path and what it is', async (_name, sub, make, what) => {
    const policy = join(dir, `rules-${sub}`);
    put(policy, '00.clause', HEADER);
    make(join(policy, '10.clause'));
    const run = await cli(['check', policy]);
    expectDiagnostic(run, 1, 'S0100', `\\S*rules-${sub}/10\\.clause:1:1`);
    expect(run.stderr).toContain(`is not a regular file (${what})`);
    expect(run.ms).toBeLessThan(FAST_MS);
  });

  it('a source text that is a named pipe -> S0100 at the header; a link to /dev/zero leads outside the root -> S0101', async () => {
    const policy = join(dir, 'source-pipe');
    put(policy, 'p.clause', `policy t version "1"\n  source "source.txt"\nkind unit from units { n: integer }\n`);
    fifo(join(policy, 'source.txt'));
    const run = await cli(['check', policy]);
    expectDiagnostic(run, 1, 'S0100', '\\S*source-pipe/p\\.clause:2:10');
    expect(run.ms).toBeLessThan(FAST_MS);
    const zero = join(dir, 'source-zero');
    put(zero, 'p.clause', `policy t version "1"\n  source "source.txt"\nkind unit from units { n: integer }\n`);
    link('/dev/zero', join(zero, 'source.txt'));
    expectDiagnostic(await cli(['check', zero]), 1, 'S0101', '\\S*source-zero/p\\.clause:2:10');
  });

  it('a tests.yaml that is a named pipe: refused, not waited on', async () => {
    const policy = join(dir, 'tests-pipe');
    put(policy, 'p.clause', `${HEADER}rule r cite "一" for unit u must u.n >= 1\n`);
    fifo(join(policy, 'tests.yaml'));
    const run = await cli(['test', policy]);
    expectNoCrash(run, FAST_MS);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('not a regular file (a named pipe)');
  });
});

describe('facts files that are not files', () => {
  it.each([
    ['a link to /dev/urandom', 'urandom.yaml', (p: string) => link('/dev/urandom', p), 'a character device', []],
    ['a named pipe', 'pipe.ndjson', (p: string) => fifo(p), 'a named pipe', []],
    ['a named pipe, streamed', 'pipe2.ndjson', (p: string) => fifo(p), 'a named pipe', ['--stream', '--format', 'ndjson']],
    ['a link to /dev/zero as a workbook', 'zero.xlsx', (p: string) => link('/dev/zero', p), 'a character device', []],
  ])('%s -> F0100, exit 4', async (_name, file, make, what, extra) => {
    const facts = make(join(dir, file));
    const run = await cli(['eval', POLICY, '--facts', facts, '--as-of', '2022-06-01', ...extra]);
    expectDiagnostic(run, 4, 'F0100');
    expect(run.stderr).toContain(`is not a regular file (${what})`);
    expect(run.ms).toBeLessThan(FAST_MS);
  });

  it('a /proc file (stat size 0, content unbounded) is read through the bounded reader', () => {
    const read = readRegularFile('/proc/self/status', 16);
    expect(read).toMatchObject({ ok: false, problem: 'too-large', size: 17 });
    const whole = readRegularFile('/proc/self/status', 1 << 20);
    expect(whole.ok && whole.bytes.toString('utf8')).toMatch(/^Name:/);
  });
});

describe('source and extends stay inside the policy root', () => {
  it('an absolute source path -> S0101, exit 1', async () => {
    const policy = put(dir, 'root/abs/p.clause', `policy t version "1"\n  source "/etc/passwd"\nkind unit from units { n: integer }\n`).replace(/\/p\.clause$/, '');
    const run = await cli(['check', policy]);
    expectDiagnostic(run, 1, 'S0101', '\\S*abs/p\\.clause:2:10');
    expect(run.stderr).not.toContain('root:x:0');
  });

  it('climbing out with ../ -> S0101; --policy-root widens the root', async () => {
    put(dir, 'outside.txt', '一、总则\n');
    const policy = put(dir, 'root/climb/v1/p.clause', `policy t version "1"\n  source "../../../outside.txt"\nkind unit from units { n: integer }\n`).replace(/\/p\.clause$/, '');
    expectDiagnostic(await cli(['check', policy]), 1, 'S0101');
    const widened = await cli(['check', policy, '--policy-root', dir]);
    expectNoCrash(widened);
    expect(widened.code, widened.stderr).toBe(0);
  });

  it('extends "../base" between sibling versions keeps working; an absolute extends does not', async () => {
    put(dir, 'root/sib/base/p.clause', `policy t version "1"\nkind unit from units { n: integer }\nparam k: integer = 1\n`);
    const supp = put(dir, 'root/sib/supp/p.clause', `policy t version "2"\n  extends "../base"\nparam k = 2\n`).replace(/\/p\.clause$/, '');
    const ok = await cli(['check', supp]);
    expectNoCrash(ok);
    expect(ok.code, ok.stderr).toBe(0);
    const far = put(dir, 'root/far/supp/p.clause', `policy t version "2"\n  extends "${join(dir, 'root/sib/base')}"\nparam k = 2\n`).replace(/\/p\.clause$/, '');
    const refused = await cli(['check', far]);
    expectNoCrash(refused);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/error S0101: .* is outside the policy root/);
  });

  it('the bundled policies resolve their source inside the repository', async () => {
    const run = await cli(['check', POLICY, 'policies/yunnan-social-work/2025-draft']);
    expectNoCrash(run);
    expect(run.code, run.stderr).toBe(0);
  });
});
