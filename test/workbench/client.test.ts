/**
 * The browser app's pure parts, in Node: the in-memory workspace (edited buffers vs the files
 * on disk, `extends` and `source` resolved inside the root), hover cards (parameter value in
 * force and history, cites and quotes, fields, definitions) and the `.clause` highlighter.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StringStream } from '@codemirror/language';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../src/model/diagnostics.js';
import { formatPercent, type Num } from '../../src/model/rational.js';
import { hoverAt } from '../../src/language/hover.js';
import { joinPath, WorkspaceModel, type DiskFile, type WorkspaceData } from '../../src/language/workspace-model.js';
import { clauseParser, DSL_KEYWORDS } from '../../src/workbench/dsl-language.js';
import { KEYWORDS } from '../../src/syntax/tokens.js';

const FAMILY = 'policies/yunnan-social-work';

/** The workspace answer for the bundled family, built from the files as the server would. */
function family(): WorkspaceData {
  const files: DiskFile[] = [];
  const policies = ['2021', '2025-draft', 'supplements/kunming'].map((dir) => {
    const names = readdirSync(join(FAMILY, dir)).filter((n) => /\.(clause|ya?ml)$/.test(n) && !n.startsWith('tests.')).sort();
    for (const n of readdirSync(join(FAMILY, dir))) {
      if (!statSync(join(FAMILY, dir, n)).isFile()) continue;
      const role = n.endsWith('.txt') ? 'source' : names.includes(n) ? 'rule' : undefined;
      if (role) files.push({ path: `${dir}/${n}`, text: readFileSync(join(FAMILY, dir, n), 'utf8'), hash: n, role });
    }
    return { dir, files: names.map((n) => `${dir}/${n}`) };
  });
  return { name: 'yunnan-social-work', policies, files, facts: [], skipped: [] };
}

describe('joinPath', () => {
  it.each([
    ['2021', 'source.txt', '2021/source.txt'],
    ['supplements/kunming', '../../2021', '2021'],
    ['.', 'a/./b', 'a/b'],
    ['2021', '..', '.'],
    ['2021', '../..', undefined],
    ['.', '../etc/passwd', undefined],
  ])('%s + %s', (dir, rel, want) => {
    expect(joinPath(dir, rel)).toBe(want);
  });
});

describe('WorkspaceModel', () => {
  it('compiles every version, the supplement through its base, without errors', () => {
    const m = new WorkspaceModel(family());
    for (const dir of ['2021', '2025-draft', 'supplements/kunming']) {
      const loaded = m.compile(dir);
      expect(hasErrors(loaded.diagnostics), dir).toBe(false);
      expect(loaded.policy?.rules.length, dir).toBeGreaterThan(20);
    }
  });

  it('keeps the edited buffer apart from the file on disk', () => {
    const m = new WorkspaceModel(family());
    const path = '2021/10-params.clause';
    const disk = m.text(path)!;
    m.edit(path, disk.replace('= 70%', '= 75%'));
    expect(m.isDirty(path)).toBe(true);
    const share = (side: 'edited' | 'disk') => formatPercent(m.compile('2021', side).policy!.params.get('civil_affairs_share')!.history[0].value as Num);
    expect([share('edited'), share('disk')]).toEqual(['75%', '70%']);
    m.edit(path, disk);
    expect(m.isDirty(path)).toBe(false);
    expect(m.dirtyFiles()).toEqual([]);
  });

  it('reports the checker\'s diagnostics with the file paths the editor uses', () => {
    const m = new WorkspaceModel(family());
    const path = '2021/30-posts.clause';
    m.edit(path, m.text(path)!.replace('>= civil_affairs_share *', '>= civil_affairs_shar *'));
    const d = m.compile('2021').diagnostics.find((x) => x.code === 'C0001');
    expect(d?.span?.file).toBe(path);
    expect(m.text(path)!.slice(d!.span!.start, d!.span!.end)).toBe('civil_affairs_shar');
  });

  it('records a save: the disk text moves on and the buffer is clean', () => {
    const m = new WorkspaceModel(family());
    const path = '2021/10-params.clause';
    const text = m.text(path)!.replace('= 70%', '= 75%');
    m.edit(path, text);
    m.setDisk(path, text, 'new-hash');
    expect(m.isDirty(path)).toBe(false);
    expect(m.diskHash(path)).toBe('new-hash');
    expect(m.text(path, 'disk')).toBe(text);
  });

  it('names a missing version or a base outside the root instead of throwing', () => {
    const data = family();
    const m = new WorkspaceModel({ ...data, policies: [...data.policies, { dir: 'x', files: ['x/a.clause'] }], files: [...data.files, { path: 'x/a.clause', text: 'policy x version "1"\n  extends "../../outside"\n', hash: '', role: 'rule' }] });
    expect(m.compile('nope').diagnostics.map((d) => d.code)).toEqual(['X0006']);
    expect(m.compile('x').diagnostics.map((d) => d.code)).toContain('X0006');
  });
});

describe('hover cards', () => {
  const m = new WorkspaceModel(family());
  const policy = m.compile('2021').policy!;
  const draft = m.compile('2025-draft').policy!;
  const at = (path: string, needle: string, lang: 'zh' | 'en' = 'zh', asOf = '2023-03-01', p = policy, delta = 1) => {
    const text = m.text(path)!;
    const offset = text.indexOf(needle);
    if (offset < 0) throw new Error(`${needle} not in ${path}`);
    return hoverAt(p, text, offset + delta, asOf, lang);
  };

  it('shows a parameter\'s type, label and the value in force on the date', () => {
    const card = at('2021/30-posts.clause', 'civil_affairs_share *')!;
    expect(card.title).toBe('参数 civil_affairs_share: percent');
    expect(card.lines).toEqual(['民政事业单位社会工作岗位占专业技术岗位比例下限', '2023-03-01 时的取值：70%']);
    expect(at('2021/30-posts.clause', 'civil_affairs_share *', 'en')!.lines[1]).toBe('value on 2023-03-01: 70%');
  });

  it('shows a parameter\'s history and picks the version in force', () => {
    const before = at('2025-draft/10-params.clause', 'civil_affairs_share:', 'en', '2024-06-01', draft)!;
    expect(before.lines).toContain('value on 2024-06-01: 70%');
    expect(before.lines).toContain('history:');
    expect(before.lines.some((l) => l.includes('from 2025-01-01: 75%'))).toBe(true);
    expect(at('2025-draft/10-params.clause', 'civil_affairs_share:', 'en', '2025-06-01', draft)!.lines).toContain('value on 2025-06-01: 75%');
  });

  it('says when a parameter is left to a local supplement', () => {
    expect(at('2021/30-posts.clause', 'service_ratio)')!.lines).toContain('2023-03-01 时的取值：未设定（须由地方细则设定）');
  });

  it('shows the source paragraph of a cite and of a quote', () => {
    const cite = at('2021/30-posts.clause', 'cite "三（二）"')!;
    expect(cite.title).toBe('原文 三（二）');
    expect(cite.lines.join('')).toContain('不低于专业技术岗位总量的70%');
    const quote = at('2021/30-posts.clause', 'quote "到2022年底', 'en')!;
    expect(quote.title).toBe('source 三（二）');
  });

  it('shows fields, sets, definitions, tables, enum values and builtins', () => {
    expect(at('2021/30-posts.clause', 'social_work >= civil')!.title).toBe('字段 institution.posts.social_work: integer');
    expect(at('2021/30-posts.clause', 'civil_affairs_units', 'en')!.title).toBe('set civil_affairs_units: institution_category');
    expect(at('2021/10-params.clause', 'is_sw_professional(w', 'en')!.title).toBe('definition is_sw_professional(w: worker)');
    expect(at('2021/10-params.clause', 'is_sw_professional(w', 'en')!.lines.at(-1)).toMatch(/^= w\.qualification in certified or has\(w\.post\.tier\)$/);
    expect(at('2021/30-posts.clause', 'ceil(', 'en')!.title).toBe('function ceil(x, step?)');
    expect(at('2021/30-posts.clause', '== school', 'en')?.title).toBeUndefined();
    expect(at('2021/30-posts.clause', 'school\n', 'en')!.title).toBe('enum value institution_category.school');
  });

  it('shows nothing over keywords, numbers and comments', () => {
    expect(at('2021/30-posts.clause', 'for institution i')).toBeUndefined();
    expect(at('2021/30-posts.clause', '> 0')).toBeUndefined();
  });

  it('explains a requirement\'s comparison: it reports a shortfall', () => {
    expect(at('2021/30-posts.clause', '> 0', 'zh', '2023-03-01', policy, 0)!.title).toBe('要求中的比较 >');
  });
});

describe('.clause highlighting', () => {
  const tokens = (line: string) => {
    const state = clauseParser.startState!(2);
    const stream = new StringStream(line, 2, 2);
    const out: [string, string | null][] = [];
    while (!stream.eol()) {
      const style = clauseParser.token(stream, state);
      const text = stream.current();
      if (text.trim()) out.push([text, style]);
      stream.start = stream.pos;
    }
    return out;
  };

  it('knows every keyword of the grammar', () => {
    expect([...DSL_KEYWORDS].sort()).toEqual(KEYWORDS.map((k) => String(k.PATTERN).replace(/^\/|\/$/g, '')).sort());
  });

  it.each([
    ['param civil_affairs_share: percent "比例" = 70%', [['param', 'keyword'], ['civil_affairs_share', 'variableName.definition'], [':', 'operator'], ['percent', 'typeName'], ['"比例"', 'string'], ['=', 'operator'], ['70%', 'number']]],
    ['rule civil-affairs-post-share', [['rule', 'keyword'], ['civil-affairs-post-share', 'variableName.definition']]],
    ['must a-b >= 1:500 by 2022-12-31 # note', [['must', 'controlKeyword'], ['a', 'variableName'], ['-', 'operator'], ['b', 'variableName'], ['>=', 'operator'], ['1:500', 'number'], ['by', 'keyword'], ['2022-12-31', 'number'], ['# note', 'comment']]],
    ['where x in s and not has(y) or today', [['where', 'keyword'], ['x', 'variableName'], ['in', 'operatorKeyword'], ['s', 'variableName'], ['and', 'operatorKeyword'], ['not', 'operatorKeyword'], ['has', 'variableName'], ['(', 'punctuation'], ['y', 'variableName'], [')', 'punctuation'], ['or', 'operatorKeyword'], ['today', 'atom']]],
    ['compute in 元 step 0.01 = round(x, 0.01)', [['compute', 'controlKeyword'], ['in', 'operatorKeyword'], ['元', 'typeName'], ['step', 'keyword'], ['0.01', 'number'], ['=', 'operator'], ['round', 'variableName'], ['(', 'punctuation'], ['x', 'variableName'], [',', 'punctuation'], ['0.01', 'number'], [')', 'punctuation']]],
    ['months: integer in 月 "月数"', [['months', 'variableName'], [':', 'operator'], ['integer', 'typeName'], ['in', 'operatorKeyword'], ['月', 'typeName'], ['"月数"', 'string']]],
    ['for 单位 甲 where step > 1', [['for', 'keyword'], ['单位', 'variableName'], ['甲', 'variableName'], ['where', 'keyword'], ['step', 'variableName'], ['>', 'operator'], ['1', 'number']]],
  ])('%s', (line, want) => {
    expect(tokens(line)).toEqual(want);
  });
});
