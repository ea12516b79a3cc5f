/**
 * The in-process engine reads only the facts the policy reads (src/facts/projection.ts) and
 * reads a JSON file piece by piece (src/loader/json-elements.ts): what users see of it. Bad
 * facts in fields a rule reads give the F-codes and places they always did, whichever way the
 * file is read (whole, or piece by piece with results written early to `--out`); a bad value
 * in a field no rule reads is not reported (the chosen behaviour, docs/performance.md).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/policy.js';

const POLICY = 'policies/yunnan-social-work/2021';
const PROVINCE = 'policies/yunnan-social-work/examples/province.yaml';
const dir = mkdtempSync(join(tmpdir(), 'clausal-projection-'));

type Facts = { regions: Record<string, unknown>[]; institutions: Record<string, unknown>[]; workers: Record<string, unknown>[] };
const province = (): Facts => parse(readFileSync(PROVINCE, 'utf8')) as Facts;

let n = 0;
function file(text: string, ext = 'json'): string {
  const path = join(dir, `f${++n}.${ext}`);
  writeFileSync(path, text);
  return path;
}

/** Runs eval on `facts` to stdout and to `--out` (which reads the JSON file piece by piece and writes early). */
async function both(facts: string, format = 'ndjson') {
  const stdout = await runCli(['eval', POLICY, '--facts', facts, '--as-of', '2022-06-01', '--format', format]);
  const out = join(dir, `out${++n}.${format}`);
  writeFileSync(out, 'old');
  const toFile = await runCli(['eval', POLICY, '--facts', facts, '--as-of', '2022-06-01', '--format', format, '--out', out]);
  return { stdout, toFile, written: readFileSync(out, 'utf8') };
}

describe('projection: only the facts the policy reads', () => {
  it('gives the same results from the JSON file (whole or piece by piece) as from the YAML file', async () => {
    const yaml = await runCli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--format', 'ndjson']);
    expect(yaml.code).toBe(0);
    for (const format of ['ndjson', 'json']) {
      const json = file(JSON.stringify(province(), null, 2));
      const r = await both(json, format);
      const fromYaml = format === 'ndjson' ? yaml.stdout : (await runCli(['eval', POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--format', 'json'])).stdout;
      expect(r.stdout.code).toBe(0);
      expect(r.toFile.code).toBe(0);
      expect(r.stdout.stdout).toBe(fromYaml);
      expect(r.written).toBe(fromYaml);
    }
  });

  // Each case: a change to the example province, and what eval says (the same to stdout and to --out).
  const cases: { name: string; change: (f: Facts) => void; code: number; has?: string[]; lacks?: string[] }[] = [
    { name: 'a bad value in a field a rule reads (posts.total) -> F0004 at its place', change: (f) => ((f.institutions[1].posts as Record<string, unknown>).total = 'many'), code: 4, has: ['F0004', 'institutions[1].posts.total'] },
    { name: 'a date a rule reads that is not a calendar date -> F0011', change: (f) => (f.regions[3].sw_station = { established: '2021-02-30' }), code: 4, has: ['F0011', 'regions[3].sw_station.established'] },
    { name: 'an id used twice -> F0006 (ids are always checked)', change: (f) => (f.institutions[2].id = f.institutions[1].id), code: 4, has: ['F0006'] },
    { name: 'a bad value in a field no rule reads (in_establishment) is not reported', change: (f) => (f.workers[0].in_establishment = 'yes'), code: 0, lacks: ['F0004'] },
    { name: 'a reference no rule follows (institution.region) is not resolved', change: (f) => (f.institutions[0].region = 'no-such-region'), code: 0, lacks: ['F0007'] },
    { name: 'an undeclared field still warns (F0009)', change: (f) => (f.workers[0].nickname = 'x'), code: 0, has: ['F0009', 'workers[0].nickname'] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const f = province();
      c.change(f);
      const r = await both(file(JSON.stringify(f)));
      for (const run of [r.stdout, r.toFile]) {
        expect(run.code).toBe(c.code);
        for (const s of c.has ?? []) expect(run.stderr).toContain(s);
        for (const s of c.lacks ?? []) expect(run.stderr).not.toContain(s);
        expect(run.stderr).not.toMatch(/\n\s+at /);
      }
      // Written early or not, the messages are the same, and a failed run leaves --out as it was.
      expect(r.toFile.stderr).toBe(r.stdout.stderr);
      if (c.code === 4) expect(r.written).toBe('old');
    });
  }

  it('reports (text) still check the references they show, and names', async () => {
    const f = province();
    f.institutions[0].region = 'no-such-region';
    const r = await runCli(['eval', POLICY, '--facts', file(JSON.stringify(f)), '--as-of', '2022-06-01']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('F0007');
  });
});

describe('a JSON file read piece by piece', () => {
  // Whatever is wrong with the file's text, the whole-text reader names the place (F0002, F0019).
  const texts: [string, string | Buffer, string][] = [
    ['truncated', '{"regions": [{"id": "1", "level": "province"}', 'F0002'],
    ['trailing garbage', '{"regions": []} x', 'F0002'],
    ['a trailing comma', '{"regions": [{"id": "1", "level": "province"},]}', 'F0002'],
    ['not an object', '[1, 2]', 'F0003'],
    ['a list that is not a list', '{"regions": 3}', 'F0004'],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x20, 0x31, 0x7d]), 'F0019'],
  ];
  for (const [name, text, code] of texts) {
    it(`${name} -> ${code}, the same to stdout and to --out`, async () => {
      const path = join(dir, `t${++n}.json`);
      writeFileSync(path, text);
      const r = await both(path);
      expect(r.stdout.code).toBe(4);
      expect(r.stdout.stderr).toContain(code);
      expect(r.toFile.stderr).toBe(r.stdout.stderr);
      expect(r.written).toBe('old');
    });
  }

  it('warns of an unknown list (F0014) and still decides the rest; an empty object decides nothing', async () => {
    const f = { ...province(), teachers: [{ id: 't' }] };
    const r = await both(file(JSON.stringify(f)));
    expect(r.stdout.code).toBe(0);
    expect(r.stdout.stderr).toContain('F0014');
    expect(r.toFile.stderr).toBe(r.stdout.stderr);
    expect(r.written).toBe(r.stdout.stdout);
    const empty = await both(file('{}'), 'json');
    expect(empty.stdout.code).toBe(0);
    expect(JSON.parse(empty.written).results).toEqual([]);
    expect(existsSync(dir)).toBe(true);
  });

  it('keeps strings with escaped quotes, brackets and non-ASCII text whole across reads', async () => {
    const f = province();
    f.regions[0].name = '云南"省]}\\';
    const big = { ...f, institutions: [...f.institutions, ...Array.from({ length: 3000 }, (_, i) => ({ id: `X-${i}`, category: f.institutions[0].category, name: `学校 "${i}" [}` }))] };
    const r = await both(file(JSON.stringify(big)));
    expect(r.stdout.code).toBe(0);
    expect(r.written).toBe(r.stdout.stdout);
    expect(r.stdout.stdout.split('\n').filter((l) => l.includes('"X-2999"')).length).toBeGreaterThan(0);
  });
});
