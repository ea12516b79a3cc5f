/**
 * Warnings for mistakes that type-check but are almost certainly not what the officer meant
 * (issue 17): a percentage parameter set to `0.75%` when every comparable figure is at least
 * 1% (C0310, "probably 75%"), and a rule title or explanation that writes out a figure the
 * rule takes from a parameter whose history has another value (C0311, stale after an
 * amendment). Both look only at what the policy itself declares; both are warnings, so the
 * policy still checks.
 */
import type * as A from '../model/ast.js';
import { warning, type Diagnostic } from '../model/diagnostics.js';
import { compare, div, makeRational, mul, parseDecimal, toDecimalString, isNum, type Num } from '../model/rational.js';
import type { ParamInfo, RuleInfo } from '../model/types.js';
import type { Span } from '../model/span.js';
import { childExprs } from '../syntax/parse.js';

/**
 * Codes of these hints. They are advice while editing: `clausal check` and the editors show
 * them; commands that only use the policy (eval, diff, test…) do not repeat them on every run.
 */
export const EDITING_HINTS: ReadonlySet<string> = new Set(['C0310', 'C0311']);

const ONE_PERCENT: Num = makeRational(1, 100);

/** What the hints need from the checker's state. */
export interface HintInput {
  readonly decls: readonly A.Decl[];
  readonly params: ReadonlyMap<string, ParamInfo>;
  readonly defines: ReadonlyMap<string, A.DefineDecl>;
  readonly rules: readonly RuleInfo[];
}

/** All officer hints of a checked policy, in source order. */
export function officerHints(s: HintInput): Diagnostic[] {
  return [...percentSlips(s), ...staleFigures(s)];
}

/** `0.75%` is a fraction of a percent: when every other percentage is 1% or more, it is 75%. */
function percentSlips(s: HintInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  const all: { span: Span; value: Num }[] = [];
  for (const p of s.params.values()) {
    if (p.type.t !== 'percent') continue;
    for (const h of p.history) if (isNum(h.value)) all.push({ span: h.span, value: h.value });
  }
  for (const d of s.decls) {
    if (d.kind !== 'param') continue;
    for (const h of d.history) {
      if (h.value.kind !== 'percent') continue;
      const fraction = parseDecimal(h.value.text);
      if (fraction === undefined) continue;
      const value = div(fraction, 100);
      if (!value || compare(value, 0) <= 0 || compare(value, ONE_PERCENT) >= 0) continue;
      const others = all.filter((o) => o.span.file !== h.span.file || o.span.start !== h.span.start);
      if (others.length === 0 || others.some((o) => compare(o.value, ONE_PERCENT) < 0)) continue;
      out.push(warning('C0310', h.value.span, { text: `${h.value.text}%`, fix: `${toDecimalString(mul(fraction, 100))}%` }));
    }
  }
  return out;
}

/** Parameters a rule reads, directly or through definitions. */
function paramsOfRule(rule: A.RuleDecl, s: HintInput): string[] {
  const found = new Set<string>();
  const seenDefines = new Set<string>();
  const stack: A.Expr[] = [rule.where, rule.requirement, rule.eligibleWhen, rule.compute?.value, rule.deadline].filter((e): e is A.Expr => !!e);
  while (stack.length) {
    const e = stack.pop()!;
    const name = e.kind === 'name' ? e.name : e.kind === 'call' ? e.callee : undefined;
    if (name !== undefined) {
      if (s.params.has(name)) found.add(name);
      const d = s.defines.get(name);
      if (d && !seenDefines.has(name)) {
        seenDefines.add(name);
        stack.push(d.body);
      }
    }
    stack.push(...childExprs(e));
  }
  return [...found];
}

/** Figures written in a text: `70%`, and for a parameter with a unit, `300元`. */
function figures(text: string, p: ParamInfo): { text: string; value: Num }[] {
  const out: { text: string; value: Num }[] = [];
  const unit = 'unit' in p.type ? p.type.unit : undefined;
  const pattern = p.type.t === 'percent' ? /(\d+(?:\.\d+)?)\s*[%％]/g
    : unit ? new RegExp(`(\\d+(?:\\.\\d+)?)\\s*${unit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'g') : undefined;
  if (!pattern) return out;
  for (const m of text.matchAll(pattern)) {
    const n = parseDecimal(m[1]);
    const value = n === undefined ? undefined : p.type.t === 'percent' ? div(n, 100) : n;
    if (value !== undefined) out.push({ text: m[0], value });
  }
  return out;
}

/**
 * A title "不低于…的70%" while the parameter it checks is now 75% (or went to 75% in 2025): the
 * title is stale. A figure counts when it is one of the parameter's values and the parameter
 * also has another, or when it is none of the values the rule can use (its parameters of that
 * notation and its own literals) and the rule reads exactly one parameter in that notation.
 * A title that states the only value a parameter has ever had is left alone.
 */
function staleFigures(s: HintInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of s.decls) {
    if (d.kind !== 'rule') continue;
    const texts: { where: 'title' | 'explain'; text: string; span: Span }[] = [];
    if (d.title) texts.push({ where: 'title', text: `${d.title.zh}\n${d.title.en ?? ''}`, span: d.title.span });
    if (d.explain) texts.push({ where: 'explain', text: `${stripPlaceholders(d.explain.zh.value)}\n${stripPlaceholders(d.explain.en?.value ?? '')}`, span: d.explain.span });
    if (texts.length === 0) continue;
    const used = paramsOfRule(d, s).map((name) => s.params.get(name)!).filter((p) => notation(p) !== undefined);
    const literals = literalPercents(d);
    for (const t of texts) {
      const reported = new Set<string>();
      for (const p of used) {
        const values = p.history.filter((h) => isNum(h.value));
        if (values.length === 0) continue;
        const same = used.filter((q) => notation(q) === notation(p));
        const known = [...same.flatMap((q) => q.history.map((h) => h.value).filter(isNum)), ...(p.type.t === 'percent' ? literals : [])];
        for (const f of figures(t.text, p)) {
          const equal = (v: unknown) => isNum(v) && compare(v, f.value) === 0;
          const ownValue = values.some((h) => equal(h.value));
          const stale = ownValue ? values.some((h) => !equal(h.value)) : !known.some(equal) && same.length === 1;
          if (!stale || reported.has(f.text)) continue;
          reported.add(f.text);
          const other = [...values].reverse().find((h) => !equal(h.value))!;
          out.push(warning('C0311', t.span, {
            where: t.where === 'title' ? 'title' : 'explanation',
            'where.zh': t.where === 'title' ? '标题' : '说明',
            figure: f.text,
            param: p.name,
            value: shown(other.value as Num, p),
            from: other.from ?? 'the start',
            'from.zh': other.from ?? '施行之初',
          }, t.where === 'explain'
            ? { zh: `在说明中写 \`{${p.name}}\`，显示当时有效的取值`, en: `write \`{${p.name}}\` in the explanation to show the value in force` }
            : { zh: '标题中不写具体数值，或改为现行数值', en: 'leave the figure out of the title, or bring it up to date' }));
        }
      }
    }
  }
  return out;
}

/** How a parameter's figures are written in text: `%`, its unit, or not recognisable. */
function notation(p: ParamInfo): string | undefined {
  if (p.type.t === 'percent') return '%';
  return 'unit' in p.type ? p.type.unit : undefined;
}

function shown(value: Num, p: ParamInfo): string {
  return p.type.t === 'percent' ? `${toDecimalString(mul(value, 100))}%` : `${toDecimalString(value)}${notation(p) ?? ''}`;
}

/** Percentages written as literals in the rule's own expressions (`must x >= 50%`). */
function literalPercents(rule: A.RuleDecl): Num[] {
  const out: Num[] = [];
  const stack: A.Expr[] = [rule.where, rule.requirement, rule.eligibleWhen, rule.compute?.value, rule.deadline].filter((e): e is A.Expr => !!e);
  while (stack.length) {
    const e = stack.pop()!;
    if (e.kind === 'percent') {
      const n = parseDecimal(e.text);
      const v = n === undefined ? undefined : div(n, 100);
      if (v !== undefined) out.push(v);
    }
    stack.push(...childExprs(e));
  }
  return out;
}

/** Explanation text without its `{expr}` placeholders, which print values and are fine. */
function stripPlaceholders(text: string): string {
  return text.replace(/\{[^{}]*\}/g, ' ');
}
