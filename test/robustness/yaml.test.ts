/**
 * Hostile YAML, both where YAML is a rule file (`parseYamlPolicyFile`, `clausal check`) and
 * where it is a facts file (`loadFactsText`, `clausal eval`): alias bombs, nesting 10,000 deep,
 * duplicate keys, tabs, a byte-order mark, bytes that are not UTF-8, several documents, and
 * tags that would build objects (`!!js/function`, `!!binary`, …). Each case states the code it
 * must end in, or `ok` for a correct result.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFactsText } from '../../src/facts/parse-facts.js';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { parseYamlPolicyFile } from '../../src/yaml/load-yaml.js';
import { cli, errorCodes, expectDiagnostic, expectNoCrash, expectNoPollution, expectPlaced, POLICY, put, tempDir, timed, BOUND_MS } from './harness.js';

const dir = tempDir('yaml');
const policy = loadPolicy(POLICY).policy!;

/** A billion-laughs document: `levels` anchors, each a list of `width` aliases of the one before. */
function aliasBomb(levels: number, width: number, top = 'bomb'): string {
  const lines = [`l0: &l0 [${Array(width).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < levels; i++) lines.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]`);
  lines.push(`${top}: [${Array(width).fill(`*l${levels - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

const DEEP = 10_000;

interface Case {
  readonly name: string;
  readonly text: string | Uint8Array;
  /** Code a rule file with this text ends in (`ok`: parses without errors). */
  readonly rule: string;
  /** Code a facts file with this text ends in (`ok`: evaluates). */
  readonly facts: string;
  /** `line:col` of the headline, where it is worth pinning. */
  readonly ruleAt?: string;
  readonly factsAt?: string;
}

const encoder = new TextEncoder();
const latin1 = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0)));

const CASES: readonly Case[] = [
  // An alias bomb: 9^9 = 387 million strings once expanded, 1 KB as written.
  { name: 'billion laughs (9 levels of 9)', text: aliasBomb(9, 9), rule: 'Y0004', facts: 'F0002' },
  { name: 'billion laughs inside a facts list', text: aliasBomb(6, 10, 'regions'), rule: 'Y0004', facts: 'F0002' },
  // A recursive alias: infinite for a rule file; for facts, `yaml` builds a cyclic value, which
  // the type-directed conversion never follows further than the declared fields.
  { name: 'an alias inside its own anchor', text: 'a: &a [1, *a]\n', rule: 'Y0004', facts: 'ok' },
  { name: 'a list of subjects that contains itself', text: 'regions: &r [*r]\n', rule: 'Y0004', facts: 'F0004' },
  { name: 'a subject that contains itself', text: 'regions:\n  - &s { id: "1", name: *s, parent: *s }\n', rule: 'Y0004', facts: 'F0004' },
  { name: 'an alias with no anchor', text: 'regions: [*nowhere]\n', rule: 'Y0001', facts: 'F0002' },
  { name: `flow sequences nested ${DEEP} deep`, text: `${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n`, rule: 'S0010', facts: 'F0017', ruleAt: '1:101', factsAt: '1:101' },
  { name: `flow mappings nested ${DEEP} deep`, text: `regions: ${'{a: '.repeat(DEEP)}1${'}'.repeat(DEEP)}\n`, rule: 'S0010', facts: 'F0017' },
  { name: `block sequences nested ${DEEP} deep on one line`, text: `regions:\n  ${'- '.repeat(DEEP)}x\n`, rule: 'S0010', facts: 'F0017' },
  // Indentation makes a block mapping quadratic in size: 2,000 levels is already 2 MB.
  { name: 'block mappings nested 2,000 deep', text: Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n', rule: 'S0010', facts: 'F0017' },
  { name: 'a duplicate top-level key', text: 'regions: []\nregions: []\n', rule: 'Y0003', facts: 'F0002', ruleAt: '2:1', factsAt: '2:1' },
  { name: 'a duplicate key inside a subject', text: 'regions:\n  - { id: "1", id: "2", level: province }\n', rule: 'Y0003', facts: 'F0002' },
  { name: 'a tab used as indentation', text: 'regions:\n\t- { id: "1" }\n', rule: 'Y0001', facts: 'F0002', ruleAt: '2:1', factsAt: '2:1' },
  { name: 'tabs inside values (allowed)', text: 'regions:\n  - { id: "1",\tlevel: province }\n', rule: 'Y0002', facts: 'ok' },
  { name: 'a byte-order mark', text: '\ufeffregions:\n  - { id: "530000", level: province }\n', rule: 'Y0002', facts: 'ok' },
  { name: 'a byte-order mark on a valid rule file', text: '\ufefftables:\n  t:\n    params: {q: qualification}\n    result: integer\n    rows: [[none, 0]]\n', rule: 'ok', facts: 'ok' },
  { name: 'Latin-1 bytes (not UTF-8)', text: latin1('regions:\n  - { id: "1", name: "Bj\u00f6rk", level: province }\n'), rule: 'S0014', facts: 'F0019', ruleAt: '2:25', factsAt: '2:25' },
  { name: 'a lone continuation byte', text: Uint8Array.from([...encoder.encode('regions: ["'), 0x80, ...encoder.encode('"]\n')]), rule: 'S0014', facts: 'F0019' },
  { name: 'an overlong encoding of "/"', text: Uint8Array.from([...encoder.encode('regions: ["'), 0xc0, 0xaf, ...encoder.encode('"]\n')]), rule: 'S0014', facts: 'F0019' },
  { name: 'an encoded UTF-16 surrogate', text: Uint8Array.from([...encoder.encode('regions: ["'), 0xed, 0xa0, 0x80, ...encoder.encode('"]\n')]), rule: 'S0014', facts: 'F0019' },
  { name: 'a truncated sequence at the end', text: Uint8Array.from([...encoder.encode('regions: []\n# '), 0xe4, 0xb8]), rule: 'S0014', facts: 'F0019' },
  { name: 'two documents', text: 'regions: []\n---\nregions: []\n', rule: 'Y0006', facts: 'F0002', ruleAt: '2:1', factsAt: '2:1' },
  { name: 'a document end marker then more', text: 'regions: []\n...\n---\nworkers: []\n', rule: 'Y0006', facts: 'F0002' },
  { name: '!!js/function', text: 'regions:\n  - { id: !!js/function "function () { return 1 }" }\n', rule: 'Y0005', facts: 'F0018', ruleAt: '2:11', factsAt: '2:11' },
  { name: '!!js/regexp', text: 'regions:\n  - { id: "1", name: !!js/regexp /x/ }\n', rule: 'Y0005', facts: 'F0018' },
  { name: '!!js/undefined', text: 'regions: !!js/undefined\n', rule: 'Y0005', facts: 'F0018' },
  { name: '!!python/object/apply', text: 'regions: !!python/object/apply:os.system ["echo hi"]\n', rule: 'Y0005', facts: 'F0018' },
  { name: 'a verbatim tag', text: 'regions: !<tag:yaml.org,2002:js/function> "x"\n', rule: 'Y0005', facts: 'F0018' },
  { name: 'a local tag', text: 'regions: !custom []\n', rule: 'Y0005', facts: 'F0018' },
  { name: 'a %TAG directive with a shorthand', text: '%TAG !e! tag:example.com,2000:\n---\nregions: !e!thing []\n', rule: 'Y0005', facts: 'F0018' },
  { name: '!!binary', text: 'regions:\n  - { id: !!binary aGVsbG8= }\n', rule: 'Y0005', facts: 'F0018' },
  { name: '!!set', text: 'regions: !!set { a, b }\n', rule: 'Y0005', facts: 'F0018' },
  { name: '!!omap', text: 'regions: !!omap [ a: 1 ]\n', rule: 'Y0005', facts: 'F0018' },
  { name: '!!timestamp', text: 'regions:\n  - { id: "1", sw_station: { established: !!timestamp 2021-01-01 } }\n', rule: 'Y0005', facts: 'F0018' },
  { name: 'a tag on a block scalar', text: 'regions: !!js/function |\n  x\n', rule: 'Y0005', facts: 'F0018' },
  { name: 'core tags restating the type (allowed)', text: 'regions:\n  - { id: !!str 530000, level: !!str province, conditions_permit: !!bool true }\n', rule: 'Y0002', facts: 'ok' },
  { name: 'a merge key', text: 'base: &b { level: province }\nregions:\n  - { <<: *b, id: "1" }\n', rule: 'Y0002', facts: 'ok' },
  { name: 'a key of 2,000 characters', text: `regions:\n  - { ${'k'.repeat(2000)}: 1, id: "1" }\n`, rule: 'Y0002', facts: 'ok' },
  { name: 'a NUL character in an id', text: 'regions:\n  - { id: "a\u0000b" }\n', rule: 'Y0002', facts: 'F0020', factsAt: '2:11' },
  { name: 'an escaped ESC in an id', text: 'regions:\n  - { id: "\\e[31mred" }\n', rule: 'Y0002', facts: 'F0020' },
  { name: 'nothing at all', text: '', rule: 'ok', facts: 'F0003' },
  { name: 'only a comment', text: '# nothing\n', rule: 'ok', facts: 'F0003' },
];

const asText = (t: string | Uint8Array) => (typeof t === 'string' ? t : new TextDecoder().decode(t));

describe('hostile YAML as a rule file', () => {
  it.each(CASES.filter((c) => typeof c.text === 'string'))('$name -> $rule (parseYamlPolicyFile)', ({ text, rule }) => {
    const t = asText(text);
    const { value: r, ms } = timed(() => parseYamlPolicyFile('hostile.yaml', t));
    expect(ms).toBeLessThan(BOUND_MS);
    expectPlaced(r.diagnostics, t);
    const errors = errorCodes(r.diagnostics);
    if (rule === 'ok') expect(errors).toEqual([]);
    else expect(errors).toContain(rule);
    expectNoPollution();
  });

  it.each(CASES)('$name -> $rule (clausal check)', async ({ name, text, rule, ruleAt }) => {
    const policyDir = join(dir, 'rules', name.replace(/\W+/g, '-'));
    cpSync(POLICY, policyDir, { recursive: true });
    put(policyDir, '99-hostile.yaml', text);
    const run = await cli(['check', policyDir]);
    if (rule === 'ok') {
      expectNoCrash(run);
      expect(run.code, run.stderr).toBe(0);
    } else {
      expectDiagnostic(run, 1, rule, `\\S*99-hostile\\.yaml:${ruleAt ?? '\\d+:\\d+'}`);
    }
  });
});

describe('hostile YAML as a facts file', () => {
  it.each(CASES.filter((c) => typeof c.text === 'string'))('$name -> $facts (loadFactsText)', ({ text, facts }) => {
    const t = asText(text);
    const { value: r, ms } = timed(() => loadFactsText(policy, 'hostile.yaml', t, 'yaml'));
    expect(ms).toBeLessThan(BOUND_MS);
    expectPlaced(r.diagnostics, t);
    if (facts === 'ok') {
      expect(errorCodes(r.diagnostics)).toEqual([]);
      expect(r.facts).toBeDefined();
      evaluate(policy, r.facts!, { asOf: '2022-06-01' });
    } else {
      expect(r.facts).toBeUndefined();
      expect(errorCodes(r.diagnostics)).toContain(facts);
    }
    expectNoPollution();
  });

  it.each(CASES)('$name -> $facts (clausal eval)', async ({ name, text, facts, factsAt }) => {
    const file = put(dir, `facts/${name.replace(/\W+/g, '-')}.yaml`, text);
    const run = await cli(['eval', POLICY, '--facts', file, '--as-of', '2022-06-01', '--format', 'json']);
    if (facts === 'ok') {
      expectNoCrash(run);
      expect(run.code, run.stderr).toBe(0);
      expect(Array.isArray(JSON.parse(run.stdout).results)).toBe(true);
    } else {
      expectDiagnostic(run, 4, facts, `\\S*\\.yaml:${factsAt ?? '\\d+:\\d+'}`);
    }
  });
});

describe('YAML limits are options', () => {
  it('a deeper facts document passes when maxDepth allows it, and is refused at the limit', () => {
    const text = `regions:\n  - { id: "1", level: province, x: ${'['.repeat(150)}${']'.repeat(150)} }\n`;
    expect(errorCodes(loadFactsText(policy, 'f.yaml', text, 'yaml').diagnostics)).toEqual(['F0017']);
    const allowed = loadFactsText(policy, 'f.yaml', text, 'yaml', { maxSubjects: 10, maxErrors: 50, maxWarnings: 20, maxDepth: 200 });
    expect(errorCodes(allowed.diagnostics)).toEqual([]);
    expect(allowed.facts?.subjects.length).toBe(1);
  });

  it('a rule file nested past maxYamlDepth is refused with S0010 at the first collection too deep', () => {
    const r = parseYamlPolicyFile('r.yaml', `${'['.repeat(11)}${']'.repeat(11)}`, { maxFileSize: 1 << 20, maxDepth: 100, maxExprDepth: 1000, maxErrors: 50, maxYamlDepth: 10, maxAliasExpansion: 100 });
    expect(r.diagnostics.map((d) => [d.code, d.span?.start])).toEqual([['S0010', 10]]);
  });

  it('aliases within maxAliasExpansion are fine in rule files', () => {
    const r = parseYamlPolicyFile('r.yaml', 'rules:\n  - &r { id: a, cite: 四, for: worker w, must: "true" }\n');
    expect(errorCodes(r.diagnostics)).toEqual([]);
  });
});
