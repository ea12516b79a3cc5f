/**
 * What hovering over a rule file shows: for a name, its kind and type and, for a parameter,
 * the value in force on the chosen date and its history; for a `cite` or `quote`, the source
 * paragraphs it points to. Pure (no DOM): the workbench's editor turns the answer into a
 * tooltip, the language server (`clausal lsp`) into a Markdown hover; one implementation for both.
 */
import type { Lang } from '../model/diagnostics.js';
import { typeName, type Labels, type ParamInfo, type Policy, type Type } from '../model/types.js';
import { formatValue } from '../eval/explain.js';
import { locateQuote } from '../check/source-outline.js';
import { printExpr } from '../syntax/print.js';

/** A hover card: a heading, then lines of text (never HTML). */
export interface HoverInfo {
  readonly from: number;
  readonly to: number;
  readonly title: string;
  readonly lines: readonly string[];
}

const W = {
  zh: {
    param: '参数', set: '集合', table: '对照表', define: '定义', enum: '枚举', member: '枚举值', kind: '主体类型', field: '字段', fn: '函数',
    inForce: (d: string) => `${d} 时的取值`, unset: '未设定（须由地方细则设定）', history: '取值历史', fromStart: '自始', from: (d: string) => `${d} 起`,
    setBy: (p: string) => `由 ${p} 设定`, rows: (n: number) => `${n} 行`, values: '取值', noSource: '政策没有原文（source）', noParagraph: '原文中没有此编号的段落', quoteMissing: '原文中找不到这段引文',
    cite: (c: string) => `原文 ${c}`, line: (n: number) => `第 ${n} 行`, colon: '：',
  },
  en: {
    param: 'parameter', set: 'set', table: 'table', define: 'definition', enum: 'enum', member: 'enum value', kind: 'subject kind', field: 'field', fn: 'function',
    inForce: (d: string) => `value on ${d}`, unset: 'unset (a local supplement must set it)', history: 'history', fromStart: 'from the start', from: (d: string) => `from ${d}`,
    setBy: (p: string) => `set by ${p}`, rows: (n: number) => `${n} rows`, values: 'values', noSource: 'the policy names no source document', noParagraph: 'no paragraph of the source has this number', quoteMissing: 'the quote does not occur in the source',
    cite: (c: string) => `source ${c}`, line: (n: number) => `line ${n}`, colon: ': ',
  },
} as const;

/** The built-in functions with their signatures and descriptions (hover and completion). */
export const BUILTINS: Readonly<Record<string, Labels & { sig: string }>> = {
  has: { sig: 'has(x) -> boolean', zh: '事实是否已知且不为 none', en: 'whether a fact is known and not none' },
  ceil: { sig: 'ceil(x) -> integer', zh: '向上取整', en: 'round up' },
  floor: { sig: 'floor(x) -> integer', zh: '向下取整', en: 'round down' },
  round: { sig: 'round(x) -> integer', zh: '四舍五入', en: 'round half up' },
  min: { sig: 'min(a, b)', zh: '较小值', en: 'the smaller value' },
  max: { sig: 'max(a, b)', zh: '较大值', en: 'the larger value' },
  abs: { sig: 'abs(x)', zh: '绝对值', en: 'absolute value' },
  years_between: { sig: 'years_between(a: date, b: date) -> integer', zh: '两个日期之间的整年数', en: 'whole years between two dates' },
  days_between: { sig: 'days_between(a: date, b: date) -> integer', zh: '两个日期之间的天数', en: 'days between two dates' },
  size: { sig: 'size(collection) -> integer', zh: '集合的元素个数', en: 'number of elements' },
  percent: { sig: 'percent(x) -> percent', zh: '把数转为百分比', en: 'a number as a percentage' },
  count: { sig: 'count(x in source where cond)', zh: '满足条件的个数', en: 'how many satisfy the condition' },
  sum: { sig: 'sum(x in source where cond : body)', zh: '求和', en: 'sum' },
  share: { sig: 'share(x in source where cond)', zh: '满足条件的比例', en: 'the share that satisfies the condition' },
  all: { sig: 'all(x in source : cond)', zh: '全部满足', en: 'all satisfy' },
  any: { sig: 'any(x in source : cond)', zh: '至少一个满足', en: 'at least one satisfies' },
};

function label(l: Labels | undefined, lang: Lang): string | undefined {
  if (!l) return undefined;
  return lang === 'en' ? l.en ?? l.zh : l.zh;
}

/** The value of a parameter on a date, or undefined when none is in force. */
export function paramValueOn(p: ParamInfo, asOf: string): ParamInfo['history'][number] | undefined {
  let found: ParamInfo['history'][number] | undefined;
  for (const v of p.history) if (v.from === undefined || v.from <= asOf) found = v;
  return found;
}

function paramLines(p: ParamInfo, policy: Policy, asOf: string, lang: Lang): string[] {
  const w = W[lang];
  const lines: string[] = [];
  const l = label(p.label, lang);
  if (l) lines.push(l);
  const now = paramValueOn(p, asOf);
  lines.push(`${w.inForce(asOf)}${w.colon}${now ? formatValue(now.value, p.type, lang, policy) : w.unset}`);
  if (p.history.length > 1 || (p.history.length === 1 && p.history[0].from)) {
    lines.push(`${w.history}${w.colon.trim()}`);
    for (const v of p.history) lines.push(`  ${v.from ? w.from(v.from) : w.fromStart}${w.colon}${formatValue(v.value, p.type, lang, policy)}`);
  }
  if (p.setBy && p.setBy !== policy.id) lines.push(w.setBy(p.setBy));
  return lines;
}

function setValues(values: ReadonlySet<unknown>, type: Type, policy: Policy, lang: Lang): string {
  const shown = [...values].slice(0, 12).map((v) => formatValue(v, type.t === 'set' ? type.of : type, lang, policy));
  return `{${shown.join(', ')}${values.size > 12 ? ', …' : ''}}`;
}

/** The words of a line around `offset`: the identifier under it, with the dotted chain before it. */
function wordAt(text: string, offset: number): { from: number; to: number; word: string; chain: string[] } | undefined {
  const isId = (c: string) => /[A-Za-z0-9_]/.test(c);
  let from = offset;
  let to = offset;
  while (from > 0 && isId(text[from - 1])) from--;
  while (to < text.length && isId(text[to])) to++;
  if (from === to || /[0-9]/.test(text[from])) return undefined;
  const chain = [text.slice(from, to)];
  let i = from;
  while (i > 1 && text[i - 1] === '.') {
    let j = i - 1;
    while (j > 0 && isId(text[j - 1])) j--;
    if (j === i - 1) break;
    chain.unshift(text.slice(j, i - 1));
    i = j;
  }
  return { from, to, word: text.slice(from, to), chain };
}

function lineAround(text: string, offset: number): { start: number; line: string } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const endNl = text.indexOf('\n', offset);
  return { start, line: text.slice(start, endNl < 0 ? text.length : endNl) };
}

function sourceHover(policy: Policy, kind: 'cite' | 'quote', value: string, from: number, to: number, lang: Lang): HoverInfo {
  const w = W[lang];
  const doc = policy.source;
  if (!doc) return { from, to, title: `${kind} ${value}`, lines: [w.noSource] };
  const found = kind === 'cite' ? doc.paragraphs.filter((p) => p.cite === value) : locateQuote(doc, value);
  if (found.length === 0) return { from, to, title: `${kind} ${value}`, lines: [kind === 'cite' ? w.noParagraph : w.quoteMissing] };
  const title = kind === 'cite' ? w.cite(value) : w.cite(found[0].cite);
  return { from, to, title, lines: found.slice(0, 6).flatMap((p) => [`${w.line(p.line)}${w.colon.trim()}`, p.text]) };
}

/**
 * The hover card for position `offset` of a rule file's `text`, using the checked `policy`
 * (the last one that checked, when the buffer has errors now), or undefined for nothing known.
 */
export function hoverAt(policy: Policy, text: string, offset: number, asOf: string, lang: Lang): HoverInfo | undefined {
  const w = W[lang];
  const { start, line } = lineAround(text, offset);
  // `cite "三（二）"` / `quote "…"` in .clause; `cite: 三（二）` / `quote: …` in YAML.
  const m = /^(\s*)(cite|quote)(\s*:\s*|\s+)("?)(.*?)\4\s*$/.exec(line);
  if (m && offset - start >= m[1].length) {
    const value = m[5].replace(/\\"/g, '"');
    const from = start + m[1].length;
    return sourceHover(policy, m[2] as 'cite' | 'quote', value, from, start + line.length, lang);
  }
  const at = wordAt(text, offset);
  if (!at) return undefined;
  const { from, to, word, chain } = at;
  const card = (title: string, lines: (string | undefined)[]): HoverInfo => ({ from, to, title, lines: lines.filter((x): x is string => !!x) });
  if (chain.length > 1) {
    const path = chain.slice(1).join('.');
    const found = [...policy.kinds.values()].flatMap((k) => {
      const f = k.fields.get(path);
      if (f) return [card(`${w.field} ${k.name}.${path}: ${typeName(f.type)}`, [label(f.label, lang)])];
      const r = k.relations.get(path);
      return r ? [card(`${k.name}.${path}: ${r.target}`, [label(r.label, lang)])] : [];
    });
    if (found.length) return found.length === 1 ? found[0] : card(found.map((f) => f.title).join(' | '), found.flatMap((f) => f.lines));
  }
  const p = policy.params.get(word);
  if (p) return card(`${w.param} ${p.name}: ${typeName(p.type)}`, paramLines(p, policy, asOf, lang));
  const s = policy.sets.get(word);
  if (s) return card(`${w.set} ${s.name}: ${typeName(s.type)}`, [label(s.label, lang), `${w.values}${w.colon}${setValues(s.values, s.type, policy, lang)}`]);
  const t = policy.tables.get(word);
  if (t) {
    const sig = `${t.name}(${t.formals.map((f) => `${f.name}: ${typeName(f.type)}`).join(', ')}) -> ${typeName(t.result)}`;
    return card(`${w.table} ${sig}`, [label(t.label, lang), w.rows(t.rows.size)]);
  }
  const d = policy.defines.get(word);
  if (d) {
    const sig = `${d.name}(${d.formals.map((f) => `${f.name}: ${f.type.name}`).join(', ')})`;
    return card(`${w.define} ${sig}`, [d.label ? label(d.label, lang) : undefined, `= ${printExpr(d.body)}`]);
  }
  const e = policy.enums.get(word);
  if (e) return card(`${w.enum} ${e.name}`, [label(e.label, lang), [...e.members.keys()].slice(0, 12).join(', ') + (e.members.size > 12 ? ', …' : '')]);
  const k = policy.kinds.get(word);
  if (k) return card(`${w.kind} ${k.name}`, [label(k.label, lang), `${k.listKey}: ${[...k.fields.keys()].slice(0, 10).join(', ')}${k.fields.size > 10 ? ', …' : ''}`]);
  for (const en of policy.enums.values()) {
    if (en.members.has(word)) return card(`${w.member} ${en.name}.${word}`, [label(en.members.get(word), lang)]);
  }
  const b = Object.prototype.hasOwnProperty.call(BUILTINS, word) ? BUILTINS[word] : undefined;
  if (b && text[to] === '(') return card(`${w.fn} ${b.sig}`, [lang === 'en' ? b.en : b.zh]);
  return undefined;
}
