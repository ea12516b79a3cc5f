/**
 * Explanations officers read say the rule in words from the labels, never in rule-file source:
 * a table of expressions and their zh/en words, and golden files of every distinct explanation
 * of the bundled policies on their example facts, scanned for source syntax.
 */
import { describe, expect, it } from 'vitest';
import { compileMemory, runCli } from '../helpers/policy.js';
import { exprWords } from '../../src/eval/words.js';
import { expectGolden } from '../helpers/golden.js';

const POLICY = `policy t version "1"
enum cat { a "甲" en "A" b "乙" en "B" c "丙" en "C" }
kind unit from units "单位" en "unit" {
  category: cat "类别" en "category"
  posts: record "岗位"
  posts.total: integer "岗位总数" en "posts"
  posts.professional: integer "专业技术岗位数" en "professional posts"
  posts.social_work: integer "社会工作岗位数" en "social-work posts"
  flag: boolean "标志" en "flag"
  opened: date "开设日期" en "opening date"
  members: many member by unit "成员" en "members"
}
kind member from members "成员" en "member" {
  unit: unit "所属单位" en "unit"
  level: cat "等级" en "level"
  years: integer "年限" en "years"
}
set special: cat "特殊类别" en "special categories" = {a, b}
param share: percent "比例下限" en "minimum share" = 70%
rule r1 cite "一" for unit u must u.posts.social_work >= share * u.posts.total
rule r2 cite "一" for unit u must any(m in u.members : m.level in special)
rule r3 cite "一" for unit u must count(m in u.members where m.level == a) >= 2
rule r4 cite "一" for unit u must has(u.opened) and not u.flag
rule r5 cite "一" for unit u must ceil(u.posts.total * share) <= u.posts.professional
rule r6 cite "一" for unit u must sum(m in u.members : m.years) > 10 or u.category != c
`;

describe('exprWords', () => {
  const loaded = compileMemory({ 'p.clause': POLICY });
  const policy = loaded.policy!;
  it.each([
    ['r1', '社会工作岗位数 ≥ 比例下限 × 岗位总数', 'social-work posts ≥ minimum share × posts'],
    ['r2', '成员中至少有一项等级属于特殊类别', 'at least one of members whose level is one of special categories'],
    ['r3', '成员中等级为甲的数量 ≥ 2', 'the number of members whose level is A ≥ 2'],
    ['r4', '有开设日期，且并非标志', 'opening date is given and not flag'],
    ['r5', '岗位总数 × 比例下限（向上取整） ≤ 专业技术岗位数', 'posts × minimum share rounded up ≤ professional posts'],
    ['r6', '成员的年限之和 > 10，或类别不为丙', 'the sum of its years over members > 10 or category is not C'],
  ])('%s', (id, zh, en) => {
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const rule = policy.rules.find((r) => r.id === id)!;
    expect(exprWords(rule.condition, 'zh', policy)).toBe(zh);
    expect(exprWords(rule.condition, 'en', policy)).toBe(en);
  });
});

/** Source syntax an explanation must not contain: calls, aggregates, dotted paths, operators as typed. */
const SOURCE = /\b(?:any|all|count|sum|has|ceil|floor|round|min|max|size)\(|\b[a-z_]+\.[a-z_]+\b|\s(?:>=|<=|==|!=)\s|\bparam\s/;
/** In zh, the words of the rule language too. */
const SOURCE_ZH = /\s(?:and|or|not|where|in)\s/;

const RUNS: ReadonlyArray<[string, string, string, string]> = [
  ['yunnan-2021-province', 'policies/yunnan-social-work/2021', 'policies/yunnan-social-work/examples/province.yaml', '2023-03-01'],
  ['yunnan-2021-kunming-schools', 'policies/yunnan-social-work/2021', 'policies/yunnan-social-work/examples/kunming-schools.yaml', '2023-03-01'],
  ['allowance-2024-city', 'policies/community-worker-allowance/2024', 'policies/community-worker-allowance/examples/city.yaml', '2024-06-01'],
];

describe('explanations of the bundled policies', () => {
  it.each(RUNS)('%s: one explanation per rule and status, in words (golden)', async (name, policyDir, facts, asOf) => {
    for (const lang of ['zh', 'en']) {
      const r = await runCli(['eval', policyDir, '--facts', facts, '--as-of', asOf, '--format', 'json', '--lang', lang]);
      expect(r.code, r.stderr).toBe(0);
      const seen = new Map<string, string>();
      for (const x of JSON.parse(r.stdout).results as { rule: string; status: string; explanation: string }[]) {
        const key = `${x.rule} ${x.status}`;
        if (!seen.has(key)) seen.set(key, x.explanation);
      }
      // Missing facts are named by their path, which is where to fill them in: not source text.
      for (const [key, text] of seen) {
        const prose = text.replace(/[a-z_]+\[[^\]]*\](?:\.[a-z_]+)*/g, '');
        expect(prose, key).not.toMatch(SOURCE);
        if (lang === 'zh') expect(prose, key).not.toMatch(SOURCE_ZH);
      }
      expectGolden(`test/eval/golden/explanations/${name}.${lang}.txt`, [...seen].map(([k, t]) => `${k}\n  ${t}\n`).join(''));
    }
  });
});
