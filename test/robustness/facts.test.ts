/**
 * Hostile facts: keys and ids that name JavaScript's prototype machinery, numbers JavaScript
 * cannot hold, dates that do not exist, ids with control characters, cyclic and very deep
 * parent chains, dangling references. In YAML, JSON and NDJSON alike; through the API (so
 * spans are checked) and through `clausal eval` (so exit codes and positions are).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadFactsText, type FactsFormat } from '../../src/facts/parse-facts.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { loadPolicy } from '../../src/loader/load-policy.js';
import type { RuleResult } from '../../src/model/result.js';
import { cli, errorCodes, expectDiagnostic, expectNoCrash, expectNoPollution, expectPlaced, POLICY, put, tempDir, timed, BOUND_MS } from './harness.js';

const dir = tempDir('facts');
const policy = loadPolicy(POLICY).policy!;
const AS_OF = '2022-06-01';

function load(text: string, format: FactsFormat = 'yaml') {
  const { value, ms } = timed(() => loadFactsText(policy, `facts.${format}`, text, format));
  expect(ms).toBeLessThan(BOUND_MS);
  expectPlaced(value.diagnostics, text);
  return value;
}

function resultsOf(text: string, format: FactsFormat = 'yaml'): RuleResult[] {
  const r = load(text, format);
  expect(errorCodes(r.diagnostics), JSON.stringify(r.diagnostics)).toEqual([]);
  return [...evaluate(policy, r.facts!, { asOf: AS_OF }).results];
}

function statusOf(results: readonly RuleResult[], id: string, rule: string): string | undefined {
  return results.find((r) => r.subject.id === id && r.rule === rule)?.status;
}

const PROTO_WORDS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];

describe('prototype names as keys and ids pollute nothing and work as ordinary data', () => {
  // Written as text: an object literal would turn `__proto__` into a real prototype, while a
  // hostile file makes it an own key (JSON.parse and YAML both do).
  const JSON_TEXT = `{
    "__proto__": { "polluted": 0 },
    "constructor": { "prototype": { "polluted": 5 } },
    "regions": [
      { "id": "__proto__", "name": "p", "level": "province" },
      { "id": "constructor", "level": "prefecture", "parent": "__proto__" },
      { "id": "prototype", "level": "county", "parent": "constructor", "__proto__": { "polluted": 1 }, "constructor": { "prototype": { "polluted": 2 } } }
    ],
    "institutions": [
      { "id": "toString", "category": "school", "region": "prototype", "students": 100, "sw_room": true, "sw_in_professional_track": true,
        "posts": { "social_work": 1, "__proto__": { "polluted": 3 }, "constructor": 4 } },
      { "id": "hasOwnProperty", "category": "social_work_agency", "region": "__proto__", "posts": { "total": 10, "social_work": 7 } }
    ],
    "workers": [ { "id": "valueOf", "institution": "toString", "qualification": "none", "post": { "tier": "assistant", "grade": 1, "level": 11 } } ]
  }`;

  it.each(['yaml', 'json'] as const)('as list keys, field keys, nested keys and ids (%s)', (format) => {
    // JSON is YAML: the same text read by the YAML loader.
    const text = JSON_TEXT;
    const r = load(text, format);
    expect(errorCodes(r.diagnostics)).toEqual([]);
    const warned = r.diagnostics.map((d) => `${d.code} ${d.factsPath}`);
    expect(warned).toContain('F0014 __proto__');
    expect(warned).toContain('F0014 constructor');
    const facts = r.facts!;
    expect(facts.subjects.map((s) => s.id)).toEqual(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf']);
    // The parent chain is followed by id, whatever the id says.
    const proto = facts.byKind.get('region')!.get('prototype')!;
    expect((proto.data.parent as { id: string }).id).toBe('constructor');
    expect(Object.getPrototypeOf(proto.data)).toBeNull();
    const report = evaluate(policy, facts, { asOf: AS_OF });
    expect(statusOf(report.results, 'hasOwnProperty', 'agency-post-share')).toBe('compliant');
    // Level 11 matches assistant grade 1, but qualification `none` is below the tier.
    expect(statusOf(report.results, 'valueOf', 'post-grade-level')).toBe('violation');
    expect(report.results.every((x) => !/\[object|undefined|NaN/.test(x.explanation))).toBe(true);
    expectNoPollution();
  });

  it('as NDJSON kinds, ids and keys', () => {
    const lines = [
      '{"kind":"region","id":"__proto__","level":"province","__proto__":{"polluted":1}}',
      '{"kind":"region","id":"constructor","level":"prefecture","parent":"__proto__","constructor":{"prototype":{"polluted":2}}}',
      '{"kind":"institution","id":"prototype","category":"social_work_agency","region":"constructor","posts":{"total":10,"social_work":6,"__proto__":{"polluted":3}}}',
    ];
    const results = resultsOf(`${lines.join('\n')}\n`, 'ndjson');
    expect(statusOf(results, 'prototype', 'agency-post-share')).toBe('violation');
    for (const kind of PROTO_WORDS) {
      const r = load(`{"kind":${JSON.stringify(kind)},"id":"x"}\n`, 'ndjson');
      expect(errorCodes(r.diagnostics)).toEqual(['F0013']);
    }
    expectNoPollution();
  });

  it('random documents over prototype-flavoured keys never throw or pollute (fast-check, 1,500 cases)', () => {
    const key = fc.constantFrom(...PROTO_WORDS, 'id', 'kind', 'level', 'parent', 'posts', 'total', 'regions', 'institutions', 'workers', 'name', 'category');
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constantFrom(null, true, 0, -0, 1e400, 2 ** 53 + 2, 0.1, 'province', 'school', '2021-02-30', '__proto__', 'x\u001b'),
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(key, tie('v'), { maxKeys: 5 }),
      ),
    })).v;
    const doc = fc.dictionary(fc.constantFrom('regions', 'institutions', 'workers', '__proto__', 'constructor'), fc.array(fc.dictionary(key, value, { maxKeys: 6 }), { maxLength: 4 }), { maxKeys: 4 });
    fc.assert(
      fc.property(doc, fc.constantFrom<FactsFormat>('json', 'yaml', 'ndjson'), (d, format) => {
        let text: string;
        if (format === 'json') text = JSON.stringify(d);
        else if (format === 'yaml') text = yamlOf(d);
        else text = Object.entries(d).flatMap(([list, items]) => items.map((it) => JSON.stringify({ kind: list.replace(/s$/, ''), ...it }))).join('\n');
        const r = loadFactsText(policy, `f.${format}`, text, format);
        expectPlaced(r.diagnostics, text);
        if (r.facts) evaluate(policy, r.facts, { asOf: AS_OF });
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 1500, seed: 20_221_128 },
    );
    expectNoPollution();
  });
});

/** YAML flow text of a JSON-like value (JSON is YAML; keys stay own keys, `__proto__` included). */
function yamlOf(v: unknown): string {
  return `${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)}: ${JSON.stringify(x)}`).join('\n')}\n`;
}

describe('numbers JavaScript cannot hold exactly', () => {
  const inst = (fields: string) => `institutions:\n  - { id: A, category: social_work_agency, ${fields} }\n`;
  const CASES: { name: string; text: string; want: string | { rule: string; status: string } }[] = [
    { name: '1e400 (Infinity once parsed)', text: inst('posts: { total: 1e400, social_work: 1 }'), want: 'F0004' },
    { name: '-1e400', text: inst('posts: { total: -1e400, social_work: 1 }'), want: 'F0004' },
    { name: '.inf', text: inst('posts: { total: .inf, social_work: 1 }'), want: 'F0004' },
    { name: '.nan', text: inst('posts: { total: .nan, social_work: 1 }'), want: 'F0004' },
    { name: '"NaN" as a string', text: inst('posts: { total: "NaN", social_work: 1 }'), want: 'F0004' },
    { name: '"Infinity" as a string', text: inst('posts: { total: "Infinity", social_work: 1 }'), want: 'F0004' },
    { name: 'an integer past 2^53 (rounded by the parser)', text: inst('posts: { total: 9007199254740993, social_work: 1 }'), want: 'F0004' },
    { name: '2^53 - 1 itself (the largest safe integer)', text: inst('posts: { total: 9007199254740991, social_work: 9007199254740991 }'), want: { rule: 'agency-post-share', status: 'compliant' } },
    { name: '-0 (folds into 0)', text: inst('posts: { total: -0, social_work: 0 }'), want: { rule: 'agency-post-share', status: 'compliant' } },
    { name: 'a fraction where an integer is declared', text: inst('posts: { total: 10.5, social_work: 7 }'), want: 'F0004' },
    { name: '1e-400 (underflows to 0)', text: inst('posts: { total: 1e-400, social_work: 0 }'), want: { rule: 'agency-post-share', status: 'compliant' } },
    { name: 'a hex literal (YAML 1.2 core reads 0x10 as 16)', text: inst('posts: { total: 0x10, social_work: 12 }'), want: { rule: 'agency-post-share', status: 'compliant' } },
    { name: 'an octal-looking string', text: inst('posts: { total: "010", social_work: 7 }'), want: 'F0004' },
    { name: 'a huge decimal in a number field degrades to the nearest double (documented)', text: 'workers:\n  - { id: W, qualification: assistant, hard_area: true, hard_area_years: 123456789012345678901234567890 }\n', want: { rule: 'hard-area-admission-priority', status: 'eligible' } },
  ];

  it.each(CASES)('$name', async ({ name, text, want }) => {
    if (typeof want === 'string') {
      const r = load(text);
      expect(r.facts).toBeUndefined();
      expect(errorCodes(r.diagnostics)).toEqual([want]);
      expect(r.diagnostics[0].factsPath).toMatch(/^(institutions|workers)\[0\]\./);
      const run = await cli(['eval', POLICY, '--facts', put(dir, `num-${name.replace(/\W+/g, '-')}.yaml`, text), '--as-of', AS_OF]);
      expectDiagnostic(run, 4, want, '\\S+\\.yaml:\\d+:\\d+');
    } else {
      const results = resultsOf(text);
      const id = text.includes('workers') ? 'W' : 'A';
      const found = results.filter((r) => r.subject.id === id).map((r) => [r.rule, r.status]);
      expect(found, JSON.stringify(found)).toContainEqual([want.rule, want.status]);
    }
  });

  it('JSON numbers: 1e400 and 2^53 + 1 are refused, -0 is 0', () => {
    const json = (total: string) => `{"institutions":[{"id":"A","category":"social_work_agency","posts":{"total":${total},"social_work":0}}]}`;
    expect(errorCodes(load(json('1e400'), 'json').diagnostics)).toEqual(['F0004']);
    expect(errorCodes(load(json('9007199254740993'), 'json').diagnostics)).toEqual(['F0004']);
    expect(statusOf(resultsOf(json('-0'), 'json'), 'A', 'agency-post-share')).toBe('compliant');
    // An id past 2^53 would be rounded to another id: refused.
    expect(errorCodes(load('{"regions":[{"id":9007199254740993}]}', 'json').diagnostics)).toEqual(['F0004']);
  });
});

describe('dates that do not exist', () => {
  const station = (date: string) => `regions:\n  - { id: "1", level: township, sw_station: { established: ${date} } }\n`;
  it.each(['2021-02-30', '2021-13-01', '21-1-1', '2021-1-1', '2021-00-10', '2021-04-31', '2100-02-29', '0000-00-00', '"2021-02-29"', '2021-02-28T00:00:00Z', '" 2021-02-28"', '20210228', 'today'])('%s -> F0011 or F0004 at its position', async (date) => {
    const text = station(date);
    const r = load(text);
    expect(r.facts).toBeUndefined();
    const [code] = errorCodes(r.diagnostics);
    expect(['F0011', 'F0004']).toContain(code);
    expect(r.diagnostics[0].factsPath).toBe('regions[0].sw_station.established');
    expect(text.slice(r.diagnostics[0].span!.start, r.diagnostics[0].span!.end)).toBe(date);
    const run = await cli(['eval', POLICY, '--facts', put(dir, `date-${date.replace(/\W+/g, '-')}.yaml`, text), '--as-of', AS_OF]);
    expectDiagnostic(run, 4, code, `\\S+\\.yaml:2:${text.split('\n')[1].indexOf(date) + 1}`);
  });

  it('real leap days and the calendar edges are accepted', () => {
    for (const date of ['2020-02-29', '2000-02-29', '1900-02-28', '0001-01-01', '9999-12-31']) {
      expect(errorCodes(load(station(date)).diagnostics), date).toEqual([]);
    }
  });
});

describe('ids and text with control characters', () => {
  const CASES: [string, string][] = [
    ['a newline', 'a\\nb'],
    ['a carriage return', 'a\\rb'],
    ['NUL', 'a\\0b'],
    ['ESC (a terminal colour sequence)', '\\e[31mred'],
    ['a right-to-left override', 'abc\\u202Edef'],
    ['DEL', 'a\\u007Fb'],
    ['a C1 control', 'a\\u0085b'],
    ['a tab', 'a\\tb'],
  ];
  it.each(CASES)('an id with %s is refused (F0020), and the message shows it escaped', async (_name, escaped) => {
    const text = `regions:\n  - { id: "${escaped}", level: province }\n`;
    const r = load(text);
    expect(errorCodes(r.diagnostics)).toEqual(['F0020']);
    expect(r.diagnostics[0].factsPath).toBe('regions[0].id');
    const run = await cli(['eval', POLICY, '--facts', put(dir, `id-${escaped.replace(/\W+/g, '-')}.yaml`, text), '--as-of', AS_OF]);
    expectDiagnostic(run, 4, 'F0020', '\\S+\\.yaml:2:11');
    // No raw control character reaches the terminal.
    expect(run.stderr.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it('the same in JSON and NDJSON', () => {
    expect(errorCodes(load('{"regions":[{"id":"a\\u001bb"}]}', 'json').diagnostics)).toEqual(['F0020']);
    expect(errorCodes(load('{"kind":"region","id":"a\\nb"}\n', 'ndjson').diagnostics)).toEqual(['F0020']);
  });

  it('a name may hold a newline or a tab, but not ESC', () => {
    expect(errorCodes(load('regions:\n  - { id: "1", name: "two\\nlines\\tand a tab", level: province }\n').diagnostics)).toEqual([]);
    expect(errorCodes(load('regions:\n  - { id: "1", name: "\\e[2J", level: province }\n').diagnostics)).toEqual(['F0020']);
  });

  it('a reference naming an id with control characters is reported with the id escaped', async () => {
    const text = 'workers:\n  - { id: W, institution: "\\e[31mX\\nFAKE: line" }\n';
    const run = await cli(['eval', POLICY, '--facts', put(dir, 'ref-ctrl.yaml', text), '--as-of', AS_OF]);
    expectDiagnostic(run, 4, 'F0007', '\\S+\\.yaml:2:27');
    expect(run.stderr).toContain('\\u{1b}[31mX\\u{a}FAKE: line');
    expect(run.stderr).not.toMatch(/^FAKE/m);
  });
});

describe('references: self, cycles, chains and dangling ones', () => {
  it('a region that is its own parent -> F0008', async () => {
    const text = 'regions:\n  - { id: "1", level: province, parent: "1" }\n';
    expect(errorCodes(load(text).diagnostics)).toEqual(['F0008']);
    expectDiagnostic(await cli(['eval', POLICY, '--facts', put(dir, 'self.yaml', text)]), 4, 'F0008', '\\S+\\.yaml:2:\\d+');
  });

  it('a cycle of three -> F0008 naming it', () => {
    const r = load('regions:\n  - { id: a, parent: b }\n  - { id: b, parent: c }\n  - { id: c, parent: a }\n');
    expect(r.diagnostics.map((d) => [d.code, d.args.cycle])).toEqual([['F0008', 'a -> b -> c -> a']]);
  });

  it('a cycle of 50,000 -> one F0008 with a one-line message', () => {
    const n = 50_000;
    const lines = Array.from({ length: n }, (_, i) => `{"kind":"region","id":"r${i}","parent":"r${(i + 1) % n}"}`);
    const r = load(lines.join('\n'), 'ndjson');
    expect(errorCodes(r.diagnostics)).toEqual(['F0008']);
    expect(String(r.diagnostics[0].args.cycle).length).toBeLessThan(200);
  });

  it('a chain of 100,000 parents -> F0021 (a transitive relation over it would be quadratic), in bounded time', async () => {
    const n = 100_000;
    const lines = Array.from({ length: n }, (_, i) => `{"kind":"region","id":"r${i}","level":"county"${i ? `,"parent":"r${i - 1}"` : ''}}`);
    const file = put(dir, 'chain.ndjson', `${lines.join('\n')}\n`);
    const run = await cli(['eval', POLICY, '--facts', file, '--as-of', AS_OF, '--format', 'json']);
    expectDiagnostic(run, 4, 'F0021', '\\S+\\.ndjson:\\d+:\\d+');
    expect(run.stderr).toContain('regions[r100].parent');
  });

  it('a chain of exactly the limit (100) evaluates', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `{"kind":"region","id":"r${i}","level":"county"${i ? `,"parent":"r${i - 1}"` : ''}}`);
    const results = resultsOf(lines.join('\n'), 'ndjson');
    expect(results.length).toBeGreaterThan(0);
  });

  it('a worker whose institution is missing -> F0007 at the reference', async () => {
    const text = 'institutions:\n  - { id: I1, category: school }\nworkers:\n  - { id: W1, institution: NOPE }\n';
    const r = load(text);
    expect(r.diagnostics.map((d) => [d.code, d.factsPath, d.args.id])).toEqual([['F0007', 'workers[0].institution', 'NOPE']]);
    expectDiagnostic(await cli(['eval', POLICY, '--facts', put(dir, 'dangling.yaml', text)]), 4, 'F0007', '\\S+\\.yaml:4:28');
  });

  it('a reference of the wrong shape (a list, a mapping, a number past 2^53) -> F0004', () => {
    for (const ref of ['[I1]', '{ id: I1 }', '9007199254740993', 'true']) {
      const r = load(`institutions:\n  - { id: I1 }\nworkers:\n  - { id: W1, institution: ${ref} }\n`);
      expect(errorCodes(r.diagnostics), ref).toEqual(['F0004']);
    }
  });

  it('duplicate ids, missing ids and ids of the wrong type', () => {
    expect(errorCodes(load('regions:\n  - { id: a }\n  - { id: a }\n').diagnostics)).toEqual(['F0006']);
    expect(errorCodes(load('regions:\n  - { name: x }\n  - { id: "" }\n  - { id: null }\n').diagnostics)).toEqual(['F0010', 'F0010', 'F0010']);
    expect(errorCodes(load('regions:\n  - { id: 1.5 }\n  - { id: [1] }\n  - { id: true }\n').diagnostics)).toEqual(['F0004', 'F0004', 'F0004']);
  });

  it('an id of 1 MB is data like any other', () => {
    const id = 'x'.repeat(1 << 20);
    const results = resultsOf(`{"regions":[{"id":"${id}","level":"province"}]}`, 'json');
    expect(results[0].subject.id).toBe(id);
  });
});

describe('the shape of the document', () => {
  it.each([
    ['empty', '', 'F0003'],
    ['a scalar', '42', 'F0003'],
    ['a list', '- a\n', 'F0003'],
    ['a list where a mapping is wanted', 'regions: 5\n', 'F0004'],
    ['scalars where subjects are wanted', 'regions: [1, "a", null, [1]]\n', 'F0004'],
  ])('%s -> %s', async (name, text, code) => {
    expect(errorCodes(load(text).diagnostics)).toContain(code);
    expectDiagnostic(await cli(['eval', POLICY, '--facts', put(dir, `shape-${name.replace(/\W+/g, '-')}.yaml`, text)]), 4, code);
  });

  it('JSON with a byte-order mark, trailing garbage, or truncated', async () => {
    expect(errorCodes(load('\ufeff{"regions":[]}', 'json').diagnostics)).toEqual([]);
    for (const text of ['{"regions":[]} x', '{"regions":[', '{"regions":[{"id":"1",}]}']) {
      const run = await cli(['eval', POLICY, '--facts', put(dir, 'bad.json', text)]);
      expectDiagnostic(run, 4, 'F0002', '\\S+\\.json:1:\\d+');
    }
  });

  it('a facts path that is missing, of an unknown type, or a directory (read as a folder of CSV files)', async () => {
    for (const [path, code] of [[`${dir}/x.yaml`, 'F0001'], ['/dev/null', 'F0015'], [`${dir}/x.txt`, 'F0015']] as const) {
      const run = await cli(['eval', POLICY, '--facts', path]);
      expectNoCrash(run);
      expect(run.code).toBe(4);
      expect(run.stderr).toContain(code);
    }
    for (const path of [dir, put(dir, 'a-dir.yaml/x', '').replace(/\/x$/, '')]) expectNoCrash(await cli(['eval', POLICY, '--facts', path]));
  });
});
