/**
 * What a call of a shared definition reads, for explanations and traces. Since large
 * definitions became shared bodies (a `def` node, compiled once), a call is one node to the
 * explainer: the parameters its body reads and the facts it reads from its arguments were no
 * longer named, where the inlined expansion used to show them. These walks find them again,
 * each body once (bodies are shared, so a walk that followed every call would be exponential
 * for definitions that call the previous one several times).
 */
import type { TExpr } from '../model/types.js';

type Def = Extract<TExpr, { op: 'def' }>;
type Param = Extract<TExpr, { op: 'param' }>;
type Field = Extract<TExpr, { op: 'field' }>;

/** Direct sub-expressions, all of them (aggregate filters and bodies included). */
export function subExpressions(x: TExpr): readonly TExpr[] {
  switch (x.op) {
    case 'field': case 'relation': return [x.target];
    case 'call': case 'table': case 'def': return x.args;
    case 'set': return x.items;
    case 'not': case 'neg': return [x.operand];
    case 'binary': return [x.left, x.right];
    case 'if': return [x.condition, x.then, x.otherwise];
    case 'aggregate': return [x.source, ...(x.where ? [x.where] : []), ...(x.body ? [x.body] : [])];
    default: return [];
  }
}

const paramsOfBody = new WeakMap<TExpr, readonly Param[]>();

/**
 * The parameters read by `x`, including inside the bodies of the definitions it calls, each
 * named once, in reading order.
 */
export function paramsRead(x: TExpr): readonly Param[] {
  const out = new Map<string, Param>();
  const bodies = new Set<TExpr>();
  const walk = (e: TExpr): void => {
    if (e.op === 'param' && !out.has(e.name)) out.set(e.name, e);
    if (e.op === 'def' && !bodies.has(e.body)) {
      bodies.add(e.body);
      for (const p of bodyParams(e.body)) if (!out.has(p.name)) out.set(p.name, p);
    }
    for (const c of subExpressions(e)) walk(c);
  };
  walk(x);
  return [...out.values()];
}

/** {@link paramsRead} of a shared body, kept per body. */
function bodyParams(body: TExpr): readonly Param[] {
  let found = paramsOfBody.get(body);
  if (!found) {
    // Marked first: a body reached again through its own calls adds nothing new.
    paramsOfBody.set(body, []);
    found = paramsRead(body);
    paramsOfBody.set(body, found);
  }
  return found;
}

/**
 * The facts a call reads from its arguments' subjects, as expressions over the caller's frame:
 * `ratio(u)` whose body reads `i.posts.total` from its formal `i` reads `u.posts.total`. Only the
 * body's own fields of a formal are found (not those of definitions it calls in turn).
 */
export function fieldsThroughArgs(call: Def): readonly Field[] {
  const out: Field[] = [];
  const seen = new Set<string>();
  const walk = (e: TExpr): void => {
    if (e.op === 'field' && e.target.op === 'var' && e.target.slot < call.args.length) {
      const key = `${e.target.slot}\u0000${e.path}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ ...e, target: call.args[e.target.slot] });
      }
      return;
    }
    if (e.op === 'def') return;
    for (const c of subExpressions(e)) walk(c);
  };
  walk(call.body);
  return out;
}
