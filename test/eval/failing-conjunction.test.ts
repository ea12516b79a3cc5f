/**
 * An unmet `a and b and c` names, in words from the labels, which conditions failed and which
 * are unknown, so an officer knows what to change: obligations, entitlements and rules with an
 * explain template alike, in zh and en (golden), and in `eval --explain`.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/eval/evaluate.js';
import { factsOf, policyOf, runCli } from '../helpers/policy.js';
import { expectGolden } from '../helpers/golden.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const POLICY = `policy t version "1"
kind unit from units "单位" en "unit" {
  room: boolean "已设立工作室" en "room set up"
  track: boolean "纳入专业技术岗位管理" en "in the professional track"
  posts: integer in 岗位 "社会工作岗位数" en "social-work posts"
  opened: date "开设日期" en "opening date"
}
param min_posts: integer in 岗位 "岗位下限" en "minimum posts" = 2
rule all-three cite "一" for unit u must u.room and u.track and u.posts >= min_posts
rule templated cite "二" for unit u must u.room and u.track
  explain "工作室与岗位管理" en "room and track"
rule entitled cite "三" for unit u eligible when u.track and u.posts > 0
rule opened-in-time cite "四" for unit u must has(u.opened) and u.opened <= 2024-01-01 and u.room
`;

/** One unit per case: what is false, what is missing. */
const CASES: ReadonlyArray<[string, string]> = [
  ['all-met', 'room: true, track: true, posts: 3, opened: 2023-05-01'],
  ['one-failed', 'room: false, track: true, posts: 3, opened: 2023-05-01'],
  ['two-failed', 'room: false, track: true, posts: 1, opened: 2023-05-01'],
  ['failed-and-unknown', 'room: false, posts: 1, opened: 2023-05-01'],
  ['only-unknown', 'track: true, posts: 3'],
  ['none-opened', 'room: true, track: false, posts: 0, opened: null'],
];

const facts = `units:\n${CASES.map(([id, f]) => `  - { id: ${id}, ${f} }`).join('\n')}\n`;

describe('failing conjunctions name their failed and unknown conditions', () => {
  const policy = policyOf({ 'p.clause': POLICY });
  it.each(['zh', 'en'] as const)('%s (golden)', (lang) => {
    const report = evaluate(policy, factsOf(policy, facts), { asOf: '2024-06-01', lang });
    const lines = report.results.map((r) => `${r.subject.id} ${r.rule} ${r.status}\n  ${r.explanation}\n`);
    expectGolden(`test/eval/golden/failing-conjunction.${lang}.txt`, lines.join(''));
  });

  it.each([
    ['one-failed', 'all-three', 'zh', '未满足：「已设立工作室」', '未知：'],
    ['two-failed', 'all-three', 'en', 'failed: "room set up", "social-work posts ≥ minimum posts"', 'unknown:'],
    ['failed-and-unknown', 'all-three', 'zh', '未满足：「已设立工作室」、「社会工作岗位数 ≥ 岗位下限」；未知：「纳入专业技术岗位管理」', undefined],
    ['only-unknown', 'all-three', 'en', 'unknown: "room set up"', 'failed:'],
    ['failed-and-unknown', 'entitled', 'en', 'unknown: "in the professional track"', undefined],
    ['only-unknown', 'templated', 'zh', '工作室与岗位管理；未知：「已设立工作室」', undefined],
    // An absent date fails `opened <= …` only because it is absent: `has(opened)` says it.
    ['none-opened', 'opened-in-time', 'zh', '未满足：「有开设日期」；', '≤ 2024-01-01」'],
    ['all-met', 'all-three', 'zh', '符合要求', '未满足'],
  ])('%s %s %s', (id, rule, lang, has, hasNot) => {
    const report = evaluate(policy, factsOf(policy, facts), { asOf: '2024-06-01', lang: lang as 'zh' | 'en' });
    const text = report.results.find((r) => r.subject.id === id && r.rule === rule)!.explanation;
    expect(text).toContain(has);
    if (hasNot) expect(text).not.toContain(hasNot);
  });

  it('eval --explain shows them too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clausal-conj-'));
    writeFileSync(join(dir, 'p.clause'), POLICY);
    // Not in the policy folder: a .yaml there is read as a policy file.
    const factsFile = join(mkdtempSync(join(tmpdir(), 'clausal-conj-facts-')), 'facts.yaml');
    writeFileSync(factsFile, facts);
    const r = await runCli(['eval', dir, '--facts', factsFile, '--as-of', '2024-06-01', '--explain', 'failed-and-unknown']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('未满足：「已设立工作室」、「社会工作岗位数 ≥ 岗位下限」；未知：「纳入专业技术岗位管理」');
  });
});
