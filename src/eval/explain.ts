/**
 * One-line explanations with the figures that decided, in zh or en:
 *
 *     社会工作岗位数 30 < 70% × 专业技术岗位数 50 = 35；尚未达到要求，还差 5（社会工作岗位数）（三（二），期限 2022-12-31）
 *
 * The body is the rule's `explain` template when it has one, otherwise the comparisons of the
 * requirement rendered with their values, in words from the labels (never as rule-file source). Comparisons are compiled once per rule, like the
 * rule itself; explaining re-evaluates only them.
 */
import type { Lang } from '../model/diagnostics.js';
import type { Figure, Status } from '../model/result.js';
import * as Q from '../model/rational.js';
import { unitOf, type Labels, type Policy, type RuleInfo, type TemplatePart, type TExpr, type Type } from '../model/types.js';
import { NUMBER_TOO_LARGE, UNKNOWN, type Compiled, type Compiler, type Frame } from '../compile/compile.js';
import { texprText } from '../compile/describe.js';
import { exprWords } from './words.js';
import type { Subject } from '../facts/facts.js';
import type { RunContext } from './evaluate.js';
import { valueString } from './value-text.js';
import { fieldsThroughArgs, paramsRead } from './def-reads.js';

/** What an explainer returns. */
export interface Explained {
  readonly text: string;
  readonly figures: readonly Figure[];
  /** Exact decimal text of how much more is needed, for unmet numeric requirements. */
  readonly shortfall?: string;
  readonly shortfallUnit?: string | null;
}

/** Explains one decision. */
export type Explainer = (ctx: RunContext, subject: Subject, status: Status, due: string | null, missing: readonly string[], errors: readonly string[]) => Explained;

/** A sub-expression shown with its value: a fact, a parameter, or arithmetic over them. */
type Shown =
  /** `reads`: for a call of a shared definition, the facts and parameters it reads (named as figures). */
  | { readonly kind: 'leaf'; readonly x: TExpr; readonly fn: Compiled; readonly label?: Labels; readonly reads?: readonly Shown[] }
  | { readonly kind: 'arith'; readonly x: TExpr; readonly fn: Compiled; readonly op: string; readonly left: Shown; readonly right: Shown };

interface Atom {
  readonly x: TExpr;
  readonly fn: Compiled;
  readonly op?: string;
  readonly left?: Shown;
  readonly right?: Shown;
}

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const SYMBOL: Record<string, string> = { '==': '=', '!=': '≠', '<': '<', '<=': '≤', '>': '>', '>=': '≥', '+': '+', '-': '−', '*': '×', '/': '÷' };
const NEGATED: Record<string, string> = { '==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

function shown(x: TExpr, compiler: Compiler): Shown {
  if (x.op === 'binary' && (x.bop === '+' || x.bop === '-' || x.bop === '*' || x.bop === '/') && x.left.type.t !== 'date') {
    return { kind: 'arith', x, fn: compiler.compile(x), op: x.bop, left: shown(x.left, compiler), right: shown(x.right, compiler) };
  }
  return { kind: 'leaf', x, fn: compiler.compile(x), label: x.op === 'field' ? x.label : undefined, reads: x.op === 'def' ? callReads(x, compiler) : undefined };
}

/** What a call of a shared definition reads: its arguments' figures, the facts its body reads from them, its parameters. */
function callReads(x: Extract<TExpr, { op: 'def' }>, compiler: Compiler): Shown[] {
  const out: Shown[] = [];
  const flatten = (s: Shown): void => {
    if (s.kind === 'arith') {
      flatten(s.left);
      flatten(s.right);
    } else out.push(s);
  };
  for (const a of x.args) flatten(shown(a, compiler));
  for (const f of fieldsThroughArgs(x)) out.push(shown(f, compiler));
  for (const p of paramsRead(x.body)) out.push(shown(p, compiler));
  return out;
}

/** The comparisons and boolean facts a condition is made of (through and/or/not). */
function atomsOf(x: TExpr, compiler: Compiler, out: Atom[] = []): Atom[] {
  if (out.length >= 6) return out;
  if (x.op === 'binary' && (x.bop === 'and' || x.bop === 'or')) {
    atomsOf(x.left, compiler, out);
    atomsOf(x.right, compiler, out);
  } else if (x.op === 'binary' && COMPARISONS.has(x.bop)) {
    out.push({ x, fn: compiler.compile(x), op: x.bop, left: shown(x.left, compiler), right: shown(x.right, compiler) });
  } else if (x.op === 'not') {
    atomsOf(x.operand, compiler, out);
  } else {
    out.push({ x, fn: compiler.compile(x) });
  }
  return out;
}

/** The conjuncts of `a and b and c` (nested `and`s flattened), or none when `x` is not a conjunction. */
function conjunctsOf(x: TExpr): TExpr[] {
  if (x.op !== 'binary' || x.bop !== 'and') return [];
  const out: TExpr[] = [];
  const walk = (e: TExpr): void => {
    if (e.op === 'binary' && e.bop === 'and') {
      walk(e.left);
      walk(e.right);
    } else out.push(e);
  };
  walk(x);
  return out;
}

/** How the items of an aggregate stand: its test met, not met, or not known (items its `where` leaves out are not counted). */
interface Tally {
  readonly yes: number;
  readonly no: number;
  readonly unknown: number;
}

type Aggregate = Extract<TExpr, { op: 'aggregate' }>;

/**
 * Counts an aggregate's items by how its test came out, as the engine reads them (an item the
 * `where` cannot decide counts as not known unless its test fails anyway). Undefined when the
 * collection itself is not known.
 */
function compileTally(x: Aggregate, compiler: Compiler): (f: Frame) => Tally | undefined {
  const source = compiler.compile(x.source);
  const where = x.where ? compiler.compile(x.where) : undefined;
  const body = x.body ? compiler.compile(x.body) : undefined;
  return (f) => {
    const v = source(f);
    if (v === UNKNOWN || v === null || v === undefined) return undefined;
    const list = v instanceof Set ? [...v] : (v as unknown[]);
    let yes = 0;
    let no = 0;
    let unknown = 0;
    const saved = f.slots[x.slot];
    for (const item of list) {
      f.slots[x.slot] = item;
      const w = where ? where(f) : true;
      if (w !== UNKNOWN && w !== true) continue;
      const b = body ? body(f) : true;
      if (b === UNKNOWN || (w === UNKNOWN && b === true)) unknown++;
      else if (w === true && b === true) yes++;
      else if (w === true) no++;
    }
    f.slots[x.slot] = saved;
    return { yes, no, unknown };
  };
}

/**
 * What is known of an `all(...)` requirement some of whose items are not known, so that a
 * violation does not read as "… 未知 个": `所辖全部地区中层级为乡镇（街道）的：已知 3 个未满足「…」，另有 2 个情况不明`.
 */
function tallyWords(x: Aggregate, t: Tally, lang: Lang, policy: Policy): string {
  const of = x.where ? (lang === 'zh' ? `${wordsOf(x.source, lang, policy)}中${wordsOf(x.where, lang, policy)}的` : `of ${wordsOf(x.source, lang, policy)} whose ${wordsOf(x.where, lang, policy)}`) : wordsOf(x.source, lang, policy);
  const test = x.body ? wordsOf(x.body, lang, policy) : '';
  if (lang === 'zh') {
    const known = t.no ? `已知 ${t.no} 个未满足「${test}」${t.yes ? `，${t.yes} 个已满足` : ''}` : `已知 ${t.yes} 个满足「${test}」`;
    return `${of}：${known}，另有 ${t.unknown} 个情况不明`;
  }
  const known = t.no ? `${t.no} known not to meet "${test}"${t.yes ? `, ${t.yes} known to meet it` : ''}` : `${t.yes} known to meet "${test}"`;
  return `${of}: ${known}; ${t.unknown} more not known`;
}

/** Formats a value for people. */
export function formatValue(v: unknown, type: Type, lang: Lang, policy: Policy): string {
  if (v === UNKNOWN) return lang === 'zh' ? '未知' : 'unknown';
  if (v === null) return lang === 'zh' ? '无' : 'none';
  if (v === true) return lang === 'zh' ? '是' : 'yes';
  if (v === false) return lang === 'zh' ? '否' : 'no';
  if (Q.isNum(v)) return type.t === 'percent' ? Q.formatPercent(v) : Q.formatNum(v);
  if (typeof v === 'string') {
    if (type.t === 'enum') {
      const label = policy.enums.get(type.name)?.members.get(v);
      return (lang === 'en' ? label?.en : label?.zh) ?? v;
    }
    return v;
  }
  if (Array.isArray(v)) return lang === 'zh' ? `${v.length} 项` : `${v.length} items`;
  if (v instanceof Set) return `{${[...v].map((x) => formatValue(x, type.t === 'set' ? type.of : type, lang, policy)).join(', ')}}`;
  if (typeof v === 'object' && 'id' in (v as object)) return String((v as Subject).id);
  return String(v);
}

function labelOf(x: TExpr, lang: Lang, policy: Policy): string | undefined {
  if (x.op === 'field') return (lang === 'en' ? x.label?.en ?? x.path : x.label?.zh) ?? x.path;
  if (x.op === 'param') {
    const p = policy.params.get(x.name);
    return (lang === 'en' ? p?.label?.en ?? x.name : p?.label?.zh) ?? x.name;
  }
  return undefined;
}

const texts = new WeakMap<TExpr, string>();
/** The expression as written, computed once per node (explanations print it per result). */
function textOf(x: TExpr): string {
  let t = texts.get(x);
  if (t === undefined) texts.set(x, (t = texprText(x)));
  return t;
}

const words = new WeakMap<TExpr, Partial<Record<Lang, string>>>();
/** {@link exprWords}, computed once per node and language (explanations print it per result). */
function wordsOf(x: TExpr, lang: Lang, policy: Policy): string {
  let byLang = words.get(x);
  if (!byLang) words.set(x, (byLang = {}));
  return (byLang[lang] ??= exprWords(x, lang, policy));
}

const labels = new WeakMap<TExpr, Partial<Record<Lang, string | null>>>();
/** {@link labelOf}, computed once per node and language. */
function labelMemo(x: TExpr, lang: Lang, policy: Policy): string | undefined {
  let byLang = labels.get(x);
  if (!byLang) labels.set(x, (byLang = {}));
  let l = byLang[lang];
  if (l === undefined) byLang[lang] = l = labelOf(x, lang, policy) ?? null;
  return l ?? undefined;
}

/** Builds the explainer of one rule. */
export function compileExplainer(policy: Policy, rule: RuleInfo, compiler: Compiler): Explainer {
  const atoms = atomsOf(rule.condition, compiler);
  // An officer facing an unmet `a and b and c` needs to know which of them to change.
  // A comparison with an absent side fails only because of the absence (`has(station) and
  // station.established <= d`): it is named only when nothing else failed.
  const conjuncts = conjunctsOf(rule.condition).map((x) => ({
    x,
    fn: compiler.compile(x),
    sides: x.op === 'binary' && COMPARISONS.has(x.bop) ? [compiler.compile(x.left), compiler.compile(x.right)] : [],
  }));
  const templates = rule.explain
    ? { zh: compileTemplate(rule.explain.zh, compiler), en: rule.explain.en ? compileTemplate(rule.explain.en, compiler) : undefined }
    : undefined;
  // `all(t in r.descendants where … : …)` with some items not known: say what is known.
  const alls = [rule.condition, ...conjunctsOf(rule.condition)]
    .filter((x): x is Aggregate => x.op === 'aggregate' && x.fn === 'all')
    .map((x) => ({ x, tally: compileTally(x, compiler) }));

  // Most pairs of a province are not applicable: their explanation is one shared object.
  const notApplicable: Record<Lang, Explained> = {
    zh: { text: `不适用（${rule.cite}）`, figures: [] },
    en: { text: `not applicable (${rule.cite})`, figures: [] },
  };
  // One frame per run, reused: explaining re-evaluates a few comparisons, it need not allocate.
  let frameRun: RunContext | undefined;
  let frame: Frame = { slots: [], asOf: '', params: {}, missing: [], errors: [] };
  return (ctx, subject, status, due, missing, errors) => {
    const lang = ctx.lang;
    const cite = rule.cite;
    if (status === 'not_applicable') return notApplicable[lang];
    if (frameRun !== ctx) {
      frameRun = ctx;
      frame = { slots: new Array<unknown>(Math.max(1, rule.slots)), asOf: ctx.asOf, params: ctx.params, missing: [], errors: [] };
    } else {
      if (frame.missing.length) frame.missing.length = 0;
      if (frame.errors.length) frame.errors.length = 0;
    }
    frame.slots[0] = subject;
    const figures: Figure[] = [];
    const seen = new Set<string>();
    const note = (s: Shown, v: unknown) => {
      if (s.kind !== 'leaf') return;
      const x = s.x;
      let path: string | undefined;
      if (x.op === 'param') path = `param ${x.name}`;
      else if (x.op === 'field') {
        const target = x.target.op === 'var' ? frame.slots[x.target.slot] : undefined;
        path = target && typeof target === 'object' && 'path' in target ? `${(target as Subject).path}.${x.path}` : textOf(x);
      }
      if (x.op === 'def') for (const r of s.reads ?? []) note(r, r.fn(frame));
      if (!path || seen.has(path)) return;
      seen.add(path);
      figures.push({ path, value: figureValue(v) });
    };
    const render = (s: Shown): { text: string; value: unknown } => {
      const value = s.fn(frame);
      note(s, value);
      const formatted = formatValue(value, s.x.type, lang, policy);
      if (s.kind === 'leaf') {
        const label = labelMemo(s.x, lang, policy);
        if (s.x.op === 'field' && label) return { text: `${label} ${formatted}`, value };
        if (s.x.op === 'param' || s.x.op === 'const' || !label) return { text: s.x.op === 'call' || s.x.op === 'table' || s.x.op === 'aggregate' || s.x.op === 'def' ? `${wordsOf(s.x, lang, policy)} = ${formatted}` : formatted, value };
        return { text: formatted, value };
      }
      const l = render(s.left);
      const r = render(s.right);
      return { text: `${l.text} ${SYMBOL[s.op]} ${r.text} = ${formatted}`, value };
    };

    if (rule.type === 'value') return explainValue(status, missing, errors);
    let shortfall: Q.Num | undefined;
    let shortfallUnit: string | undefined;
    const unmet = status === 'violation' || status === 'pending' || status === 'advisory';
    const parts: string[] = [];
    const template = templates && (lang === 'en' ? templates.en ?? templates.zh : templates.zh);
    for (const atom of atoms) {
      const holds = atom.fn(frame);
      if (!atom.op || !atom.left || !atom.right) {
        if (!template) parts.push(describeFlag(atom.x, holds, lang, policy));
        continue;
      }
      const l = render(atom.left);
      const r = render(atom.right);
      const op = holds === false ? NEGATED[atom.op] : atom.op;
      if (!template) parts.push(`${l.text} ${holds === UNKNOWN ? '?' : SYMBOL[op]} ${r.text}`);
      if (holds === false && shortfall === undefined) {
        shortfall = shortfallOf(atom, l.value, r.value);
        if (shortfall !== undefined) shortfallUnit = unitOf(atom.left.x.type) ?? unitOf(atom.right.x.type);
      }
    }
    const named: string[] = [];
    if (conjuncts.length && (unmet || status === 'ineligible' || status === 'unknown')) {
      const failed: string[] = [];
      const absent: string[] = [];
      const unknown: string[] = [];
      for (const c of conjuncts) {
        const v = c.fn(frame);
        if (v === false || v === null) (c.sides.some((side) => side(frame) === null) ? absent : failed).push(wordsOf(c.x, lang, policy));
        else if (v === UNKNOWN) unknown.push(wordsOf(c.x, lang, policy));
      }
      if (!failed.length) failed.push(...absent);
      const quoted = (list: string[]) => (lang === 'zh' ? list.map((w) => `「${w}」`).join('、') : list.map((w) => `"${w}"`).join(', '));
      if (failed.length) named.push(lang === 'zh' ? `未满足：${quoted(failed)}` : `failed: ${quoted(failed)}`);
      if (unknown.length) named.push(lang === 'zh' ? `未知：${quoted(unknown)}` : `unknown: ${quoted(unknown)}`);
    }
    if (status !== 'compliant') {
      for (const a of alls) {
        const t = a.tally(frame);
        // Nothing known at all: the missing facts already say it.
        if (t && t.unknown > 0 && t.yes + t.no > 0) named.push(tallyWords(a.x, t, lang, policy));
      }
    }
    const body = [template ? renderTemplate(template, frame, lang, policy) : parts.join(lang === 'zh' ? '；' : '; '), ...named].filter((t) => t).join(lang === 'zh' ? '；' : '; ');
    const verdict = statusPhrase(status, lang, due, missingWords(missing, lang, policy), errors);
    let gap = '';
    const short = shortfall === undefined ? undefined : Q.toDecimalString(shortfall);
    if (short !== undefined && unmet) {
      const atom = atoms.find((a) => a.op && (a.op === '>=' || a.op === '>'));
      const label = atom?.left ? labelMemo(atom.left.x, lang, policy) : undefined;
      const amount = shortfallUnit === undefined ? short : `${short} ${shortfallUnit}`;
      gap = lang === 'zh' ? `，还差 ${amount}${label ? `（${label}）` : ''}` : `, short by ${amount}${label ? ` (${label})` : ''}`;
    }
    const where = lang === 'zh' ? `（${cite}${due ? `，期限 ${due}` : ''}）` : ` (${cite}${due ? `, due ${due}` : ''})`;
    const text = `${body ? body + (lang === 'zh' ? '；' : '; ') : ''}${verdict}${gap}${where}`;
    return unmet && short !== undefined ? { text, figures, shortfall: short, shortfallUnit: shortfallUnit ?? null } : { text, figures };
  };

  /** A value rule: `每月津贴 = 300.00 元（第五条）`, the template when it has one. */
  function explainValue(status: Status, missing: readonly string[], errors: readonly string[]): Explained {
    const lang = frameRun!.lang;
    const template = templates && (lang === 'en' ? templates.en ?? templates.zh : templates.zh);
    const where = lang === 'zh' ? `（${rule.cite}）` : ` (${rule.cite})`;
    if (status !== 'computed') return { text: `${statusPhrase(status, lang, null, missingWords(missing, lang, policy), errors)}${where}`, figures: [] };
    const v = frameRun!.value;
    const unit = rule.value?.unit;
    const shownValue = `${Q.isNum(v) ? valueString(v, rule) : formatValue(v, rule.condition.type, lang, policy)}${unit !== undefined ? ` ${unit}` : ''}`;
    const title = (lang === 'en' ? rule.title?.en : undefined) ?? rule.title?.zh ?? rule.id;
    const body = template ? renderTemplate(template, frame, lang, policy) : `${title} = ${shownValue}`;
    return { text: template ? `${body}${lang === 'zh' ? '；' : '; '}${title} = ${shownValue}${where}` : `${body}${where}`, figures: [] };
  }
}

/** A boolean fact or test with its value: `社会工作纳入专业技术岗位管理：否`, `社会工作服务站：无`. */
function describeFlag(x: TExpr, value: unknown, lang: Lang, policy: Policy): string {
  const sep = lang === 'zh' ? '：' : ': ';
  if (x.op === 'field') return `${labelOf(x, lang, policy)}${sep}${formatValue(value, x.type, lang, policy)}`;
  if (x.op === 'call' && x.fn === 'has' && x.args[0].op === 'field') {
    const present = value === UNKNOWN ? formatValue(value, x.type, lang, policy) : value ? (lang === 'zh' ? '有' : 'present') : lang === 'zh' ? '无' : 'absent';
    return `${labelOf(x.args[0], lang, policy)}${sep}${present}`;
  }
  return `${wordsOf(x, lang, policy)}${sep}${formatValue(value, x.type, lang, policy)}`;
}

function figureValue(v: unknown): Figure['value'] {
  if (v === UNKNOWN || v === undefined) return null;
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (Q.isNum(v)) return Q.toDouble(v);
  if (typeof v === 'object' && 'id' in (v as object)) return String((v as Subject).id);
  return String(v);
}

/**
 * For `have >= need` (or `need <= have`) that fails: how much more is needed. Whole counts need
 * whole units (7 of 10 at 75% needs 1 more post: 8); other quantities need the difference.
 */
function shortfallOf(atom: Atom, left: unknown, right: unknown): Q.Num | undefined {
  const [have, need, strict] =
    atom.op === '>=' ? [left, right, false] : atom.op === '>' ? [left, right, true] : atom.op === '<=' ? [right, left, false] : atom.op === '<' ? [right, left, true] : [];
  if (!Q.isNum(have) || !Q.isNum(need)) return undefined;
  const countSide = atom.op === '>=' || atom.op === '>' ? atom.left! : atom.right!;
  if (countSide.x.type.t !== 'integer') {
    // Percentages are fractions of something else: how many units of it is not known here.
    // Without a unit the quantity is a derived figure (a ratio of counts): no shortfall either.
    if (unitOf(countSide.x.type) === undefined) return undefined;
    const gap = Q.sub(need, have);
    return Q.compare(gap, 0) > 0 ? gap : undefined;
  }
  const target = strict ? Q.floor(need) + 1 : Q.ceil(need);
  const gap = Q.sub(target, have);
  return typeof gap === 'number' && gap > 0 ? gap : undefined;
}

/**
 * Missing facts as officers read them: a fact by its path (where to fill it in), a parameter by
 * its label (`param school_ratio` is 参数「学校社会工作岗位配比」). The `missing` field keeps the paths.
 */
function missingWords(missing: readonly string[], lang: Lang, policy: Policy): readonly string[] {
  if (!missing.some((m) => m.startsWith('param '))) return missing;
  return missing.map((m) => {
    if (!m.startsWith('param ')) return m;
    const p = policy.params.get(m.slice(6));
    const label = (lang === 'en' ? p?.label?.en : p?.label?.zh) ?? p?.label?.zh ?? m.slice(6);
    return lang === 'zh' ? `参数「${label}」` : `parameter "${label}"`;
  });
}

function statusPhrase(status: Status, lang: Lang, due: string | null, missing: readonly string[], errors: readonly string[]): string {
  const zh = lang === 'zh';
  switch (status) {
    case 'compliant': return zh ? '符合要求' : 'requirement met';
    case 'violation': return zh ? (due ? '未达到要求，期限已过' : '未达到要求') : due ? 'not met, deadline passed' : 'not met';
    case 'pending': return zh ? '尚未达到要求，期限未到' : 'not yet met, deadline ahead';
    case 'advisory': return zh ? '未做到（倡导性条款）' : 'not done (advisory clause)';
    case 'eligible': return zh ? '符合条件' : 'eligible';
    case 'ineligible': return zh ? '不符合条件' : 'not eligible';
    case 'not_applicable': return zh ? '不适用' : 'not applicable';
    case 'computed': return zh ? '已计算' : 'computed';
    case 'unknown': {
      const parts: string[] = [];
      if (missing.length) parts.push(zh ? `缺少事实：${missing.join('、')}` : `facts missing: ${missing.join(', ')}`);
      const zero = errors.filter((e) => !e.startsWith(NUMBER_TOO_LARGE));
      const large = errors.filter((e) => e.startsWith(NUMBER_TOO_LARGE)).map((e) => e.slice(NUMBER_TOO_LARGE.length));
      if (zero.length) parts.push(zh ? `无法计算（除数为零）：${zero.join('、')}` : `cannot compute (division by zero): ${zero.join(', ')}`);
      if (large.length) parts.push(zh ? `无法计算（数值超出精确范围）：${large.join('、')}` : `cannot compute (number outside the exact range): ${large.join(', ')}`);
      return parts.join(zh ? '；' : '; ') || (zh ? '无法判断' : 'cannot decide');
    }
  }
}

/** `tally`: for a `count(...)` in a template, how to say what is known when the count is not. */
type CompiledPart = { readonly text: string } | { readonly fn: Compiled; readonly type: Type; readonly tally?: (f: Frame) => Tally | undefined };

function compileTemplate(parts: readonly TemplatePart[], compiler: Compiler): CompiledPart[] {
  return parts.map((p) => ('text' in p ? { text: p.text } : { fn: compiler.compile(p.expr), type: p.expr.type, tally: p.expr.op === 'aggregate' && p.expr.fn === 'count' ? compileTally(p.expr, compiler) : undefined }));
}

function renderTemplate(parts: readonly CompiledPart[], frame: Frame, lang: Lang, policy: Policy): string {
  let out = '';
  for (const p of parts) {
    if ('text' in p) {
      out += p.text;
      continue;
    }
    const v = p.fn(frame);
    // `按期建站 未知 个` next to a violation reads as a contradiction: a count over known items is at least those known.
    const t = v === UNKNOWN && p.tally ? p.tally(frame) : undefined;
    out += t && t.yes > 0 ? (lang === 'zh' ? `至少 ${t.yes}` : `at least ${t.yes}`) : formatValue(v, p.type, lang, policy);
  }
  return out;
}
