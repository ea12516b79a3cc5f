/**
 * Hover cards for the second-wave constructs (issue #16), as the workbench computes them in the
 * browser: the bundled allowance measure and a small extension of it are compiled by the
 * client-side WorkspaceModel (no server, no browser), then hoverAt answers for `if`, `compute`,
 * `step`, units, rounding functions, `override` and a requirement's comparison, in zh and en.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hoverAt } from '../../src/language/hover.js';
import { WorkspaceModel, type DiskFile, type WorkspaceData } from '../../src/language/workspace-model.js';

const ROOT = 'policies';

/** An extension that replaces a definition and compares amounts: what `override` and shortfalls hover on. */
const EXTENSION = `policy county-check version "2025"
  effective 2025-01-01
  extends "../2024"

kind region from regions {
  allowance_budgeted: number in 元 "已安排的职业津贴预算" en "allowance budget set aside"
}

override define payable(w: worker) = w.community_worker and w.qualification in certified and w.months_served > 0

rule budget-sufficient "预算不少于应发数" en "the budget covers the allowance"
  cite "第六条"
  for region r
  where r.level == county
  must r.allowance_budgeted >= hard_area_supplement
`;

function workspace(): WorkspaceData {
  const files: DiskFile[] = [];
  const policies = ['yunnan-social-work/2021', 'community-worker-allowance/2024'].map((dir) => {
    const names = readdirSync(join(ROOT, dir)).filter((n) => /\.(clause|ya?ml)$/.test(n) && !n.startsWith('tests.')).sort();
    for (const n of readdirSync(join(ROOT, dir))) {
      if (!statSync(join(ROOT, dir, n)).isFile()) continue;
      const role = n.endsWith('.txt') ? 'source' : names.includes(n) ? 'rule' : undefined;
      if (role) files.push({ path: `${dir}/${n}`, text: readFileSync(join(ROOT, dir, n), 'utf8'), hash: n, role });
    }
    return { dir, files: names.map((n) => `${dir}/${n}`) };
  });
  files.push({ path: 'community-worker-allowance/county/county.clause', text: EXTENSION, hash: 'county', role: 'rule' });
  policies.push({ dir: 'community-worker-allowance/county', files: ['community-worker-allowance/county/county.clause'] });
  return { name: 'policies', policies, files, facts: [], skipped: [] };
}

const m = new WorkspaceModel(workspace());
const MEASURE = 'community-worker-allowance/2024';
const COUNTY = 'community-worker-allowance/county';

function hover(dir: string, path: string, needle: string, delta: number, lang: 'zh' | 'en') {
  const compiled = m.compile(dir);
  expect(compiled.diagnostics.filter((d) => d.severity === 'error'), dir).toEqual([]);
  const text = m.text(path)!;
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`${needle} not in ${path}`);
  return hoverAt(compiled.policy!, text, offset + delta, '2025-06-01', lang);
}

const ALLOWANCE = `${MEASURE}/10-allowance.clause`;
const POLICY = `${MEASURE}/00-policy.clause`;
const COUNTY_FILE = `${COUNTY}/county.clause`;

describe('hover on the second-wave constructs', () => {
  it.each([
    ['`if` of a conditional', ALLOWANCE, 'if withheld', 0, 'zh', '条件表达式 if … then … else', ['条件未知时结果未知（缺少的事实列出条件读到的字段），除非两个分支的值相同。']],
    ['`else` of an else-if chain', ALLOWANCE, 'else if w.qualification == intermediate', 1, 'en', 'conditional if … then … else', ['The branches must have one type (C0202); inside an operator it needs parentheses.']],
    ['`compute` with its unit and step', ALLOWANCE, 'compute in 元 step 0.01 = monthly_allowance', 2, 'zh', '值规则 compute', ['结果的单位：元（须与表达式的单位一致，C0205）', '步长：0.01（结果须是 0.01 的整数倍，否则须用 round/floor/ceil 明确取整，C0203）']],
    ['`step` of a value rule', ALLOWANCE, 'step 0.01 = monthly_allowance', 1, 'en', 'step 0.01', ["The smallest unit of a value rule's result: the checker proves the result is always a whole number of steps, else C0203."]],
    ['a unit after `in`: what it means and where it is declared', POLICY, '月 "年度在岗月数"', 0, 'zh', '单位 月', ['声明于：', '  worker.months_served', '  param months_per_year']],
    ['a unit on a value rule', ALLOWANCE, '元 step 0.01 = yearly', 0, 'en', 'unit 元', ['declared on:', '  param amount_assistant', '  rule monthly-allowance', '  rule yearly-allowance']],
    ['`round` with a step', ALLOWANCE, 'round(monthly_allowance', 1, 'zh', '函数 round(x, step?)', ['四舍五入（.5 远离零）到 step 的整数倍，如 round(x, 0.01) 到分；不写 step 时取整数。结果保留 x 的单位']],
    ['`override` names what it replaces', COUNTY_FILE, 'override define payable', 3, 'zh', 'override define payable', ['替换 community-worker-allowance 2024 中的 define payable：', '= w.community_worker and w.qualification in certified']],
    ['`override` in English', COUNTY_FILE, 'override define payable', 0, 'en', 'override define payable', ['replaces define payable of community-worker-allowance 2024:']],
    ['a requirement\'s comparison reports a shortfall in its unit', COUNTY_FILE, '>= hard_area_supplement', 0, 'zh', '要求中的比较 >=', ['不成立时，结果除了「违规」或「待达标」，还给出缺口 shortfall：还差多少。', '缺口的单位：元']],
    ['the comparison in English', COUNTY_FILE, '>= hard_area_supplement', 1, 'en', 'comparison >= in a requirement', ['unit of the shortfall: 元']],
  ] as const)('%s', (_, path, needle, delta, lang, title, lines) => {
    const dir = path.startsWith(COUNTY) ? COUNTY : MEASURE;
    const card = hover(dir, path, needle, delta, lang);
    expect(card?.title).toBe(title);
    for (const l of lines) expect(card!.lines.some((x) => x.startsWith(l)), `${l}\nin\n${card!.lines.join('\n')}`).toBe(true);
  });

  it('the card covers exactly the word or operator hovered', () => {
    const text = m.text(COUNTY_FILE)!;
    const card = hover(COUNTY, COUNTY_FILE, '>= hard_area_supplement', 0, 'zh')!;
    expect(text.slice(card.from, card.to)).toBe('>=');
    const unit = hover(MEASURE, POLICY, '月 "年度在岗月数"', 0, 'zh')!;
    expect(m.text(POLICY)!.slice(unit.from, unit.to)).toBe('月');
  });

  it('a comparison outside a requirement has no shortfall card', () => {
    expect(hover(MEASURE, ALLOWANCE, '>= hard_area_min_years_allowance', 0, 'zh')).toBeUndefined();
  });

  it('a Chinese string that is not a unit gives no card', () => {
    expect(hover(MEASURE, POLICY, '年度在岗月数', 1, 'zh')).toBeUndefined();
  });
});
