/**
 * The eval options for scale: `--fields status` (the decision without its explanation),
 * `--stream` (NDJSON facts with held and streamed kinds), `--jobs N` (now ignored) and the
 * facts limits as options. Each must give exactly the bytes of the plain run it replaces.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileMemory, runCli } from '../helpers/policy.js';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { streamableKinds, streamFacts } from '../../src/facts/stream-facts.js';
import type { Facts } from '../../src/facts/facts.js';

const POLICY = 'policies/yunnan-social-work/2021';
const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'clausal-scale-'));
let json = '';
let ndjson = '';

function generate(format: 'json' | 'ndjson'): string {
  const out = join(dir, `province.${format}`);
  const r = spawnSync(process.execPath, [root('scripts/gen-province.js'), '--institutions', '400', '--regions', '2000', '--seed', '3', '--format', format, '--out', out]);
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return out;
}

beforeAll(() => {
  json = generate('json');
  ndjson = generate('ndjson');
}, 60_000);

const base = (facts: string, ...more: string[]) => ['eval', POLICY, '--facts', facts, '--as-of', '2022-06-01', ...more];

describe('--fields status', () => {
  it('writes each result without explanation and figures, otherwise as the full output', async () => {
    const full = await runCli(base(json, '--format', 'ndjson'));
    const status = await runCli(base(json, '--format', 'ndjson', '--fields', 'status'));
    expect(full.code).toBe(0);
    expect(status.code).toBe(0);
    const want = full.stdout.trim().split('\n').map((l) => {
      const { subject, rule, cite, modality, status: s, due, missing } = JSON.parse(l);
      return JSON.stringify({ subject, rule, cite, modality, status: s, due, missing });
    });
    expect(status.stdout.trim().split('\n')).toEqual(want);
  });

  it('applies to --format json too, with the same summary', async () => {
    const full = JSON.parse((await runCli(base(json, '--format', 'json'))).stdout);
    const status = JSON.parse((await runCli(base(json, '--format', 'json', '--fields', 'status'))).stdout);
    expect(status.summary).toEqual(full.summary);
    expect(Object.keys(status.results[0])).toEqual(['subject', 'rule', 'cite', 'modality', 'status', 'due', 'missing']);
  });

  it('is refused for the report formats, which explain', async () => {
    const r = await runCli(base(json, '--fields', 'status'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('X0004');
  });
});

describe('--stream', () => {
  it('holds regions and institutions and streams workers under the bundled policy', () => {
    expect([...streamableKinds(loadPolicy(root(POLICY)).policy!)]).toEqual(['worker']);
  });

  it('streams nothing when a rule aggregates over the streamed kind', () => {
    const loaded = compileMemory({
      'p.clause': `policy p version "1"
kind unit from units "单位" {
  name: string "名称"
  staff: many person by unit "人员"
}
kind person from people "人员" {
  unit: unit "单位"
  certified: boolean "持证"
}
rule staffed "有人员" cite "一" for unit u must count(p in u.staff where p.certified) > 0
`,
    });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect([...streamableKinds(loaded.policy!)]).toEqual([]);
  });

  it('hands workers on in batches and keeps nothing of them in the held subjects', () => {
    const policy = loadPolicy(root(POLICY)).policy!;
    const lines = readFileSync(ndjson, 'utf8').split('\n').map((text, i) => ({ text, line: i + 1, offset: 0 }));
    const parts = streamFacts(policy, ndjson, lines, { streamed: streamableKinds(policy), batchSize: 50 });
    let held: Facts | undefined;
    let batches = 0;
    let workers = 0;
    for (let step = parts.next(); !step.done; step = parts.next()) {
      if (step.value.held) held = step.value.facts;
      else {
        batches++;
        workers += step.value.facts.subjects.length;
        expect(step.value.facts.subjects.length).toBeLessThanOrEqual(50);
      }
    }
    expect(workers).toBe(200);
    expect(batches).toBe(4);
    // A batch must not link itself into the held institutions (memory would grow with the stream).
    for (const s of held!.byKind.get('institution')!.values()) expect(s.related.workers).toEqual([]);
  });

  it.each([['ndjson', 'all'], ['ndjson', 'status'], ['json', 'all'], ['json', 'status']])('gives the bytes of a full load (--format %s --fields %s)', async (format, fields) => {
    const loadedAll = await runCli(base(json, '--format', format, '--fields', fields));
    const streamed = await runCli(base(ndjson, '--format', format, '--fields', fields, '--stream'));
    expect(streamed.code).toBe(0);
    expect(streamed.stderr).toBe('');
    expect(streamed.stdout).toBe(loadedAll.stdout);
  });

  it('refuses a held subject after the streamed ones (F0040) and leaves --out untouched', async () => {
    const lines = readFileSync(ndjson, 'utf8').trim().split('\n');
    const institution = lines.findIndex((l) => l.includes('"kind":"institution"'));
    const moved = [...lines.slice(0, institution), ...lines.slice(institution + 1), lines[institution]];
    const path = join(dir, 'moved.ndjson');
    writeFileSync(path, `${moved.join('\n')}\n`);
    const out = join(dir, 'moved-out.ndjson');
    const r = await runCli(base(path, '--format', 'ndjson', '--stream', '--out', out));
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('F0040');
    expect(existsSync(out)).toBe(false);
  });

  it('reports a bad streamed subject with its path (exit 4)', async () => {
    const text = readFileSync(ndjson, 'utf8').replace(/"qualification":"assistant"/, '"qualification":"grandmaster"');
    const path = join(dir, 'bad-worker.ndjson');
    writeFileSync(path, text);
    const r = await runCli(base(path, '--format', 'ndjson', '--stream', '--out', join(dir, 'bad-out.ndjson')));
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('F0005');
    expect(r.stderr).toMatch(/workers\[\d+\]\.qualification/);
    expect(existsSync(join(dir, 'bad-out.ndjson'))).toBe(false);
  });

  it('refuses bytes that are not UTF-8 (F0019) and a missing file (F0001)', async () => {
    const path = join(dir, 'latin1.ndjson');
    writeFileSync(path, Buffer.concat([Buffer.from('{"kind":"region","id":"1","name":"'), Buffer.from([0xf6]), Buffer.from('","level":"province"}\n')]));
    const bad = await runCli(base(path, '--format', 'ndjson', '--stream'));
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('F0019');
    const missing = await runCli(base(join(dir, 'nothing.ndjson'), '--format', 'ndjson', '--stream'));
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('F0001');
  });

  it('needs NDJSON facts and a machine format', async () => {
    expect((await runCli(base(json, '--format', 'ndjson', '--stream'))).code).toBe(2);
    expect((await runCli(base(ndjson, '--stream'))).code).toBe(2);
  });
});

describe('--omit', () => {
  it('leaves out the omitted statuses and nothing else (NDJSON)', async () => {
    const all = await runCli(base(json, '--format', 'ndjson', '--fields', 'status'));
    const omitted = await runCli(base(json, '--format', 'ndjson', '--fields', 'status', '--omit', 'not_applicable'));
    expect(omitted.code).toBe(0);
    const kept = all.stdout.split('\n').filter((l) => l !== '' && !l.includes('"status":"not_applicable"'));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(all.stdout.split('\n').length - 1);
    expect(omitted.stdout).toBe(`${kept.join('\n')}\n`);
  });

  it('keeps the summary of every decision (JSON), and takes several statuses', async () => {
    const all = JSON.parse((await runCli(base(json, '--format', 'json'))).stdout) as { results: { status: string }[]; summary: Record<string, number> };
    const r = await runCli(base(json, '--format', 'json', '--omit', 'not_applicable,compliant', '--omit', 'unknown'));
    const some = JSON.parse(r.stdout) as typeof all;
    expect(some.summary).toEqual(all.summary);
    expect(some.results).toEqual(all.results.filter((x) => !['not_applicable', 'compliant', 'unknown'].includes(x.status)));
  });

  it.each([['text', 'not_applicable'], ['ndjson', 'n/a']])('is refused with --format %s --omit %s (exit 2, X0004)', async (format, value) => {
    const r = await runCli(base(json, '--format', format, '--omit', value));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('X0004');
  });
});

describe('--jobs (kept for old scripts, ignored)', () => {
  it('runs on one thread, gives the same bytes and says so with a warning (X0450)', async () => {
    const one = await runCli(base(json, '--format', 'ndjson', '--fields', 'status'));
    const two = await runCli(base(json, '--format', 'ndjson', '--fields', 'status', '--jobs', '2'));
    expect(two.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toContain('X0450');
    expect((await runCli(base(json, '--format', 'ndjson', '--fields', 'status', '--jobs', '1'))).stderr).toBe('');
  });
});

describe('facts limits as options', () => {
  it('--max-subjects lowers the subject limit (F0012)', async () => {
    const r = await runCli(base(json, '--format', 'ndjson', '--max-subjects', '10'));
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('F0012');
  });

  it('--max-facts-size lowers the size limit (F0016)', async () => {
    const r = await runCli(base(json, '--format', 'ndjson', '--max-facts-size', '1000'));
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('F0016');
  });

  it.each([['--jobs', '0'], ['--jobs', 'two'], ['--max-subjects', '-1']])('refuses %s %s', async (option, value) => {
    const r = await runCli(base(json, '--format', 'ndjson', option, value));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('X0004');
  });
});
