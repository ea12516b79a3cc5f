/**
 * Differential test of the JSON Logic export: every exported rule, run by json-logic-js on data
 * objects built from the raw facts files the way docs/embedding/jsonlogic.md tells other
 * languages to build them, must reach the native evaluator's decision on every subject of the
 * examples and of a generated province, at two as-of dates. Pairs the native evaluator calls
 * `unknown` are left out, and must be exactly those where a fact the rule reads is missing.
 *
 * Two policies: the provincial one, and the Kunming supplement, which sets the ratios the
 * province leaves open, so `ceil(students * 1:1000)` is exported and checked too.
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
import type { RuleResult, Status } from '../../src/model/result.js';
import { statusOf } from './status.js';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const EXAMPLES = ['policies/yunnan-social-work/examples/province.yaml', 'policies/yunnan-social-work/examples/kunming-schools.yaml'];
const POLICIES = [
  // Before the township-station deadline (pending) and after the civil-affairs one (violations).
  { dir: 'policies/yunnan-social-work/2021', dates: ['2021-06-15', '2023-03-01'] },
  // The supplement takes effect on 2022-01-01 with its ratios.
  { dir: 'policies/yunnan-social-work/supplements/kunming', dates: ['2022-06-01', '2023-03-01'] },
];

type Raw = Record<string, unknown>;
interface RawFacts {
  readonly name: string;
  readonly text: string;
  readonly format: 'yaml' | 'json';
  readonly raw: Record<string, Raw[]>;
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

const inputs: RawFacts[] = [];

beforeAll(() => {
  const add = (name: string, text: string, format: 'yaml' | 'json') => {
    inputs.push({ name, text, format, raw: (format === 'yaml' ? parseYaml(text) : JSON.parse(text)) as Record<string, Raw[]> });
  };
  for (const path of EXAMPLES) add(path, readFileSync(root(path), 'utf8'), 'yaml');
  const gen = spawnSync(process.execPath, [root('scripts/gen-province.js'), '--institutions', '2000', '--seed', '7'], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (gen.status !== 0) throw new Error(`gen-province failed: ${gen.stderr}`);
  add('generated province (2000 institutions, seed 7)', gen.stdout, 'json');
}, 120_000);

interface Tally {
  compared: number;
  applicable: number;
  excluded: number;
  decidedDespiteMissing: number;
  readonly statuses: Map<Status, number>;
  /** Decisions that differ, and unknowns that are not explained by a missing read (both must stay empty). */
  readonly problems: string[];
}

function compare(policy: Policy, asOf: string, input: RawFacts, tally: Tally): JsonLogicExport {
  const exp = exportJsonLogic(policy, { asOf, lang: 'en' });
  const facts = loadFactsText(policy, input.name, input.text, input.format).facts;
  if (!facts) throw new Error(`${input.name}: facts do not load`);
  const index = new Map<string, Map<string, Raw>>();
  for (const kind of policy.kinds.values()) index.set(kind.name, new Map((input.raw[kind.listKey] ?? []).map((s) => [String(s.id), s])));
  const rulesByKind = new Map<string, JsonLogicRule[]>();
  for (const r of exp.rules) rulesByKind.set(r.kind, [...(rulesByKind.get(r.kind) ?? []), r]);
  const native = new Map<string, RuleResult>();
  for (const r of evaluate(policy, facts, { asOf, lang: 'en' }).results) native.set(`${r.subject.kind}\u0000${r.subject.id}\u0000${r.rule}`, r);
  let sampled = 0;
  const where = (id: string, rule: string) => `${policy.id} ${asOf} ${input.name} ${id} ${rule}`;
  for (const kind of policy.kinds.values()) {
    for (const item of input.raw[kind.listKey] ?? []) {
      const id = String(item.id);
      const data = dataOf(exp, index, kind.name, item, asOf);
      // The library's own data builder gives the same object as the raw facts file.
      if (sampled++ % 499 === 0) expect(jsonLogicData(facts.byKind.get(kind.name)!.get(id)!, asOf)).toEqual(JSON.parse(JSON.stringify(data)));
      for (const rule of rulesByKind.get(kind.name) ?? []) {
        const n = native.get(`${kind.name}\u0000${id}\u0000${rule.id}`);
        if (!n) throw new Error(`no native result for ${where(id, rule.id)}`);
        const absent = rule.reads.filter((p) => at(data, p) === undefined);
        if (n.status === 'unknown') {
          tally.excluded++;
          // Unknown only where a fact the rule reads is missing: each missing fact the engine
          // names is one of the rule's reads, absent from the data.
          if (n.missing.length === 0) tally.problems.push(`${where(id, rule.id)}: unknown with nothing missing`);
          for (const m of n.missing) {
            const path = `subject.${m.slice(m.indexOf('].') + 2)}`;
            if (!m.startsWith(`${kind.listKey}[${id}].`) || !absent.includes(path)) tally.problems.push(`${where(id, rule.id)}: missing ${m} is not an absent read`);
          }
          continue;
        }
        // And the other way: complete facts never leave the engine undecided.
        if (absent.length > 0) tally.decidedDespiteMissing++;
        const got = statusOf(rule, data);
        tally.compared++;
        tally.statuses.set(n.status, (tally.statuses.get(n.status) ?? 0) + 1);
        if (n.status !== 'not_applicable') tally.applicable++;
        if (got.status !== n.status || (n.status !== 'not_applicable' && got.due !== n.due)) {
          tally.problems.push(`${where(id, rule.id)}: json-logic ${got.status} ${got.due}, native ${n.status} ${n.due}`);
        }
      }
      for (const rule of rulesByKind.get(kind.name) ?? []) {
        const n = native.get(`${kind.name}\u0000${id}\u0000${rule.id}`)!;
        if (n.status === 'unknown' && rule.reads.every((p) => at(data, p) !== undefined)) tally.problems.push(`${where(id, rule.id)}: unknown with every read present`);
      }
    }
  }
  return exp;
}

describe('JSON Logic export agrees with the native evaluator', () => {
  for (const { dir, dates } of POLICIES) {
    it(`${dir}: every example subject and a generated province, at ${dates.join(' and ')}`, () => {
      const loaded = loadPolicy(root(dir));
      if (!loaded.policy) throw new Error(`${dir} does not load`);
      const policy = loaded.policy;
      const tally: Tally = { compared: 0, applicable: 0, excluded: 0, decidedDespiteMissing: 0, statuses: new Map(), problems: [] };
      const exports = dates.map((asOf) => inputs.map((input) => compare(policy, asOf, input, tally))[0]);
      const last = exports[exports.length - 1];
      console.log(
        `json-logic differential (${dir}): ${tally.compared} decisions compared (${tally.applicable} where the rule applies), ` +
        `${tally.excluded} native unknowns excluded, ${tally.decidedDespiteMissing} decided natively despite a missing fact; ` +
        `rules supported ${last.rules.length}, unsupported ${last.unsupported.length} ` +
        `(${last.unsupported.map((u) => `${u.id}: ${u.code}`).join(', ')}); statuses ${JSON.stringify(Object.fromEntries(tally.statuses))}`,
      );
      expect(tally.problems.slice(0, 20)).toEqual([]);
      expect(tally.compared).toBeGreaterThan(200_000);
      expect(tally.applicable).toBeGreaterThan(20_000);
      // Every status the export can reach is exercised.
      for (const s of ['not_applicable', 'compliant', 'violation', 'advisory', 'eligible', 'ineligible'] as const) {
        expect(tally.statuses.get(s) ?? 0, s).toBeGreaterThan(0);
      }
    }, 300_000);
  }

  it('the supplement exports the ratio rules the province leaves open', () => {
    const policy = loadPolicy(root(POLICIES[1].dir)).policy!;
    const exp = exportJsonLogic(policy, { asOf: '2022-06-01' });
    expect(exp.unsupported.map((u) => u.id)).toEqual(['township-station-coverage']);
    const school = exp.rules.find((r) => r.id === 'school-staffing-ratio')!;
    // ceil(students * 1:1000) as an integer remainder, not a double quotient.
    expect(JSON.stringify(school.condition)).toContain('{"%":[{"var":"subject.students"},1000]}');
  });
});
