/**
 * `clausal lsp` driven the way an editor drives it, on the bundled policy family: open, change,
 * diagnostics (codes, zh/en), hover, definition, references, completion, rename, formatting,
 * document symbols and quick fixes; YAML rule files alongside `.clause` files.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CodeAction, CompletionItem, DocumentSymbol, Hover, Location, Range, TextEdit, WorkspaceEdit,
} from 'vscode-languageserver';
import { FAMILY, inProcessServer, uriOf, type LspClient } from './lsp-client.js';

const POSTS = '2021/30-posts.clause';
const PARAMS = '2021/10-params.clause';
const KINDS = '2021/00-policy.clause';
const GRADING = '2021/40-grading.yaml';
const SUPPLEMENT = 'supplements/kunming/supplement.clause';

let client: LspClient;
/** Where the family-relative path starts in a URI. */
const relStart = uriOf('').length + 1;
const disk = (rel: string) => readFileSync(resolve(FAMILY, rel), 'utf8');
/** The text a range covers in a file on disk. */
const covered = (rel: string, r: Range) => {
  const lines = disk(rel).split('\n');
  if (r.start.line === r.end.line) return lines[r.start.line].slice(r.start.character, r.end.character);
  return [lines[r.start.line].slice(r.start.character), ...lines.slice(r.start.line + 1, r.end.line), lines[r.end.line].slice(0, r.end.character)].join('\n');
};
const hoverText = (h: Hover | null) => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '');

beforeAll(async () => {
  client = inProcessServer();
  const init = await client.initialize({ locale: 'zh-cn' });
  expect(init.capabilities).toMatchObject({ hoverProvider: true, definitionProvider: true, referencesProvider: true, documentFormattingProvider: true, renameProvider: { prepareProvider: true } });
});
afterAll(async () => {
  await client.close();
});

describe('diagnostics', () => {
  it('a clean file of the bundled policy gets none', async () => {
    const uri = await client.open(POSTS);
    expect(await client.waitForDiagnostics(uri)).toEqual([]);
  });

  it('an edit is re-checked: code, range, zh message with the did-you-mean help; undoing clears it', async () => {
    const uri = uriOf(POSTS);
    const good = disk(POSTS);
    await client.change(uri, good.replace('civil_affairs_share * i.posts', 'civil_affairs_shar * i.posts'));
    const [d] = await client.waitForDiagnostics(uri, (ds) => ds.length > 0);
    expect(d).toMatchObject({ code: 'C0001', severity: 1, source: 'clausal' });
    expect(d.message).toBe('未知名称 `civil_affairs_shar`\n提示: 是否指 2021/10-params.clause:4:7 处声明的参数 `civil_affairs_share`？');
    expect(d.range).toEqual({ start: client.positionOf(uri, 'civil_affairs_shar'), end: client.positionOf(uri, 'civil_affairs_shar', 18) });
    await client.change(uri, good);
    expect(await client.waitForDiagnostics(uri, (ds) => ds.length === 0)).toEqual([]);
  });

  it('an error in the base version reaches the supplement that extends it', async () => {
    const uri = uriOf(PARAMS);
    await client.open(PARAMS);
    await client.change(uri, disk(PARAMS).replace('param school_ratio: ratio', 'param school_ratio: ratioo'));
    const [own] = await client.waitForDiagnostics(uri, (ds) => ds.length > 0);
    expect(own.code).toBe('C0014');
    const sup = await client.waitForDiagnostics(uriOf(SUPPLEMENT), (ds) => ds.length > 0);
    expect(sup.map((d) => d.code)).toContain('C0020');
    await client.change(uri, disk(PARAMS));
    await client.waitForDiagnostics(uriOf(SUPPLEMENT), (ds) => ds.length === 0);
  });

  it('YAML rule files are checked as part of their policy', async () => {
    const uri = await client.open(GRADING);
    await client.waitForDiagnostics(uri, (ds) => ds.length === 0);
    await client.change(uri, disk(GRADING).replace('has(w.post.tier)', 'has(w.post.tierr)'));
    const [d] = await client.waitForDiagnostics(uri, (ds) => ds.length > 0);
    expect(d.code).toBe('C0002');
    await client.change(uri, disk(GRADING));
    await client.waitForDiagnostics(uri, (ds) => ds.length === 0);
  });

  it('messages follow the language setting', async () => {
    const uri = uriOf(POSTS);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { clausal: { lang: 'en' } } });
    await client.change(uri, disk(POSTS).replace('civil_affairs_share * i.posts', 'civil_affairs_shar * i.posts'));
    const [d] = await client.waitForDiagnostics(uri, (ds) => ds.length > 0 && String(ds[0].message).startsWith('unknown'));
    expect(d.message).toBe('unknown name `civil_affairs_shar`\nhelp: did you mean the parameter declared as `civil_affairs_share` at 2021/10-params.clause:4:7?');
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { clausal: { lang: 'zh' } } });
    await client.change(uri, disk(POSTS));
    await client.waitForDiagnostics(uri, (ds) => ds.length === 0);
  });
});

describe('hover', () => {
  it.each([
    ['a parameter: type, value in force on the as-of date', POSTS, 'civil_affairs_share *', 2, ['参数 civil_affairs_share: percent', '2022-06-01 时的取值：70%']],
    ['a field through the rule variable', POSTS, 'i.posts.social_work >=', 10, ['字段 institution.posts.social_work: integer', '社会工作岗位数']],
    ['a cite: the paragraph of the source text', POSTS, 'cite "三（二）"', 7, ['原文 三（二）', '民政事业单位']],
    ['a table called from the YAML form', GRADING, 'post_level(', 3, ['对照表 post_level(tier: post_tier, grade: integer) -> integer']],
    ['a parameter the supplement sets: its value and history', SUPPLEMENT, 'param school_ratio', 8, ['参数 school_ratio: ratio', '2022-01-01 起']],
    ['a requirement\'s comparison: it reports a shortfall', POSTS, '>= ceil(i.service_subjects', 0, ['要求中的比较 >=', '缺口 shortfall']],
    ['a rounding function with its step', POSTS, 'ceil(i.service_subjects', 1, ['函数 ceil(x, step?)', '向上取整（向正无穷）']],
  ])('%s', async (_, rel, needle, delta, want) => {
    const uri = await client.open(rel);
    const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: client.positionOf(uri, needle, delta) });
    for (const w of want) expect(hoverText(h).replace(/\\/g, '')).toContain(w);
  });

  it('nothing on a comment or blank', async () => {
    const uri = uriOf(POSTS);
    expect(await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } })).toBeNull();
  });
});

describe('definition and references', () => {
  it.each([
    ['parameter', POSTS, 'civil_affairs_share *', PARAMS, 'civil_affairs_share'],
    ['set', POSTS, 'civil_affairs_units', PARAMS, 'civil_affairs_units'],
    ['kind', POSTS, 'institution i\n  where i.category in civil', KINDS, 'institution'],
    ['record field', POSTS, 'social_work >= civil', KINDS, 'posts.social_work'],
    ['enum member', POSTS, 'school\n', KINDS, 'school'],
    ['rule variable', POSTS, 'i.posts.social_work >= civil', POSTS, 'i'],
    ['table from YAML', GRADING, 'post_level(', GRADING, 'post_level'],
    ['the supplement\'s parameter leads to the base declaration', SUPPLEMENT, 'school_ratio =', PARAMS, 'school_ratio'],
  ])('%s', async (_, rel, needle, targetRel, want) => {
    const uri = await client.open(rel);
    const locs = await client.request<Location[] | Location>('textDocument/definition', { textDocument: { uri }, position: client.positionOf(uri, needle, 1) });
    const loc = Array.isArray(locs) ? locs[0] : locs;
    expect(loc.uri).toBe(uriOf(targetRel));
    expect(covered(targetRel, loc.range)).toBe(want);
  });

  it('a cite leads to its paragraph of source.txt', async () => {
    const uri = uriOf(POSTS);
    const locs = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: client.positionOf(uri, 'cite "三（二）"', 7) });
    expect(locs).toHaveLength(1);
    expect(locs[0].uri).toBe(uriOf('2021/source.txt'));
    expect(covered('2021/source.txt', locs[0].range)).toContain('社会工作专业岗位设置数量不低于专业技术岗位总量的70%');
  });

  it('references of a parameter span the base and the supplement', async () => {
    const uri = uriOf(PARAMS);
    const refs = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri }, position: client.positionOf(uri, 'param school_ratio', 7), context: { includeDeclaration: true },
    });
    const where = refs.map((r) => `${r.uri.slice(relStart)}:${r.range.start.line + 1}`).sort();
    expect(where).toEqual(expect.arrayContaining(['2021/10-params.clause:16', 'supplements/kunming/supplement.clause:13']));
    expect(where.some((w) => w.startsWith('2021/30-posts.clause:'))).toBe(true);
    for (const r of refs) expect(covered(r.uri.slice(relStart), r.range)).toBe('school_ratio');
    const uses = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri }, position: client.positionOf(uri, 'param school_ratio', 7), context: { includeDeclaration: false },
    });
    expect(uses.length).toBe(refs.length - 1);
  });
});

describe('completion', () => {
  const labels = async (rel: string, text: string, needle: string, delta: number) => {
    const uri = uriOf(rel);
    await client.change(uri, text);
    const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: client.positionOf(uri, needle, delta) });
    return items.map((i) => i.label);
  };

  it.each([
    ['fields after `i.`', 'must i.sw_room and', 'must i.', 7, ['posts', 'category', 'workers', 'sw_room'], ['tier']],
    ['fields of a record after `i.posts.`', 'must i.sw_room and', 'must i.posts.', 13, ['social_work', 'professional', 'total'], ['category']],
    ['enum members after `==` on an enum field', 'where i.category == school', 'where i.category == ', 20, ['school', 'hospital'], ['must', 'civil_affairs_share']],
    ['names and keywords elsewhere', 'must i.sw_room and', 'must ', 5, ['must', 'civil_affairs_share', 'civil_affairs_units', 'i', 'ceil'], []],
  ])('%s', async (_, anchor, needle, delta, want, not) => {
    const text = disk(POSTS).replace(anchor, needle.endsWith(' ') || needle.endsWith('.') ? needle : anchor);
    const got = await labels(POSTS, text, needle, delta);
    expect(got).toEqual(expect.arrayContaining(want));
    for (const n of not) expect(got).not.toContain(n);
  });

  it('cites from the document\'s numbering inside `cite "`', async () => {
    const text = disk(POSTS).replace('cite "三（七）"', 'cite "');
    const got = await labels(POSTS, text, 'cite "\n', 6);
    expect(got).toEqual(expect.arrayContaining(['三（二）', '三（七）', '四']));
    await client.change(uriOf(POSTS), disk(POSTS));
  });
});

describe('rename', () => {
  it('a parameter across the base, the supplement and the policy tests', async () => {
    const uri = uriOf(PARAMS);
    const prep = await client.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', { textDocument: { uri }, position: client.positionOf(uri, 'param service_ratio', 7) });
    expect(prep.placeholder).toBe('service_ratio');
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position: client.positionOf(uri, 'param service_ratio', 7), newName: 'caseload_ratio' });
    const files = Object.keys(edit.changes!).map((u) => u.slice(relStart)).sort();
    expect(files).toEqual(['2021/10-params.clause', '2021/30-posts.clause', '2021/tests.yaml', 'supplements/kunming/supplement.clause']);
    for (const [u, edits] of Object.entries(edit.changes!)) {
      for (const e of edits) {
        expect(e.newText).toBe('caseload_ratio');
        expect(covered(u.slice(relStart), e.range)).toBe('service_ratio');
      }
    }
  });

  it.each([
    ['a keyword as the new name', 'param service_ratio', 7, 'must', /not a valid name|不是有效的名称/],
    ['a name already taken', 'param service_ratio', 7, 'school_ratio', /已被使用|already taken/],
  ])('refuses %s', async (_, needle, delta, newName, message) => {
    const uri = uriOf(PARAMS);
    await expect(client.request('textDocument/rename', { textDocument: { uri }, position: client.positionOf(uri, needle, delta), newName })).rejects.toThrow(message);
  });

  it('a rule variable or a kind is not offered for rename', async () => {
    const uri = uriOf(POSTS);
    expect(await client.request('textDocument/prepareRename', { textDocument: { uri }, position: client.positionOf(uri, 'for institution i', 5) })).toBeNull();
  });
});

describe('formatting, symbols, quick fixes', () => {
  it('formats with the canonical printer, and leaves a formatted file alone', async () => {
    const uri = uriOf(POSTS);
    await client.change(uri, disk(POSTS).replace('  for institution i\n  where i.category in township_platforms', '  for   institution i\n     where i.category   in township_platforms'));
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    expect(edits).toHaveLength(1);
    expect(edits[0].newText).toBe(disk(POSTS));
    await client.change(uri, disk(POSTS));
    expect(await client.request('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })).toEqual([]);
  });

  it('lists the declarations of a file as its outline', async () => {
    const uri = uriOf(POSTS);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    expect(symbols.map((s) => s.name)).toEqual(expect.arrayContaining(['township-platform-posts', 'civil-affairs-post-share', 'union-posts']));
    const kinds = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: await client.open(KINDS) } });
    const institution = kinds.find((s) => s.name === 'institution')!;
    expect(institution.children!.map((c) => c.name)).toContain('posts.social_work');
  });

  it.each([
    ['did you mean', 'civil_affairs_share * i.posts', 'civil_affairs_shar * i.posts', 'civil_affairs_shar', 'civil_affairs_share'],
    ['full-width punctuation', 'ceil(i.students * school_ratio)\n', 'ceil（i.students * school_ratio)\n', '（', '('],
    ['a date written with slashes', 'by civil_affairs_deadline', 'by 2022/12/31', '2022/12/31', '2022-12-31'],
  ])('%s', async (_, from, to, underlined, fixed) => {
    const uri = uriOf(POSTS);
    await client.change(uri, disk(POSTS).replace(from, to));
    const diags = await client.waitForDiagnostics(uri, (ds) => ds.length > 0);
    const target = diags[0];
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: target.range, context: { diagnostics: [target] } });
    const fix = actions.find((a) => a.edit?.changes?.[uri]?.[0].newText === fixed);
    expect(fix, JSON.stringify(actions)).toBeDefined();
    const [edit] = fix!.edit!.changes![uri];
    const text = client.text(uri);
    const lines = text.split('\n');
    expect(lines[edit.range.start.line].slice(edit.range.start.character, edit.range.end.character)).toBe(underlined);
    await client.change(uri, disk(POSTS));
    await client.waitForDiagnostics(uri, (ds) => ds.length === 0);
  });
});

describe('files outside a policy', () => {
  it('a facts file gets no diagnostics and no hover', async () => {
    const uri = await client.open('examples/province.yaml');
    expect(await client.waitForDiagnostics(uri)).toEqual([]);
    expect(await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 4 } })).toBeNull();
  });
});
