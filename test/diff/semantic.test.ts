/**
 * The semantic diff on in-memory policies: what is and is not a change, how parameter
 * histories and rules are matched, and the pinned diff of the bundled 2025 draft.
 */
import { describe, expect, test } from 'vitest';
import { compileSources } from '../../src/policy-sources.js';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { loadFactsText } from '../../src/facts/parse-facts.js';
import { readFileSync } from 'node:fs';
import type { Policy } from '../../src/model/types.js';
import { diffPolicies, matchRules, type DiffChange } from '../../src/diff/semantic.js';
import { computeImpact } from '../../src/diff/impact.js';

const HEAD = `policy p version "1"
  effective 2021-01-01

enum cat { a "甲" b "乙" c "丙" }

kind unit from units "单位" {
  name: string "名称"
  category: cat "类别"
  posts: record "岗位"
  posts.total: integer "岗位总数"
  posts.social_work: integer "社会工作岗位数"
  tags: list string "标签"
}
`;

function policy(body: string, head = HEAD): Policy {
  const loaded = compileSources([{ path: 'p.clause', text: `${head}\n${body}` }], {
    readSource: (relative) => ({ path: relative }),
    loadBase: () => ({ diagnostics: [] }),
  });
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.policy || errors.length) throw new Error(`policy has errors: ${JSON.stringify(errors.map((e) => [e.code, e.args]))}`);
  return loaded.policy;
}

/** The changes as compact `item name change: aspect[key] old -> new` lines. */
function summary(changes: readonly DiffChange[]): string[] {
  return changes.flatMap((c) => c.details.map((d) => `${c.item} ${c.name} ${c.change}: ${d.aspect}${d.key === null ? '' : `[${d.key}]`} ${d.old ?? '∅'} -> ${d.new ?? '∅'}`));
}

const RULE = (body: string) => `rule r "规则"\n  cite "一"\n  for unit u\n${body}\n`;

describe('not changes', () => {
  const cases: { note: string; old: string; new: string }[] = [
    { note: 'redundant parentheses', old: RULE('  must u.posts.social_work > 0 and u.posts.total > 0'), new: RULE('  must (u.posts.social_work > 0) and ((u.posts.total) > 0)') },
    { note: 'the subject variable name', old: RULE('  where u.category == a\n  must u.posts.total > 0'), new: 'rule r "规则"\n  cite "一"\n  for unit unit_\n  where unit_.category == a\n  must unit_.posts.total > 0\n' },
    { note: 'an aggregate variable name', old: RULE('  must all(t in u.tags : t != "x")'), new: RULE('  must all(tag in u.tags : tag != "x")') },
    { note: 'number spelling', old: RULE('  must u.posts.social_work >= 0.70 * u.posts.total'), new: RULE('  must u.posts.social_work >= 0.7 * u.posts.total') },
    { note: 'percent spelling', old: `param s: percent "比例" = 70%\n`, new: `param s: percent "比例" = 70.0%\n` },
    { note: 'set literal order', old: RULE('  must u.category in {a, b}'), new: RULE('  must u.category in {b, a}') },
    { note: 'a first history date on the effective date', old: `param s: percent "比例" = 70%\n`, new: `param s: percent "比例" = 70% from 2021-01-01\n` },
    { note: 'a history entry that repeats the value before it', old: `param s: percent "比例" = 70%\n`, new: `param s: percent "比例" = 70%, 70% from 2023-01-01\n` },
    { note: 'set member order', old: `set big: cat "大类" = {a, b}\n`, new: `set big: cat "大类" = {b, a}\n` },
    { note: 'table row order and formal names', old: `table q(x: cat) -> integer "配额" {\n  a -> 1\n  b -> 2\n}\n`, new: `table q(y: cat) -> integer "配额" {\n  b -> 2\n  a -> 1\n}\n` },
    { note: 'a definition formal name', old: `define big(x: unit) = x.posts.total > 10\n`, new: `define big(y: unit) = y.posts.total > 10\n` },
    { note: 'declaration order and comments', old: `param s: percent "比例" = 70%\nparam t: integer "数" = 1\n`, new: `# 注释\nparam t: integer "数" = 1 # 行尾注释\n\n\nparam s: percent "比例" = 70%\n` },
  ];
  for (const c of cases) {
    test(c.note, () => {
      expect(summary(diffPolicies(policy(c.old), policy(c.new)).changes)).toEqual([]);
    });
  }
});

describe('changes', () => {
  const cases: { note: string; old: string; new: string; want: string[] }[] = [
    {
      note: 'a dated history: one detail per point where the values in force differ',
      old: `param s: percent "比例" = 70%\n`,
      new: `param s: percent "比例" = 70% from 2021-01-01, 75% from 2025-01-01\n`,
      want: ['param s changed: value[2025-01-01] 70% -> 75%'],
    },
    {
      note: 'history entries moved and revalued',
      old: `param s: percent "比例" = 60%, 70% from 2023-01-01, 80% from 2025-01-01\n`,
      new: `param s: percent "比例" = 60%, 70% from 2024-01-01, 80% from 2025-01-01\n`,
      want: ['param s changed: value[2023-01-01] 70% -> 60%'],
    },
    {
      note: 'a parameter set and unset',
      old: `param s: percent "比例"\nparam t: ratio "比例" = 1:500\n`,
      new: `param s: percent "比例" = 12.5%\nparam t: ratio "比例"\n`,
      want: ['param s changed: value ∅ -> 12.5%', 'param t changed: value 1:500 -> ∅'],
    },
    {
      note: 'a swapped conjunction is reported (operand order is kept)',
      old: RULE('  must u.posts.total > 0 and u.posts.social_work > 0'),
      new: RULE('  must u.posts.social_work > 0 and u.posts.total > 0'),
      want: ['rule r changed: requirement u.posts.total > 0 and u.posts.social_work > 0 -> u.posts.social_work > 0 and u.posts.total > 0'],
    },
    {
      note: 'obligation to entitlement',
      old: RULE('  should u.posts.total > 0'),
      new: RULE('  eligible when u.posts.total > 0\n  modality should'),
      want: ['rule r changed: rule-type obligation -> entitlement'],
    },
    {
      note: 'an effective window on a rule',
      old: RULE('  must u.posts.total > 0'),
      new: RULE('  must u.posts.total > 0\n  from 2023-01-01\n  until 2025-12-31'),
      want: ['rule r changed: from ∅ -> 2023-01-01', 'rule r changed: until ∅ -> 2025-12-31'],
    },
    {
      note: 'a string set',
      old: `set tags: string "标签" = {"甲", "乙"}\n`,
      new: `set tags: string "标签" = {"乙", "丙"}\n`,
      want: ['set tags changed: member["甲"] "甲" -> ∅', 'set tags changed: member["丙"] ∅ -> "丙"'],
    },
  ];
  for (const c of cases) {
    test(c.note, () => {
      expect(summary(diffPolicies(policy(c.old), policy(c.new)).changes)).toEqual(c.want);
    });
  }

  test('a moved date carries its shift in days', () => {
    const d = diffPolicies(policy(`param due: date "期限" = 2022-12-31\n`), policy(`param due: date "期限" = 2022-06-30\n`));
    expect(d.changes[0].details[0]).toEqual({ aspect: 'value', key: null, old: '2022-12-31', new: '2022-06-30', days: -184 });
  });

  test('parameters know the rules that read them and whose deadline they are, through definitions', () => {
    const defs = `param due: date "期限" = 2022-12-31\nparam min: integer "下限" = 1\ndefine enough(x: unit) = x.posts.total >= min\n`;
    const rules = `${RULE('  must enough(u)\n  by due')}`;
    const d = diffPolicies(policy(defs + rules), policy(defs.replace('= 1\n', '= 2\n').replace('2022-12-31', '2023-12-31') + rules));
    expect(d.changes.map((c) => [c.name, c.usedBy, c.deadlineOf])).toEqual([
      ['due', ['r'], ['r']],
      ['min', ['r'], []],
    ]);
  });
});

describe('rule matching', () => {
  const rule = (id: string, cite: string, body = '  must u.posts.total > 0', kind = 'unit u') => `rule ${id} "规则"\n  cite "${cite}"\n  for ${kind}\n${body}\n`;

  test('by id first, then by cite', () => {
    const a = policy(rule('keep', '一') + rule('old-name', '二'));
    const b = policy(rule('keep', '一') + rule('new-name', '二', '  must u.posts.total > 1'));
    const m = matchRules(a.rules, b.rules);
    expect(m.pairs.map((p) => [p.old.id, p.new.id, p.by])).toEqual([['keep', 'keep', 'id'], ['old-name', 'new-name', 'cite']]);
    expect(summary(diffPolicies(a, b).changes)).toEqual(['rule new-name renamed: id old-name -> new-name', 'rule new-name renamed: requirement u.posts.total > 0 -> u.posts.total > 1']);
  });

  test('under one cite, a pair differing only in id wins over declaration order', () => {
    const a = policy(rule('x1', '二', '  must u.posts.total > 0') + rule('x2', '二', '  must u.posts.social_work > 0'));
    const b = policy(rule('y1', '二', '  must u.posts.social_work > 0') + rule('y2', '二', '  must u.posts.total > 0'));
    expect(matchRules(a.rules, b.rules).pairs.map((p) => [p.old.id, p.new.id])).toEqual([['x1', 'y2'], ['x2', 'y1']]);
  });

  test('rules of different subject kinds under one cite are not matched', () => {
    const head = HEAD.replace('kind unit', 'kind place from places "地点" { name: string "名称" }\n\nkind unit');
    const a = policy(rule('a', '三'), head);
    const b = policy(rule('b', '三', '  must has(p.name)', 'place p'), head);
    const m = matchRules(a.rules, b.rules);
    expect([m.pairs.length, m.removed.map((r) => r.id), m.added.map((r) => r.id)]).toEqual([0, ['a'], ['b']]);
  });
});

describe('the bundled policy', () => {
  const load = (dir: string) => {
    const loaded = loadPolicy(dir);
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    return loaded.policy!;
  };
  const v2021 = load('policies/yunnan-social-work/2021');
  const draft = load('policies/yunnan-social-work/2025-draft');

  test('2021 against itself: no changes', () => {
    expect(diffPolicies(v2021, v2021).changes).toEqual([]);
  });

  test('2021 -> 2025-draft: exactly the two parameter changes, nothing else', () => {
    const d = diffPolicies(v2021, draft);
    expect(d.old).toMatchObject({ id: 'yunnan-social-work', version: '2021' });
    expect(d.new).toMatchObject({ id: 'yunnan-social-work', version: '2025-draft' });
    expect(d.new.title?.zh).toContain('示意修订稿，并非真实文件');
    expect(d.changes.map(({ label: _label, ...rest }) => rest)).toEqual([
      {
        item: 'param',
        name: 'civil_affairs_share',
        oldName: 'civil_affairs_share',
        change: 'changed',
        details: [{ aspect: 'value', key: '2025-01-01', old: '70%', new: '75%' }],
        usedBy: ['civil-affairs-post-share'],
        deadlineOf: [],
        before: '70%',
        after: '70% from 2021-01-01, 75% from 2025-01-01',
      },
      {
        item: 'param',
        name: 'village_station_deadline',
        oldName: 'village_station_deadline',
        change: 'changed',
        details: [{ aspect: 'value', key: null, old: '2021-12-31', new: '2025-12-31', days: 1461 }],
        usedBy: ['village-station'],
        deadlineOf: ['village-station'],
        before: '2021-12-31',
        after: '2025-12-31',
      },
    ]);
  });

  test('impact counts agree with the listed entries', () => {
    const path = 'policies/yunnan-social-work/examples/province.yaml';
    const text = readFileSync(path, 'utf8');
    const facts = (p: Policy) => loadFactsText(p, path, text, 'yaml').facts!;
    const diff = diffPolicies(v2021, draft);
    const impact = computeImpact({ diff, oldPolicy: v2021, newPolicy: draft, oldFacts: facts(v2021), newFacts: facts(draft), asOf: '2025-06-01' });
    expect(impact.entries.length).toBeGreaterThan(0);
    expect(impact.entries.every((e) => e.old !== e.new)).toBe(true);
    expect(impact.transitions.reduce((n, t) => n + t.results, 0)).toBe(impact.entries.length);
    for (const t of impact.transitions) expect(t.byPrefecture.reduce((n, p) => n + p.subjects, 0)).toBe(t.subjects);
    // Only the two rules reading the changed parameters can change status.
    expect([...new Set(impact.entries.map((e) => e.rule))].sort()).toEqual(['civil-affairs-post-share', 'village-station']);
    // Before 2025 the share is unchanged and the village deadline is the only difference.
    const early = computeImpact({ diff, oldPolicy: v2021, newPolicy: draft, oldFacts: facts(v2021), newFacts: facts(draft), asOf: '2024-06-01' });
    expect(early.entries.filter((e) => e.rule === 'civil-affairs-post-share')).toEqual([]);
  });
});
