/**
 * A region whose station coverage is a violation while some of its townships are not known
 * must not read as a contradiction (`违规 … 按期建站 未知 个`): the explanation says what is known
 * (how many townships fail, how many meet it, how many are not known) and a count over partly
 * known items is "at least" the known ones. zh and en, golden, on the bundled policy.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectGolden } from '../helpers/golden.js';
import { runCli } from '../helpers/policy.js';

const POLICY = 'policies/yunnan-social-work/2021';
const dir = mkdtempSync(join(tmpdir(), 'clausal-partly-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A county with townships: `late` without a station, `ok` with one in time, `unknown` with nothing said. */
function facts(late: number, ok: number, unknown: number): string {
  const towns: string[] = [];
  let n = 0;
  const town = (extra: string) => towns.push(`  - { id: "5301020${String(++n).padStart(2, '0')}", name: 乡镇${n}, level: township, parent: "530102"${extra} }`);
  for (let i = 0; i < late; i++) town(', sw_station: null');
  for (let i = 0; i < ok; i++) town(', sw_station: { established: 2021-03-15 }');
  for (let i = 0; i < unknown; i++) town('');
  return `regions:\n  - { id: "530102", name: 五华区, level: county }\n${towns.join('\n')}\n`;
}

describe('a violation over partly unknown townships says what is known', () => {
  const cases: { name: string; late: number; ok: number; unknown: number; status: string; zh: string[]; en: string[] }[] = [
    { name: 'three-late-two-unknown', late: 3, ok: 1, unknown: 2, status: 'violation', zh: ['按期建站 至少 1 个', '已知 3 个未满足', '1 个已满足', '另有 2 个情况不明'], en: ['at least 1 with a station in time', '3 known not to meet', '2 more not known'] },
    { name: 'none-late-two-unknown', late: 0, ok: 4, unknown: 2, status: 'unknown', zh: ['按期建站 至少 4 个', '已知 4 个满足', '另有 2 个情况不明'], en: ['at least 4 with a station in time', '4 known to meet "', '2 more not known'] },
    { name: 'all-known', late: 1, ok: 2, unknown: 0, status: 'violation', zh: ['按期建站 2 个'], en: ['2 with a station in time'] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const file = join(dir, `${c.name}.yaml`);
      writeFileSync(file, facts(c.late, c.ok, c.unknown));
      const json = await runCli(['eval', POLICY, '--facts', file, '--as-of', '2022-06-01', '--format', 'json']);
      expect(json.code, json.stderr).toBe(0);
      const results = (JSON.parse(json.stdout) as { results: { subject: { id: string }; rule: string; status: string; explanation: string }[] }).results;
      const county = results.find((r) => r.subject.id === '530102' && r.rule === 'township-station-coverage')!;
      expect(county.status).toBe(c.status);
      expect(county.explanation).not.toContain('未知 个');
      for (const p of c.zh) expect(county.explanation).toContain(p);
      if (c.unknown === 0) expect(county.explanation).not.toContain('情况不明');
      const en = await runCli(['eval', POLICY, '--facts', file, '--as-of', '2022-06-01', '--format', 'json', '--lang', 'en']);
      const enCounty = (JSON.parse(en.stdout) as { results: { subject: { id: string }; rule: string; explanation: string }[] }).results.find((r) => r.subject.id === '530102' && r.rule === 'township-station-coverage')!;
      for (const p of c.en) expect(enCounty.explanation).toContain(p);
      expect(enCounty.explanation).not.toContain('unknown with a station');
      expectGolden(`test/eval/golden/partly-unknown/${c.name}.txt`, `zh: ${county.explanation}\nen: ${enCounty.explanation}\n`);
    });
  }
});
