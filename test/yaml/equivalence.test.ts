/**
 * The YAML form and the `.clause` form of the same policy must build the same declarations
 * (spans aside). Each case is one small policy written both ways, declarations in the
 * canonical order: header, enums, kinds, params, sets, tables, defines, rules.
 */
import { describe, expect, it } from 'vitest';
import { stripSpans } from '../../src/model/ast.js';
import { parseClauseFile } from '../../src/syntax/parse.js';
import { parseYamlPolicyFile } from '../../src/yaml/load-yaml.js';

interface Case {
  readonly note: string;
  readonly clause: string;
  readonly yaml: string;
}

const CASES: readonly Case[] = [
  {
    note: 'full header',
    clause: `policy yunnan-social-work version "2021" title "云南省社会工作" en "Yunnan social work"
      source "source.txt" effective 2021-01-01 until 2030-12-31 extends "../2020"`,
    yaml: `
policy: yunnan-social-work
version: "2021"
title: { zh: 云南省社会工作, en: Yunnan social work }
source: source.txt
effective: { from: 2021-01-01, until: 2030-12-31 }
extends: ../2020
`,
  },
  {
    note: 'minimal header, numeric version, plain title, effective date alone',
    clause: `policy kunming version "2022" title "昆明细则" effective 2022-03-01`,
    yaml: `
policy: kunming
version: 2022
title: 昆明细则
effective: 2022-03-01
`,
  },
  {
    note: 'enums: labels, en labels, unlabelled members, list form',
    clause: `
enum region_level "地区层级" { province "省" prefecture "州（市）" en "prefecture" county }
enum qualification { none assistant intermediate senior }`,
    yaml: `
enums:
  region_level:
    label: 地区层级
    members:
      province: 省
      prefecture: { zh: 州（市）, en: prefecture }
      county:
  qualification: { members: [none, assistant, intermediate, senior] }
`,
  },
  {
    note: 'kind with fields, nested fields, records, lists and relations',
    clause: `
kind institution from institutions "机构" {
  name: string "名称"
  category: institution_category
  posts.total: integer "岗位总数"
  posts.social_work: integer
  sw_station: record "社工站"
  tags: list string
  workers: many worker by institution "工作人员"
}
kind region from regions {
  parent: region
  descendants: many region by parent*
}`,
    yaml: `
kinds:
  institution:
    from: institutions
    label: 机构
    fields:
      name: { type: string, label: 名称 }
      category: institution_category
      posts.total: { type: integer, label: 岗位总数 }
      posts.social_work: integer
      sw_station: { type: record, label: 社工站 }
      tags: list string
    relations:
      workers: { many: worker, by: institution, label: 工作人员 }
  region:
    from: regions
    fields: { parent: region }
    relations:
      descendants: { many: region, by: parent, transitive: true }
`,
  },
  {
    note: 'params: value, unset, history, override without type, exact decimals, string literal',
    clause: `
param civil_affairs_share: percent "民政事业单位社工岗位占比" en "civil affairs share" = 70%
param school_ratio: ratio "学校社工配比"
param quota: percent = 70% from 2021-01-01, 75% from 2025-01-01
param base_quota = 0.70
param staff_ratio: ratio = 1:500
param office_name: string = "社会工作站"
param min_years: duration = 2y`,
    yaml: `
params:
  civil_affairs_share: { type: percent, label: { zh: 民政事业单位社工岗位占比, en: civil affairs share }, value: 70% }
  school_ratio: { type: ratio, label: 学校社工配比 }
  quota:
    type: percent
    history:
      - { value: 70%, from: 2021-01-01 }
      - { value: 75%, from: 2025-01-01 }
  base_quota: 0.70
  staff_ratio: { type: ratio, value: 1:500 }
  office_name: { type: string, value: '"社会工作站"' }
  min_years: { type: duration, value: 2y }
`,
  },
  {
    note: 'sets: typed and labelled, short list form, empty',
    clause: `
set civil_affairs_units: institution_category "民政单位" = {social_welfare_home, children_welfare_home}
set hard_areas = {"怒江", "迪庆"}
set nothing: institution_category = {}`,
    yaml: `
sets:
  civil_affairs_units:
    type: institution_category
    label: 民政单位
    items: [social_welfare_home, children_welfare_home]
  hard_areas: ['"怒江"', '"迪庆"']
  nothing: { type: institution_category, items: [] }
`,
  },
  {
    note: 'table with two keys',
    clause: `
table post_level(tier: post_tier, grade: integer) -> integer "岗位等级" {
  assistant, 1 -> 11
  assistant, 2 -> 12
  intermediate, 1 -> 8
}`,
    yaml: `
tables:
  post_level:
    params: { tier: post_tier, grade: integer }
    result: integer
    label: 岗位等级
    rows:
      - [assistant, 1, 11]
      - [assistant, 2, 12]
      - [intermediate, 1, 8]
`,
  },
  {
    note: 'defines with and without formals',
    clause: `
define is_civil(i: institution) "民政单位" = i.category in civil_affairs_units
define post_share(i: institution, p: percent) = i.posts.social_work >= p * i.posts.professional
define civil_affairs_deadline = 2022-12-31
define always = true`,
    yaml: `
defines:
  is_civil:
    params: { i: institution }
    label: 民政单位
    value: i.category in civil_affairs_units
  post_share:
    params: { i: institution, p: percent }
    value: i.posts.social_work >= p * i.posts.professional
  civil_affairs_deadline: 2022-12-31
  always: true
`,
  },
  {
    note: 'obligation rule with every clause and a bilingual explanation',
    clause: `
rule civil-affairs-post-share "民政事业单位社会工作岗位占比" en "civil affairs post share"
  cite "三（二）"
  quote "到2022年底，民政事业单位社会工作专业岗位占比不低于70%"
  for institution i
  where i.category in civil_affairs_units
  must i.posts.social_work >= civil_affairs_share * i.posts.professional
  by civil_affairs_deadline
  from 2021-01-01
  until 2025-12-31
  explain "社工岗位 {i.posts.social_work} 个" en "{i.posts.social_work} social work posts"`,
    yaml: `
rules:
  - id: civil-affairs-post-share
    title: { zh: 民政事业单位社会工作岗位占比, en: civil affairs post share }
    cite: 三（二）
    quote: 到2022年底，民政事业单位社会工作专业岗位占比不低于70%
    for: institution i
    where: i.category in civil_affairs_units
    must: i.posts.social_work >= civil_affairs_share * i.posts.professional
    by: civil_affairs_deadline
    from: 2021-01-01
    until: 2025-12-31
    explain:
      zh: "社工岗位 {i.posts.social_work} 个"
      en: "{i.posts.social_work} social work posts"
`,
  },
  {
    note: 'should and may rules, plain explanation',
    clause: `
rule school-room for institution i where i.category == school should i.sw_room explain "学校应设社工室"
rule township-station for region r may has(r.sw_station)`,
    yaml: `
rules:
  - { id: school-room, for: institution i, where: i.category == school, should: i.sw_room, explain: 学校应设社工室 }
  - id: township-station
    for: region r
    may: has(r.sw_station)
`,
  },
  {
    note: 'entitlement rules, with and without modality',
    clause: `
rule hard-area-allowance "艰苦边远地区津贴" for worker w eligible when w.hard_area_years >= 3 modality should
rule insurance for worker w eligible when w.social_insurance`,
    yaml: `
rules:
  - id: hard-area-allowance
    title: 艰苦边远地区津贴
    for: worker w
    eligible_when: w.hard_area_years >= 3
    modality: should
  - id: insurance
    for: worker w
    eligible_when: w.social_insurance
`,
  },
  {
    note: 'expressions in every scalar style',
    clause: `
rule styles for institution i
  where i.name == "社工站" and not i.closed
  must count(w in i.workers where w.qualification in {intermediate, senior}) >= 2
    or share(w in i.workers : w.community_worker) > 50%
  by 2022-12-31 + 6m`,
    yaml: `
rules:
  - id: styles
    for: institution i
    where: "i.name == \\"社工站\\" and not i.closed"
    must: >-
      count(w in i.workers where w.qualification in {intermediate, senior}) >= 2
      or share(w in i.workers : w.community_worker) > 50%
    by: '2022-12-31 + 6m'
`,
  },
  {
    note: 'plain multi-line and literal block expressions',
    clause: `
define a = sum(i in institutions where i.open) / 2 + count(i in institutions)
define b = min(1, 2) + max(3, 4)`,
    yaml: `
defines:
  a: sum(i in institutions where i.open)
    / 2 +

    count(i in institutions)
  b: |
    min(1, 2)
      + max(3, 4)
`,
  },
  {
    note: 'second wave: units, override, value rule with unit and step, if',
    clause: `
kind worker from workers { months: integer in 月 "在岗月数" excluded: boolean }
param amount: number in 元 = 300, 400 from 2025-01-01
override table rate(t: integer in 月) -> number in 元 { 1 -> 2 }
override define base(w: worker) = if w.excluded then 0 else amount
rule allowance "津贴" cite "第五条" for worker w compute in 元 step 0.10 = if w.excluded then 0 else round(base(w) * w.months / 12, 0.1)`,
    yaml: `
kinds:
  worker:
    from: workers
    fields:
      months: { type: integer in 月, label: 在岗月数 }
      excluded: boolean
params:
  amount: { type: number in 元, history: [{ value: 300 }, { value: 400, from: 2025-01-01 }] }
tables:
  rate: { params: { t: integer in 月 }, result: number in 元, override: true, rows: [[1, 2]] }
defines:
  base: { params: { w: worker }, override: true, value: if w.excluded then 0 else amount }
rules:
  - id: allowance
    title: 津贴
    cite: 第五条
    for: worker w
    compute: if w.excluded then 0 else round(base(w) * w.months / 12, 0.1)
    unit: 元
    step: 0.10
`,
  },
];

describe('YAML form builds the same declarations as the .clause form', () => {
  it.each(CASES)('$note', ({ clause, yaml }) => {
    const fromClause = parseClauseFile('case.clause', clause);
    const fromYaml = parseYamlPolicyFile('case.yaml', yaml);
    expect(fromClause.diagnostics).toEqual([]);
    expect(fromYaml.diagnostics).toEqual([]);
    expect(fromYaml.value.decls.length).toBeGreaterThan(0);
    expect(stripSpans(fromYaml.value.decls)).toEqual(stripSpans(fromClause.value.decls));
  });

  it('all cases together, as one file each, still agree (file order is kept)', () => {
    const clause = CASES.map((c) => c.clause).join('\n');
    const yamlDecls = CASES.flatMap((c) => parseYamlPolicyFile('case.yaml', c.yaml).value.decls);
    expect(stripSpans(yamlDecls)).toEqual(stripSpans(parseClauseFile('all.clause', clause).value.decls));
  });

  it('every span lies inside the YAML file and names the file', () => {
    for (const { yaml } of CASES) {
      const ast = parseYamlPolicyFile('case.yaml', yaml).value;
      const stack: unknown[] = [ast];
      while (stack.length > 0) {
        const v = stack.pop();
        if (Array.isArray(v)) stack.push(...v);
        else if (v && typeof v === 'object') {
          for (const [k, x] of Object.entries(v)) {
            if (k === 'span' || k.endsWith('Span')) {
              const s = x as { file: string; start: number; end: number };
              expect(s.file).toBe('case.yaml');
              expect(s.start).toBeGreaterThanOrEqual(0);
              expect(s.end).toBeGreaterThanOrEqual(s.start);
              expect(s.end).toBeLessThanOrEqual(yaml.length);
            } else stack.push(x);
          }
        }
      }
    }
  });
});
