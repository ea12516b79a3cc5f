/**
 * SQL-side ingestion (`--engine duckdb` reading the facts file itself): good facts are read by
 * DuckDB alone and give the in-process engine's bytes; bad facts are refused by the SQL checks and
 * then give the same F-codes at the same places as the in-process engine (the shared loader names
 * them); facts in forms only the loader reads (`3.0`, `"70%"`, labels) give the same results.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { emptySummary, type RuleResult } from '../../src/model/result.js';
import { runFromFacts } from '../../src/sql/duckdb-engine.js';
import { inProcessEngine } from '../../src/pipeline/in-process-engine.js';
import { duckDbEngine } from '../../src/pipeline/duckdb-engine.js';
import { runEvaluation } from '../../src/pipeline/run-eval.js';
import type { Output, ResultSink } from '../../src/pipeline/engine.js';
import { sinkNamed } from '../../src/pipeline/engine.js';
import '../../src/pipeline/sinks.js';
import '../../src/pipeline/parquet-sink.js';
import { splitJsonLists } from '../../src/sql/ingest-split.js';

const POLICY = 'policies/yunnan-social-work/2021';
const PROVINCE = 'policies/yunnan-social-work/examples/province.yaml';
const policy = loadPolicy(POLICY).policy!;
const dir = mkdtempSync(join(tmpdir(), 'clausal-ingest-'));
const province = parseYaml(readFileSync(PROVINCE, 'utf8')) as Record<string, Record<string, unknown>[]>;

function put(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The bytes a sink writes, kept. */
function memoryOutput(): Output & { bytes(): Buffer } {
  const chunks: Buffer[] = [];
  return {
    write: (c) => void chunks.push(Buffer.from(c)),
    commit: () => undefined,
    discard: () => void (chunks.length = 0),
    bytes: () => Buffer.concat(chunks),
  };
}

/** `clausal eval --format FORMAT --fields status` through the pipeline: exit outcome, diagnostics and output bytes. */
async function evalWith(engine: 'in-process' | 'duckdb', file: string, asOf = '2022-06-01', format = 'ndjson', omit: string[] = []) {
  const output = memoryOutput();
  const sink: ResultSink = sinkNamed(format)!.create({ format, output, lang: 'zh', fields: 'status', all: false, color: false, toFile: true });
  const run = await runEvaluation(engine === 'duckdb' ? duckDbEngine : inProcessEngine, { paths: [file] }, { policy, policyDir: POLICY, asOf, lang: 'zh', omit: new Set(omit as never[]), stream: false }, sink);
  return { outcome: run.outcome, summary: run.summary, diagnostics: run.diagnostics, bytes: output.bytes() };
}

/** Whether DuckDB read the facts alone (the SQL checks passed). */
async function readBySql(file: string): Promise<{ done: boolean; why?: string; results: RuleResult[] }> {
  const results: RuleResult[] = [];
  const run = await runFromFacts(policy, file, { asOf: '2022-06-01', explain: false }, { emit: (b) => void results.push(...b) }, emptySummary());
  return { done: run.done, ...(run.done ? {} : { why: run.why }), results };
}

const good = put('province.json', JSON.stringify(province, null, 2));

describe('good facts: DuckDB reads the JSON file alone and gives the in-process bytes', () => {
  it('the SQL checks pass on the example province (no fallback)', async () => {
    const r = await readBySql(good);
    expect(r.why).toBeUndefined();
    expect(r.done).toBe(true);
    expect(r.results.length).toBeGreaterThan(100);
  });

  it.each(['2021-06-15', '2026-01-01'])('as of %s: NDJSON bytes and summary equal', async (asOf) => {
    const [a, b] = [await evalWith('in-process', good, asOf), await evalWith('duckdb', good, asOf)];
    expect(b.outcome).toBe('ok');
    expect(b.bytes.toString()).toBe(a.bytes.toString());
    expect(b.summary).toEqual(a.summary);
  });

  it('with --omit not_applicable: the same lines, the same summary (n/a counted, not written)', async () => {
    const [a, b] = [await evalWith('in-process', good, '2022-06-01', 'ndjson', ['not_applicable']), await evalWith('duckdb', good, '2022-06-01', 'ndjson', ['not_applicable'])];
    expect(b.bytes.toString()).toBe(a.bytes.toString());
    expect(b.summary).toEqual(a.summary);
    expect(b.summary.not_applicable).toBeGreaterThan(0);
  });

  it('ids with quotes, backslashes, slashes, emoji and tabs in names: DuckDB writes the NDJSON bytes JSON.stringify would', async () => {
    const copy = JSON.parse(JSON.stringify(province)) as Record<string, Record<string, unknown>[]>;
    const odd = ['a"b', 'c\\d', 'e/f', '机构😀', 'g h\u2028i'];
    odd.forEach((id, i) => {
      copy.institutions[i].id = id;
      copy.institutions[i].name = `name\t${id}`;
    });
    for (const w of copy.workers ?? []) if (typeof w.institution === 'string' && copy.institutions.every((x) => x.id !== w.institution)) delete w.institution;
    const file = put('odd-ids.json', JSON.stringify(copy));
    expect((await readBySql(file)).done).toBe(true);
    const [a, b] = [await evalWith('in-process', file), await evalWith('duckdb', file)];
    expect(b.bytes.toString()).toBe(a.bytes.toString());
  });

  it('JSON output (no DuckDB COPY for it) is the in-process output too', async () => {
    const [a, b] = [await evalWith('in-process', good, '2022-06-01', 'json'), await evalWith('duckdb', good, '2022-06-01', 'json')];
    expect(b.bytes.toString()).toBe(a.bytes.toString());
  });
});

/** One subject changed: `list`, index, and the fields to set (undefined removes). */
function withChange(list: string, index: number, change: Record<string, unknown>, extraTop: Record<string, unknown> = {}): string {
  const copy = JSON.parse(JSON.stringify(province)) as Record<string, Record<string, unknown>[]>;
  const item = copy[list][index];
  for (const [k, v] of Object.entries(change)) {
    if (v === undefined) delete item[k];
    else item[k] = v;
  }
  return JSON.stringify({ ...copy, ...extraTop }, null, 1);
}

const inst = (province.institutions ?? []).findIndex((i) => typeof i.posts === 'object' && i.posts !== null);
const worker = 0;
const region = (province.regions ?? []).findIndex((r) => r.parent !== undefined);

/** Bad facts, one per kind of problem the validator reports (F-code in the name). */
const BAD: [string, string][] = [
  ['F0004 an integer written as text', withChange('institutions', inst, { posts: { total: 'many', professional: 1, social_work: 1 } })],
  ['F0004 a number past 2^53', withChange('institutions', inst, { posts: { total: 9007199254740993, professional: 1, social_work: 1 } })],
  ['F0004 a boolean written as text', withChange('institutions', inst, { sw_in_professional_track: 'yes' })],
  ['F0004 a record that is a number', withChange('institutions', inst, { posts: 5 })],
  ['F0004 a subject that is a list', withChange('institutions', inst, { id: undefined }).replace('"institutions": [', '"institutions": [[],')],
  ['F0005 an enum value not declared', withChange('institutions', inst, { category: 'bakery' })],
  ['F0006 an id twice', withChange('institutions', 1, { id: String(province.institutions[0].id) })],
  ['F0007 a reference to no region', withChange('institutions', inst, { region: 'nowhere' })],
  ['F0008 a region its own parent', withChange('regions', region, { parent: String(province.regions[region].id) })],
  ['F0009 an undeclared field (warning)', withChange('institutions', inst, { colour: 'blue' })],
  ['F0009 an undeclared field in a record (warning)', withChange('institutions', inst, { posts: { total: 3, professional: 2, social_work: 1, extra: 1 } })],
  ['F0010 a subject without id', withChange('workers', worker, { id: undefined })],
  ['F0011 a date that does not exist', withChange('regions', region, { sw_station: { established: '2021-02-30' } })],
  ['F0014 an undeclared list (warning)', withChange('regions', 0, {}, { bakeries: [] })],
  ['F0020 an id with a control character', withChange('institutions', inst, { id: 'A\u001bB' })],
  ['F0020 a name with a bidi override', withChange('institutions', inst, { name: 'x\u202ey' })],
];

describe('bad facts: the SQL checks refuse them, and both engines give the same F-codes at the same places', () => {
  it.each(BAD)('%s', async (_name, text) => {
    const file = put('bad.json', text);
    const sql = await readBySql(file);
    expect(sql.done).toBe(false);
    // The in-process engine may accept a problem in a field no rule reads (its projection); the engines still agree.
    const [a, b] = [await evalWith('in-process', file), await evalWith('duckdb', file)];
    expect(b.outcome).toBe(a.outcome);
    expect(b.diagnostics).toEqual(a.diagnostics);
    expect(b.bytes.toString()).toBe(a.bytes.toString());
  });
});

/** Facts the loader reads but the SQL checks do not: the results are still the in-process ones. */
const ODD: [string, string][] = [
  ['an integer written 3.0', withChange('institutions', inst, { students: 3.0 }).replace('"students": 3', '"students": 3.0')],
  ['a numeric id', withChange('workers', worker, { id: 12345 })],
  ['a JSON syntax error', '{"regions": [}'],
  ['a byte-order mark', `\ufeff${JSON.stringify(province)}`],
];

describe('facts only the loader reads: the same outcome under both engines', () => {
  it.each(ODD)('%s', async (_name, text) => {
    const file = put('odd.json', text);
    const [a, b] = [await evalWith('in-process', file), await evalWith('duckdb', file)];
    expect(b.outcome).toBe(a.outcome);
    expect(b.diagnostics).toEqual(a.diagnostics);
    expect(b.bytes.toString()).toBe(a.bytes.toString());
  });
});

describe('splitting a facts JSON file into NDJSON per list', () => {
  it.each([
    ['items on one line, nested, with strings holding brackets and escapes', '{"a": [{"x": "]\\",["}, [1, [2]], "s", 3, null], "b": null, "c": []}', [['a', 5], ['b', 0], ['c', 0]]],
    ['line breaks between tokens', '{\n"a":\n[\n{\n"x":\n1\n}\n,\n2\n]\n}\n', [['a', 2]]],
  ] as const)('%s', (_name, text, want) => {
    const file = put('split.json', text);
    const out = mkdtempSync(join(dir, 'split-'));
    const lists = splitJsonLists(file, out)!;
    expect(lists.map((l) => [l.key, l.items])).toEqual(want);
    let order = 0;
    for (const l of lists) {
      if (!l.file) continue;
      const lines = readFileSync(l.file, 'utf8').split('\n').filter(Boolean);
      expect(lines.length).toBe(l.items);
      for (const line of lines) expect((JSON.parse(line) as { o: number }).o).toBe(order++);
    }
  });

  it.each(['[1, 2]', '{"a": 1}', '{"a": [1], }', '{"a": [1,]}', '{"a": [1]} x', '{"a": [1]', '{"a" [1]}', '{"a": nul}'])('refuses a top level that is not an object of lists: %s', (text) => {
    expect(splitJsonLists(put('split-bad.json', text), mkdtempSync(join(dir, 'split-')))).toBeUndefined();
  });
});

/** The example province as Parquet files: typed columns, no list fields (those go through the table loader). */
async function parquetFolder(lists: Record<string, Record<string, unknown>[]>, name: string): Promise<string> {
  const folder = mkdtempSync(join(dir, name));
  const json = put(`${name}.json`, JSON.stringify(lists));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const columns: Record<string, Record<string, string>> = {
      regions: { id: 'VARCHAR', name: 'VARCHAR', level: 'VARCHAR', parent: 'VARCHAR', 'sw_station.established': 'DATE', conditions_permit: 'BOOLEAN' },
      institutions: { id: 'VARCHAR', name: 'VARCHAR', category: 'VARCHAR', region: 'VARCHAR', 'posts.total': 'BIGINT', 'posts.professional': 'BIGINT', 'posts.social_work': 'BIGINT', sw_in_professional_track: 'BOOLEAN', students: 'BIGINT' },
      workers: { id: 'VARCHAR', institution: 'VARCHAR', qualification: 'VARCHAR', 'post.tier': 'VARCHAR', 'post.grade': 'BIGINT', hard_area_years: 'DECIMAL(9,2)' },
    };
    for (const [list, cols] of Object.entries(columns)) {
      const select = Object.entries(cols).map(([c, t]) => {
        const path = `$.${c.split('.').map((s) => `"${s}"`).join('.')}`;
        return `CAST(json_extract_string(j, '${path}') AS ${t}) AS "${c}"`;
      });
      await connection.run(`COPY (SELECT ${select.join(', ')} FROM (SELECT UNNEST(${list}) AS j FROM read_json('${json}', columns = {${list}: 'JSON[]'}))) TO '${join(folder, `${list}.parquet`)}' (FORMAT parquet)`);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return folder;
}

describe('Parquet facts: DuckDB reads typed columns alone', () => {
  // Records and fields absent from the columns above are absent in both (the example has none set to `null` in them).
  const trimmed = Object.fromEntries(Object.entries(province).map(([list, items]) => [list, items.map((s) => {
    const keep = list === 'regions' ? ['id', 'name', 'level', 'parent', 'sw_station', 'conditions_permit'] : list === 'institutions' ? ['id', 'name', 'category', 'region', 'posts', 'sw_in_professional_track', 'students'] : ['id', 'institution', 'qualification', 'post', 'hard_area_years'];
    const o: Record<string, unknown> = {};
    for (const k of keep) if (s[k] !== undefined && s[k] !== null) o[k] = s[k];
    if (list === 'workers' && o.post) o.post = { tier: (o.post as Record<string, unknown>).tier, grade: (o.post as Record<string, unknown>).grade };
    if (list === 'regions' && o.sw_station && (o.sw_station as Record<string, unknown>).established === undefined) delete o.sw_station;
    if (list === 'institutions' && o.posts) o.posts = Object.fromEntries(Object.entries(o.posts as object).filter(([, v]) => v !== null));
    return o;
  })]));

  it('read by SQL alone, with the results of the same facts in JSON; Parquet output equal to the in-process engine\'s', async () => {
    const folder = await parquetFolder(trimmed, 'pq');
    const r = await readBySql(folder);
    expect(r.why).toBeUndefined();
    expect(r.done).toBe(true);
    const json = put('trimmed.json', JSON.stringify(trimmed));
    const [a, b] = [await evalWith('in-process', json), await evalWith('duckdb', folder)];
    expect(b.bytes.toString()).toBe(a.bytes.toString());
    const [pa, pb] = [await evalWith('in-process', folder, '2022-06-01', 'parquet'), await evalWith('duckdb', folder, '2022-06-01', 'parquet')];
    const rows = async (bytes: Buffer) => {
      const f = join(dir, `out-${Math.random().toString(36).slice(2)}.parquet`);
      writeFileSync(f, bytes);
      const instance = await DuckDBInstance.create(':memory:');
      const c = await instance.connect();
      try {
        return (await c.runAndReadAll(`SELECT * FROM read_parquet('${f}')`)).getRowObjectsJson();
      } finally {
        c.closeSync();
        instance.closeSync();
      }
    };
    expect(await rows(pb.bytes)).toEqual(await rows(pa.bytes));
    expect(pb.summary).toEqual(pa.summary);
  });
});
