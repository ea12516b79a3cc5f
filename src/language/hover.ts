/**
 * What hovering over a rule file shows: for a name, its kind and type and, for a parameter,
 * the value in force on the chosen date and its history; for a `cite` or `quote`, the source
 * paragraphs it points to; for the second-wave words (`if`, `compute`, `step`, `override`, a unit,
 * a rounding function, a requirement's comparison) what they do, with the policy's own units,
 * steps and replaced definitions. Pure (no DOM): the workbench's editor turns the answer into a
 * tooltip, the language server (`clausal lsp`) into a Markdown hover; one implementation for both.
 */
import type { Lang } from '../model/diagnostics.js';
import { typeName, unitOf, type Labels, type ParamInfo, type Policy, type Type } from '../model/types.js';
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
    ifTitle: '条件表达式 if … then … else',
    ifLines: ['条件为真取 then 分支，为假或 none 取 else 分支。', '条件未知时结果未知（缺少的事实列出条件读到的字段），除非两个分支的值相同。', '各分支须是同一类型（C0202）；放在运算符中间要加括号。'],
    computeTitle: '值规则 compute',
    computeLines: ['对每个适用的主体算出一个值：结论为「已计算」，结果带 value 与 unit；缺少事实时为「信息不全」。', '不能同时有 must/should/may/eligible when（C0210），也没有期限 by（C0213）。'],
    unitIs: (u: string) => `结果的单位：${u}（须与表达式的单位一致，C0205）`,
    stepIs: (st: string) => `步长：${st}（结果须是 ${st} 的整数倍，否则须用 round/floor/ceil 明确取整，C0203）`,
    stepTitle: (st: string) => `步长 step ${st}`,
    stepLines: ['值规则结果的最小单位：检查器证明结果总是步长的整数倍，否则报 C0203。'],
    overrideTitle: 'override',
    overrideLines: ['在扩展的政策中替换所继承的同名 define 或 table；不写 override 而重名是错误 C0207，替换不存在的是 C0208。'],
    replaces: (what: string, by: string) => `替换 ${by} 中的 ${what}：`,
    replacesNothing: '所继承的政策中没有同名声明（C0208）',
    unitTitle: (u: string) => `单位 ${u}`,
    unitLines: ['+、-、比较、min、max 两边须是同一单位（C0200）；乘除一个无单位的数或百分比，单位不变；两个带单位的值不能相乘除（C0201）。'],
    declaredOn: '声明于：',
    cmpTitle: (op: string) => `要求中的比较 ${op}`,
    cmpLines: ['不成立时，结果除了「违规」或「待达标」，还给出缺口 shortfall：还差多少。', '需要的一边是整数（人数、岗位数）时按整个单位计；带单位的数给出差额；没有单位的比例不给缺口。'],
    cmpUnit: (u: string) => `缺口的单位：${u}`,
  },
  en: {
    param: 'parameter', set: 'set', table: 'table', define: 'definition', enum: 'enum', member: 'enum value', kind: 'subject kind', field: 'field', fn: 'function',
    inForce: (d: string) => `value on ${d}`, unset: 'unset (a local supplement must set it)', history: 'history', fromStart: 'from the start', from: (d: string) => `from ${d}`,
    setBy: (p: string) => `set by ${p}`, rows: (n: number) => `${n} rows`, values: 'values', noSource: 'the policy names no source document', noParagraph: 'no paragraph of the source has this number', quoteMissing: 'the quote does not occur in the source',
    cite: (c: string) => `source ${c}`, line: (n: number) => `line ${n}`, colon: ': ',
    ifTitle: 'conditional if … then … else',
    ifLines: ['A true condition gives the then branch; false or none gives the else branch.', 'An unknown condition gives unknown (the missing facts list what it read), unless both branches give the same value.', 'The branches must have one type (C0202); inside an operator it needs parentheses.'],
    computeTitle: 'value rule compute',
    computeLines: ['Computes one value per subject it covers: status computed, with value and unit; unknown when facts are missing.', 'No must/should/may/eligible when beside it (C0210) and no deadline by (C0213).'],
    unitIs: (u: string) => `unit of the result: ${u} (must be the expression's, C0205)`,
    stepIs: (st: string) => `step: ${st} (the result must be a whole number of ${st}s, else round it with round/floor/ceil, C0203)`,
    stepTitle: (st: string) => `step ${st}`,
    stepLines: ['The smallest unit of a value rule\'s result: the checker proves the result is always a whole number of steps, else C0203.'],
    overrideTitle: 'override',
    overrideLines: ['Replaces the inherited define or table of the same name in an extending policy; reusing the name without override is error C0207, replacing nothing is C0208.'],
    replaces: (what: string, by: string) => `replaces ${what} of ${by}:`,
    replacesNothing: 'no inherited declaration of that name (C0208)',
    unitTitle: (u: string) => `unit ${u}`,
    unitLines: ['+, -, comparisons, min and max need the same unit on both sides (C0200); * and / by a unitless number or percentage keep it; two values with units cannot be multiplied or divided (C0201).'],
    declaredOn: 'declared on:',
    cmpTitle: (op: string) => `comparison ${op} in a requirement`,
    cmpLines: ['When it fails, the result is a violation or pending and also says by how much: the shortfall.', 'A whole count (people, posts) is short by whole units; an amount with a unit by the difference; a ratio without a unit gives no shortfall.'],
    cmpUnit: (u: string) => `unit of the shortfall: ${u}`,
  },
} as const;

/** The built-in functions with their signatures and descriptions (hover and completion). */
export const BUILTINS: Readonly<Record<string, Labels & { sig: string }>> = {
  has: { sig: 'has(x) -> boolean', zh: '事实是否已知且不为 none', en: 'whether a fact is known and not none' },
  ceil: { sig: 'ceil(x, step?)', zh: '向上取整（向正无穷）到 step 的整数倍；不写 step 时取整数。结果保留 x 的单位', en: 'round up (towards plus infinity) to a whole number of steps; without step, to a whole number. Keeps the unit of x' },
  floor: { sig: 'floor(x, step?)', zh: '向下取整（向负无穷）到 step 的整数倍；不写 step 时取整数。结果保留 x 的单位', en: 'round down (towards minus infinity) to a whole number of steps; without step, to a whole number. Keeps the unit of x' },
  round: { sig: 'round(x, step?)', zh: '四舍五入（.5 远离零）到 step 的整数倍，如 round(x, 0.01) 到分；不写 step 时取整数。结果保留 x 的单位', en: 'round half up (a half goes away from zero) to a whole number of steps, e.g. round(x, 0.01) to the fen; without step, to a whole number. Keeps the unit of x' },
  round_half_even: { sig: 'round_half_even(x, step?)', zh: '四舍六入五成双（银行家舍入）到 step 的整数倍：2.345 → 2.34，2.355 → 2.36。结果保留 x 的单位', en: "banker's rounding (a half goes to the even step) to a whole number of steps: 2.345 -> 2.34, 2.355 -> 2.36. Keeps the unit of x" },
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
  const isId = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_\u3400-\u4dbf\u4e00-\u9fff]/.test(c);
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
  const cmp = comparisonHover(policy, text, offset, start, line, lang);
  if (cmp) return cmp;
  const at = wordAt(text, offset);
  if (!at) return undefined;
  const { from, to, word, chain } = at;
  const card = (title: string, lines: (string | undefined)[]): HoverInfo => ({ from, to, title, lines: lines.filter((x): x is string => !!x) });
  if (chain.length === 1) {
    const kw = keywordHover(policy, word, line, from - start, lang);
    if (kw) return card(kw.title, kw.lines);
  }
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
  const unit = unitsOf(policy).get(word);
  if (unit) return card(w.unitTitle(word), [...w.unitLines, w.declaredOn, ...unit.slice(0, 8).map((u) => `  ${u}`), ...(unit.length > 8 ? ['  …'] : [])]);
  return undefined;
}

/** Where each unit is declared: `worker.months_served`, `param monthly_cap`, `rule yearly-allowance`. */
function unitsOf(policy: Policy): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (unit: string | undefined, where: string) => {
    if (unit === undefined) return;
    const list = out.get(unit) ?? [];
    if (!list.includes(where)) list.push(where);
    out.set(unit, list);
  };
  for (const k of policy.kinds.values()) for (const [name, f] of k.fields) add(unitOf(f.type), `${k.name}.${name}`);
  for (const p of policy.params.values()) add(unitOf(p.type), `param ${p.name}`);
  for (const t of policy.tables.values()) {
    add(unitOf(t.result), `table ${t.name}`);
    for (const f of t.formals) add(unitOf(f.type), `table ${t.name}(${f.name})`);
  }
  for (const r of policy.rules) add(r.value?.unit, `rule ${r.id}`);
  return out;
}

/** Cards for the keywords of conditionals, value rules and extension. */
function keywordHover(policy: Policy, word: string, line: string, col: number, lang: Lang): { title: string; lines: string[] } | undefined {
  const w = W[lang];
  // Only where the word is the keyword: not a field or enum member spelt the same (`x.if`).
  if (line[col - 1] === '.' || /^\s*:/.test(line.slice(col + word.length))) return undefined;
  switch (word) {
    case 'if': case 'then': case 'else':
      return { title: w.ifTitle, lines: [...w.ifLines] };
    case 'compute': {
      const m = /\bcompute(?:\s+in\s+(\S+))?(?:\s+step\s+([0-9.]+))?/.exec(line);
      return { title: w.computeTitle, lines: [...w.computeLines, ...(m?.[1] ? [w.unitIs(m[1])] : []), ...(m?.[2] ? [w.stepIs(m[2])] : [])] };
    }
    case 'step': {
      const m = /\bcompute\b.*\bstep\s+([0-9.]+)/.exec(line);
      return m ? { title: w.stepTitle(m[1]), lines: [...w.stepLines] } : undefined;
    }
    case 'override': {
      const m = /\boverride\s+(define|table)\s+([A-Za-z_\u3400-\u4dbf\u4e00-\u9fff][A-Za-z0-9_\u3400-\u4dbf\u4e00-\u9fff]*)/.exec(line);
      if (!m) return { title: w.overrideTitle, lines: [...w.overrideLines] };
      const base = policy.base;
      const what = `${m[1]} ${m[2]}`;
      if (!base) return { title: `${w.overrideTitle} ${what}`, lines: [...w.overrideLines, w.replacesNothing] };
      const replaced = m[1] === 'define' ? base.defines.get(m[2]) : base.tables.get(m[2]);
      if (!replaced) return { title: `${w.overrideTitle} ${what}`, lines: [...w.overrideLines, w.replacesNothing] };
      const shown = m[1] === 'define' && 'body' in replaced ? `= ${printExpr(replaced.body)}` : undefined;
      return { title: `${w.overrideTitle} ${what}`, lines: [...w.overrideLines, w.replaces(what, `${base.id} ${base.version}`), ...(shown ? [shown] : [])] };
    }
    default:
      return undefined;
  }
}

/**
 * A comparison in a requirement (`must`, `should`, `may`, on its line): it reports a shortfall
 * when it fails, in the unit of the quantity it compares.
 */
function comparisonHover(policy: Policy, text: string, offset: number, start: number, line: string, lang: Lang): HoverInfo | undefined {
  const col = offset - start;
  if (!/^\s*(must|should|may)\b|\s(must|should|may)\s/.test(line)) return undefined;
  const re = /(>=|<=|>|<)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    // `->` is a table arrow, not a comparison.
    if (m[0] === '>' && line[m.index - 1] === '-') continue;
    if (col < m.index || col >= m.index + m[0].length) continue;
    const w = W[lang];
    const left = /([A-Za-z_][A-Za-z0-9_.]*)\s*$/.exec(line.slice(0, m.index))?.[1];
    const right = /^\s*([A-Za-z_][A-Za-z0-9_.]*)/.exec(line.slice(m.index + m[0].length))?.[1];
    const unit = [left, right].map((x) => (x ? unitOfName(policy, x) : undefined)).find((u) => u !== undefined);
    const from = start + m.index;
    return { from, to: from + m[0].length, title: w.cmpTitle(m[0]), lines: [...w.cmpLines, ...(unit ? [w.cmpUnit(unit)] : [])] };
  }
  return undefined;
}

/** The unit of `v.a.b` (a field of any kind) or of a parameter, if declared. */
function unitOfName(policy: Policy, name: string): string | undefined {
  const parts = name.split('.');
  if (parts.length === 1) {
    const p = policy.params.get(name);
    return p ? unitOf(p.type) : undefined;
  }
  const path = parts.slice(1).join('.');
  for (const k of policy.kinds.values()) {
    const f = k.fields.get(path);
    if (f) return unitOf(f.type);
  }
  return undefined;
}
