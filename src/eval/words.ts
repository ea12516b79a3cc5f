/**
 * An expression said in words from the policy's labels, for explanations officers read:
 * `any(f in i.service_fields : f in priority_fields)` reads 社会工作服务领域中至少有一项属于
 * 二（二）加快培育发展的领域. Explanations never print rule-file source; a name without a label
 * (a define, a table) is shown as its id, which is what the policy's author typed.
 */
import type { Lang } from '../model/diagnostics.js';
import type { BuiltinFn, Labels, Policy, TExpr } from '../model/types.js';
import { constText } from '../compile/describe.js';

const SYMBOL: Record<string, string> = { '==': '=', '!=': '≠', '<': '<', '<=': '≤', '>': '>', '>=': '≥', '+': '+', '-': '−', '*': '×', '/': '÷' };

function pick(label: Labels | { readonly zh: string; readonly en?: string } | undefined, lang: Lang): string | undefined {
  return label && (lang === 'en' ? label.en : label.zh);
}

/** Says `x` in words in `lang`. */
export function exprWords(x: TExpr, lang: Lang, policy: Policy): string {
  const zh = lang === 'zh';
  // The variable of the innermost aggregate reads as "it": `f in S` inside `any(f in …)`.
  const go = (e: TExpr, inner = false): string => {
    switch (e.op) {
      case 'const': {
        if (e.name !== undefined) return pick(policy.sets.get(e.name)?.label, lang) ?? e.name;
        if (e.type.t === 'enum' && typeof e.value === 'string') return pick(policy.enums.get(e.type.name)?.members.get(e.value), lang) ?? e.value;
        if (e.value === true) return zh ? '是' : 'yes';
        if (e.value === false) return zh ? '否' : 'no';
        if (e.value === null) return zh ? '无' : 'none';
        if (e.type.t === 'string') return zh ? `“${String(e.value)}”` : `"${String(e.value)}"`;
        return constText(e.value, e.type.t === 'percent');
      }
      case 'today': return zh ? '当日' : 'the date checked';
      case 'var': return zh ? '该项' : 'it';
      case 'param': {
        const p = policy.params.get(e.name);
        return pick(p?.label, lang) ?? p?.label?.zh ?? e.name;
      }
      case 'field': {
        const own = pick(e.label, lang) ?? e.label?.zh ?? e.path;
        // A field of the aggregate's item: `w.level` inside count(w in …) is `its level` in en
        // (`members whose level is …`); a yes/no field's en label is already a predicate.
        return e.target.op === 'var' && inner && !zh && e.type.t !== 'boolean' ? `its ${own}` : own;
      }
      case 'relation': return pick(e.relation.label, lang) ?? e.relation.label?.zh ?? e.relation.name;
      case 'set': return `{${e.items.map((a) => go(a, inner)).join(zh ? '、' : ', ')}}`;
      case 'not': return zh ? `并非${go(e.operand, inner)}` : `not ${go(e.operand, inner)}`;
      case 'neg': return `−${go(e.operand, inner)}`;
      case 'if': return zh ? `${go(e.condition, inner)}时为${go(e.then, inner)}，否则为${go(e.otherwise, inner)}` : `${go(e.then, inner)} if ${go(e.condition, inner)}, else ${go(e.otherwise, inner)}`;
      case 'def': {
        const d = policy.defines.get(e.name);
        return pick(d?.label, lang) ?? d?.label?.zh ?? e.name;
      }
      case 'table': {
        const t = policy.tables.get(e.table);
        const name = pick(t?.label, lang) ?? t?.label?.zh ?? e.table;
        return zh ? `${name}（按${e.args.map((a) => go(a, inner)).join('、')}）` : `${name} (by ${e.args.map((a) => go(a, inner)).join(', ')})`;
      }
      case 'call': return callWords(e.fn, e.args.map((a) => go(a, inner)), zh);
      case 'binary': {
        const l = go(e.left, inner);
        const r = go(e.right, inner);
        switch (e.bop) {
          case 'and': return zh ? `${l}，且${r}` : `${l} and ${r}`;
          case 'or': return zh ? `${l}，或${r}` : `${l} or ${r}`;
          case 'in': return zh ? `${e.left.op === 'var' ? '' : l}属于${r}` : `${e.left.op === 'var' ? '' : `${l} `}is one of ${r}`;
          case 'not in': return zh ? `${e.left.op === 'var' ? '' : l}不属于${r}` : `${e.left.op === 'var' ? '' : `${l} `}is not one of ${r}`;
          case '==':
            if (e.right.type.t === 'enum' || e.right.type.t === 'boolean' || e.right.type.t === 'string') return zh ? `${l}为${r}` : `${l} is ${r}`;
            return `${l} ${SYMBOL[e.bop]} ${r}`;
          case '!=':
            if (e.right.type.t === 'enum' || e.right.type.t === 'boolean' || e.right.type.t === 'string') return zh ? `${l}不为${r}` : `${l} is not ${r}`;
            return `${l} ${SYMBOL[e.bop]} ${r}`;
          default: {
            const needsParens = (s: TExpr) => s.op === 'binary' && (s.bop === '+' || s.bop === '-') && (e.bop === '*' || e.bop === '/');
            const wrap = (s: TExpr, t: string) => (needsParens(s) ? `（${t}）` : t);
            return `${wrap(e.left, l)} ${SYMBOL[e.bop]} ${wrap(e.right, r)}`;
          }
        }
      }
      case 'aggregate': {
        const source = go(e.source, inner);
        const where = e.where ? go(e.where, true) : undefined;
        const body = e.body ? go(e.body, true) : undefined;
        // en: `members whose level is A`, `fields that are …`; other conditions follow `where`.
        const relative = (t: string) => (t.startsWith('its ') ? ` whose ${t.slice(4)}` : ` that ${t}`);
        const among = where === undefined ? source : zh ? `${source}中${where}的` : `${source}${relative(where)}`;
        const withBody = body === undefined ? '' : relative(body);
        switch (e.fn) {
          case 'count': return zh ? `${among}${where === undefined ? '的' : ''}数量` : `the number of ${among}`;
          case 'any': return zh ? `${among}中至少有一项${body ?? ''}` : `at least one of ${among}${withBody}`;
          case 'all': return zh ? `${among}全部${body ?? ''}` : `every one of ${among}${withBody}`;
          case 'sum': return zh ? `${among}${where === undefined ? '的' : ''}${body ?? ''}之和` : `the sum of ${body ?? 'the values'} over ${among}`;
          case 'share': return zh ? `${where === undefined ? `${source}中` : `${among}，`}${body ?? ''}的比例` : `the share of ${among}${withBody}`;
          case 'min': return zh ? `${among}${where === undefined ? '的' : ''}${body ?? ''}最小值` : `the least ${body ?? 'value'} of ${among}`;
          case 'max': return zh ? `${among}${where === undefined ? '的' : ''}${body ?? ''}最大值` : `the greatest ${body ?? 'value'} of ${among}`;
        }
      }
    }
  };
  return go(x);
}

function callWords(fn: BuiltinFn, args: readonly string[], zh: boolean): string {
  const [a, b] = args;
  switch (fn) {
    case 'has': return zh ? `有${a}` : `${a} is given`;
    case 'ceil': return zh ? `${a}${b ? `（按 ${b} 向上取整）` : '（向上取整）'}` : `${a} rounded up${b ? ` to ${b}` : ''}`;
    case 'floor': return zh ? `${a}${b ? `（按 ${b} 向下取整）` : '（向下取整）'}` : `${a} rounded down${b ? ` to ${b}` : ''}`;
    case 'round':
    case 'round_half_even': return zh ? `${a}${b ? `（按 ${b} 取整）` : '（取整）'}` : `${a} rounded${b ? ` to ${b}` : ''}`;
    case 'min': return zh ? `${args.join('、')}中较小者` : `the smaller of ${args.join(' and ')}`;
    case 'max': return zh ? `${args.join('、')}中较大者` : `the larger of ${args.join(' and ')}`;
    case 'abs': return zh ? `${a}的绝对值` : `the absolute value of ${a}`;
    case 'years_between': return zh ? `${a}至${b}的整年数` : `whole years from ${a} to ${b}`;
    case 'days_between': return zh ? `${a}至${b}的天数` : `days from ${a} to ${b}`;
    case 'size': return zh ? `${a}的数量` : `the number of ${a}`;
    case 'percent': return zh ? `${a}（百分比）` : `${a} as a percentage`;
  }
}
