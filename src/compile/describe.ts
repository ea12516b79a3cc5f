/**
 * Short source-like text of a typed expression, for explanations and messages
 * (`i.posts.social_work / i.posts.professional`). Not the canonical printer: that one works
 * on the AST and keeps the author's layout; this one only needs to be recognisable.
 */
import type { Duration, TExpr } from '../model/types.js';
import { formatNum, formatPercent, isNum } from '../model/rational.js';

/** Renders a constant as written in a rule file. */
export function constText(value: unknown, percent: boolean): string {
  if (value === null) return 'none';
  if (isNum(value)) return percent ? formatPercent(value) : formatNum(value);
  if (value instanceof Set) return `{${[...value].map((v) => constText(v, percent)).join(', ')}}`;
  if (typeof value === 'object' && value && 'unit' in value) {
    const d = value as Duration;
    return `${d.amount}${d.unit}`;
  }
  return typeof value === 'string' ? value : String(value);
}

const PRECEDENCE: Record<string, number> = {
  or: 1, and: 2, '==': 4, '!=': 4, '<': 4, '<=': 4, '>': 4, '>=': 4, in: 4, 'not in': 4, '+': 5, '-': 5, '*': 6, '/': 6,
};

/** Source-like text of an expression. */
export function texprText(x: TExpr): string {
  const go = (e: TExpr, parent = 0): string => {
    switch (e.op) {
      case 'const': return e.name ?? (e.type.t === 'string' ? JSON.stringify(e.value) : constText(e.value, e.type.t === 'percent'));
      case 'today': return 'today';
      case 'var': return e.name;
      case 'param': return e.name;
      case 'field': return `${go(e.target, 9)}.${e.path}`;
      case 'relation': return `${go(e.target, 9)}.${e.relation.name}`;
      case 'call': return `${e.fn}(${e.args.map((a) => go(a)).join(', ')})`;
      case 'table': return `${e.table}(${e.args.map((a) => go(a)).join(', ')})`;
      case 'set': return `{${e.items.map((a) => go(a)).join(', ')}}`;
      case 'not': return wrap(`not ${go(e.operand, 3)}`, 3, parent);
      case 'neg': return `-${go(e.operand, 8)}`;
      case 'binary': {
        const p = PRECEDENCE[e.bop];
        return wrap(`${go(e.left, p)} ${e.bop} ${go(e.right, p + 1)}`, p, parent);
      }
      case 'def': return e.args.length ? `${e.name}(${e.args.map((a) => go(a)).join(', ')})` : e.name;
      case 'aggregate': return `${e.fn}(${e.variable} in ${go(e.source)}${e.where ? ` where ${go(e.where)}` : ''}${e.body ? ` : ${go(e.body)}` : ''})`;
      case 'if': return wrap(`if ${go(e.condition)} then ${go(e.then)} else ${go(e.otherwise)}`, 0, parent);
    }
  };
  return go(x);
}

function wrap(text: string, own: number, parent: number): string {
  return own < parent ? `(${text})` : text;
}
