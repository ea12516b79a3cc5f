/**
 * Differential test of the JSON Logic export: every exported rule, run by json-logic-js on
 * data objects built from the raw facts files the way docs/embedding/jsonlogic.md tells other
 * languages to build them, must reach the native evaluator's decision on every subject of the
 * examples and of a generated province, at two as-of dates. Pairs the native evaluator calls
 * `unknown` are left out, and must be exactly those where a fact the rule reads is missing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { loadFactsText } from '../../src/facts/parse-facts.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { exportJsonLogic, jsonLogicData, type JsonLogicExport, type JsonLogicRule } from '../../src/export/jsonlogic.js';
import type { Policy } from '../../src/model/types.js';
import type { Facts } from '../../src/facts/facts.js';
import type { RuleResult, Status } from '../../src/model/result.js';
import { statusOf } from './status.js';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const POLICY = root('policies/yunnan-social-work/2021');
const EXAMPLES = ['policies/yunnan-social-work/examples/province.yaml', 'policies/yunnan-social-work/examples/kunming-schools.yaml'];
// Before the township-station deadline (pending) and after the civil-affairs one (violations).
const DATES = ['2021-06-15', '2023-03-01'];

type Raw = Record<string, unknown>;
interface Source {
  readonly name: string;
  readonly raw: Record<string, Raw[]>;
  /** Raw subjects by kind and id, to inline references. */
  readonly index: Map<string, Map<string, Raw>>;
  readonly facts: Facts;
}

/** The data object for one raw subject, built as the documentation tells other languages to. */
function dataOf(exp: JsonLogicExport, index: Map<string, Map<string, Raw>>, kind: string, item: Raw, asOf: string) {
  const subject: Raw = { ...item };
  delete subject.kind;
  for (const [path, target] of Object.entries(exp.references[kind] ?? {})) {
    const id = subject[path];
    if (id === undefined || id === null) continue;
    const ref = { ...index.get(target)!.get(String(id))! };
    delete ref.kind;
    subject[path] = ref;
  }
  return { subject, asOf };
}

/** The value at a dotted data path: undefined when absent (a missing fact), null when none. */
function at(data: unknown, path: string): unknown {
  let cur: unknown = data;
  for (const seg of path.split('.')) {
    if (cur === null) return null;
    if (cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as Raw)[seg];
  }
  return cur;
}

let policy: Policy;
const sources: Source[] = [];

beforeAll(() => {
  const loaded = loadPolicy(POLICY);
  if (!loaded.policy) throw new Error('the bundled policy does not load');
  policy = loaded.policy;
  const load = (name: string, text: string, format: 'yaml' | 'json') => {
    const result = loadFactsText(policy, name, text, format);
    if (!result.facts) throw new Error(`${name}: facts do not load`);
    const raw = (format === 'yaml' ? parseYaml(text) : JSON.parse(text)) as Record<string, Raw[]>;
    const index = new Map<string, Map<string, Raw>>();
    for (const kind of policy.kinds.values()) index.set(kind.name, new Map((raw[kind.listKey] ?? []).map((s) => [String(s.id), s])));
    sources.push({ name, raw, index, facts: result.facts });
  };
  for (const path of EXAMPLES) load(path, readFileSync(root(path), 'utf8'), 'yaml');
  const gen = spawnSync(process.execPath, [root('scripts/gen-province.js'), '--institutions', '2000', '--seed', '7'], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (gen.status !== 0) throw new Error(`gen-province failed: ${gen.stderr}`);
  load('generated province (2000 institutions, seed 7)', gen.stdout, 'json');
}, 120_000);

describe('JSON Logic export agrees with the native evaluator', () => {
  it('on every example subject and a generated province, at two dates', () => {
    let compared = 0;
    let excluded = 0;
    let decidedDespiteMissing = 0;
    let applicable = 0;
    const statuses = new Map<Status, number>();
    const disagreements: string[] = [];
    const kindOfList = new Map([...policy.kinds.values()].map((k) => [k.listKey, k.name]));
    for (const asOf of DATES) {
      const exp = exportJsonLogic(policy, { asOf, lang: 'en' });
      const rulesByKind = new Map<string, JsonLogicRule[]>();
      for (const r of exp.rules) rulesByKind.set(r.kind, [...(rulesByKind.get(r.kind) ?? []), r]);
      for (const source of sources) {
        const report = evaluate(policy, source.facts, { asOf, lang: 'en' });
        const native = new Map<string, RuleResult>();
        for (const r of report.results) native.set(`${r.subject.kind}\u0000${r.subject.id}\u0000${r.rule}`, r);
        for (const [list, items] of Object.entries(source.raw)) {
          const kind = kindOfList.get(list);
          if (!kind || !Array.isArray(items)) continue;
          for (const item of items) {
            const id = String(item.id);
            const data = dataOf(exp, source.index, kind, item, asOf);
            // The library's own data builder gives the same object as the raw facts file.
            if (compared % 997 === 0) {
              const subject = source.facts.byKind.get(kind)!.get(id)!;
              expect(jsonLogicData(subject, asOf)).toEqual(JSON.parse(JSON.stringify(data)));
            }
            for (const rule of rulesByKind.get(kind) ?? []) {
              const n = native.get(`${kind}\u0000${id}\u0000${rule.id}`);
              if (!n) throw new Error(`no native result for ${kind} ${id} ${rule.id}`);
              const absent = rule.reads.filter((p) => at(data, p) === undefined);
              if (n.status === 'unknown') {
                excluded++;
                // Unknown exactly where a fact the rule reads is missing: each missing fact the
                // engine names is one of the rule's reads, absent from the data.
                expect(n.missing.length, `${rule.id} ${id}`).toBeGreaterThan(0);
                for (const m of n.missing) {
                  const path = `subject.${m.slice(m.indexOf('].') + 2)}`;
                  expect(m.startsWith(`${list}[${id}].`), `${rule.id} ${id} ${m}`).toBe(true);
                  expect(absent, `${rule.id} ${id}`).toContain(path);
                }
                continue;
              }
              if (absent.length > 0) decidedDespiteMissing++;
              const got = statusOf(rule, data);
              compared++;
              statuses.set(n.status, (statuses.get(n.status) ?? 0) + 1);
              if (n.status !== 'not_applicable') applicable++;
              const dueDiffers = n.status !== 'not_applicable' && got.due !== n.due;
              if (got.status !== n.status || dueDiffers) {
                disagreements.push(`${source.name} ${asOf} ${kind} ${id} ${rule.id}: json-logic ${got.status} ${got.due}, native ${n.status} ${n.due}`);
              }
            }
            // Complete facts never leave the engine undecided on an exported rule.
            for (const rule of rulesByKind.get(kind) ?? []) {
              const n = native.get(`${kind}\u0000${id}\u0000${rule.id}`)!;
              if (rule.reads.every((p) => at(data, p) !== undefined)) expect(n.status, `${rule.id} ${id}`).not.toBe('unknown');
            }
          }
        }
      }
    }
    const exp = exportJsonLogic(policy, { asOf: DATES[1] });
    console.log(
      `json-logic differential: ${compared} decisions compared (${applicable} where the rule applies), ${excluded} native unknowns excluded, ` +
      `${decidedDespiteMissing} decided natively despite a missing fact; ` +
      `rules supported ${exp.rules.length}, unsupported ${exp.unsupported.length}; ` +
      `statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    expect(disagreements.slice(0, 20)).toEqual([]);
    expect(compared).toBeGreaterThan(200_000);
    expect(applicable).toBeGreaterThan(20_000);
    // Every status the export can reach is exercised.
    for (const s of ['not_applicable', 'compliant', 'violation', 'pending', 'advisory', 'eligible', 'ineligible'] as const) {
      expect(statuses.get(s) ?? 0, s).toBeGreaterThan(0);
    }
  }, 300_000);
});
