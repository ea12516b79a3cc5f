/**
 * What an output may replace (src/cli/out-target.ts), tried as an attacker or a careless script
 * would: `--out` naming a device, a named pipe, a socket, a directory, a link to one of them, a
 * dangling link, a read-only file or an input of the same run. Every refusal is a diagnostic
 * naming the path and what it is, exit 1, the target untouched and no temporary file left. A
 * link to a regular file is written through (the link stays), and a replaced file keeps its mode.
 *
 * Special files are made here (mkfifo, mknod, a listening socket), never checked in. Before this
 * (issue #15), `--out /dev/full` as root exited 0 and left a regular file where the device was,
 * `--out` over a 0444 file made it 0644, over a symlink replaced the link, and naming the facts
 * file overwrote the facts.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, linkSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/policy.js';
import { cli, expectNoCrash, POLICY, put, tempDir } from './harness.js';

const dir = tempDir('out-targets');
// A copy of the bundled policy: a test that failed to refuse must not overwrite the repository.
const policy = join(dir, 'policy');
cpSync(POLICY, policy, { recursive: true });
const facts = put(dir, 'facts.yaml', 'regions: [{ id: "1", level: province }]\n');
const evalTo = (out: string, ...more: string[]) => cli(['eval', policy, '--facts', facts, '--as-of', '2022-06-01', '--format', 'json', '--out', out, ...more]);

/** Refused with `code` (exit 1) naming `shown`, nothing written, no temporary file in `folder`. */
function expectRefused(run: Awaited<ReturnType<typeof cli>>, code: string, shown: string, folder = dir): void {
  expectNoCrash(run, 5_000);
  expect(run.code, run.stderr).toBe(1);
  expect(run.stderr).toMatch(new RegExp(`^clausal: error ${code}: \`${shown.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`, 'm'));
  expect(run.stdout).toBe('');
  expect(readdirSync(folder).filter((n) => n.endsWith('.tmp'))).toEqual([]);
}

const fifo = join(dir, 'pipe');
spawnSync('mkfifo', [fifo]);
// A character device like /dev/null (1:3), made here; mknod needs CAP_MKNOD, which CI (root) has.
const device = join(dir, 'null-device');
const madeDevice = spawnSync('mknod', [device, 'c', '1', '3']).status === 0;
if (!madeDevice) console.log('[robustness] device case skipped: mknod refused');
const socketPath = join(dir, 'sock');
let server: Server;
beforeAll(async () => {
  server = createServer();
  await new Promise<void>((done) => server.listen(socketPath, done));
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('--out refuses what is not a regular file (X0110)', () => {
  it.each([
    ['a named pipe', () => fifo, 'a named pipe'],
    ['a socket', () => socketPath, 'a socket'],
    ['a directory', () => join(dir, 'policy'), 'a directory'],
  ])('%s', async (_name, target, what) => {
    const before = lstatSync(target());
    const run = await evalTo(target());
    expectRefused(run, 'X0110', target());
    expect(run.stderr).toContain(`is ${what}, not a regular file`);
    expect(lstatSync(target()).ino).toBe(before.ino);
    expect(lstatSync(target()).mode).toBe(before.mode);
  });

  it.skipIf(!madeDevice)('a character device, named directly or through a link; the node stays a device', async () => {
    expectRefused(await evalTo(device), 'X0110', device);
    const link = join(dir, 'to-device');
    symlinkSync(device, link);
    const run = await evalTo(link);
    expectRefused(run, 'X0110', `${link} -> ${device}`);
    expect(run.stderr).toContain('is a character device');
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('a link to a named pipe does not block and does not replace the pipe', async () => {
    const link = join(dir, 'to-pipe');
    symlinkSync(fifo, link);
    expectRefused(await evalTo(link), 'X0110', `${link} -> ${fifo}`);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('every command that writes goes the same way (export, diff, bundle, template, eval --explain)', async () => {
    const html = join(dir, 'pipe.html');
    const xlsx = join(dir, 'pipe.xlsx');
    spawnSync('mkfifo', [html, xlsx]);
    for (const [argv, target] of [
      [['export', policy, '--to', 'jsonlogic', '--out', fifo], fifo],
      [['diff', policy, policy, '--out', fifo], fifo],
      [['bundle', policy, '--out', html], html],
      [['template', policy, '--out', xlsx], xlsx],
      [['eval', policy, '--facts', facts, '--explain', '1', '--out', fifo], fifo],
      [['eval', policy, '--facts', facts, '--format', 'xlsx', '--out', xlsx], xlsx],
    ] as const) expectRefused(await cli([...argv]), 'X0110', target);
  });

  it('in Chinese by default', async () => {
    const run = await runCli(['eval', policy, '--facts', facts, '--format', 'json', '--out', fifo]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`clausal: error X0110: \`${fifo}\` 是命名管道，不是普通文件`);
  });
});

describe('symbolic links', () => {
  it('a link to a regular file is written through: the link stays, the file gets the output and keeps its mode', async () => {
    const real = put(dir, 'links/real.json', 'old');
    chmodSync(real, 0o640);
    const link = join(dir, 'links/report.json');
    symlinkSync(real, link);
    const run = await evalTo(link);
    expectNoCrash(run);
    expect(run.code, run.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect(JSON.parse(readFileSync(real, 'utf8')).asOf).toBe('2022-06-01');
    expect(statSync(real).mode & 0o777).toBe(0o640);
  });

  it('a dangling link and a loop are refused (X0113), not replaced by a file', async () => {
    const dangling = join(dir, 'dangling');
    symlinkSync(join(dir, 'nowhere'), dangling);
    expectRefused(await evalTo(dangling), 'X0113', dangling);
    expect(lstatSync(dangling).isSymbolicLink()).toBe(true);
    const loop = join(dir, 'loop');
    symlinkSync(loop, loop);
    const run = await evalTo(loop);
    expectRefused(run, 'X0113', loop);
    expect(run.stderr).toMatch(/ELOOP/);
  });
});

describe('modes and read-only files', () => {
  it('a replaced file keeps its mode (0600 stays 0600)', async () => {
    const out = put(dir, 'modes/private.json', 'old');
    chmodSync(out, 0o600);
    const run = await evalTo(out);
    expect(run.code, run.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('a new file gets the usual mode (umask applies)', async () => {
    const out = join(dir, 'modes/new.json');
    const run = await evalTo(out);
    expect(run.code, run.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o666 & ~process.umask());
  });

  it('a read-only file is refused (X0112) even as root, and replaced with --force keeping 0444', async () => {
    const out = put(dir, 'modes/ro.json', 'keep me');
    chmodSync(out, 0o444);
    const run = await evalTo(out);
    expectRefused(run, 'X0112', out, join(dir, 'modes'));
    expect(run.stderr).toContain('(mode 0444)');
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    const forced = await evalTo(out, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).asOf).toBe('2022-06-01');
    expect(statSync(out).mode & 0o777).toBe(0o444);
  });

  it('fmt rewrites its own file, but not a read-only one without --force', async () => {
    const file = put(dir, 'fmt/p.clause', 'policy t   version "1"\nkind unit from units { n: integer }\n');
    chmodSync(file, 0o444);
    const run = await cli(['fmt', file]);
    expectRefused(run, 'X0112', file, join(dir, 'fmt'));
    const forced = await cli(['fmt', file, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^policy t version "1"/);
    expect(statSync(file).mode & 0o777).toBe(0o444);
  });
});

describe('an output never replaces an input of the same run (X0111)', () => {
  const ruleFile = join(policy, '00-policy.clause');
  const source = join(policy, 'source.txt');
  const hardLink = join(dir, 'facts-hard-link.yaml');
  linkSync(facts, hardLink);
  const factsLink = join(dir, 'facts-link.yaml');
  symlinkSync(facts, factsLink);

  it.each([
    ['the facts file', () => facts],
    ['a hard link to the facts', () => hardLink],
    ['a symbolic link to the facts', () => factsLink],
    ['a rule file', () => ruleFile],
    ['the source text', () => source],
  ])('%s', async (_name, target) => {
    const before = readFileSync(target());
    const run = await evalTo(target());
    expectRefused(run, 'X0111', target());
    expect(readFileSync(target())).toEqual(before);
  });

  it('also with --force, for export, and for streamed NDJSON facts', async () => {
    const before = readFileSync(facts);
    expectRefused(await evalTo(facts, '--force'), 'X0111', facts);
    expectRefused(await cli(['export', policy, '--to', 'jsonlogic', '--out', ruleFile]), 'X0111', ruleFile);
    const ndjson = put(dir, 'stream.ndjson', '{"kind":"region","id":"1","level":"province"}\n');
    const streamed = await cli(['eval', policy, '--facts', ndjson, '--as-of', '2022-06-01', '--format', 'ndjson', '--stream', '--out', ndjson]);
    expectRefused(streamed, 'X0111', ndjson);
    expect(readFileSync(ndjson, 'utf8')).toBe('{"kind":"region","id":"1","level":"province"}\n');
    expect(readFileSync(facts)).toEqual(before);
  });

  it('a file the run did not read is written as before', async () => {
    const other = put(dir, 'other.json', 'old');
    writeFileSync(other, 'old');
    const run = await evalTo(other);
    expect(run.code, run.stderr).toBe(0);
  });
});
