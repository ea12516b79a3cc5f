/**
 * Sizes of typed expressions, for the inlining decision and the compiled-size budget.
 * A definition too large to inline is a `def` node whose body is shared by every call, so a
 * policy's compiled size is the size of its rule expressions (a `def` node counting as itself
 * and its arguments) plus each shared body once.
 */
import type { TExpr } from '../model/types.js';

/** The direct subexpressions of `x` (a `def` node's body is not one: it is shared). */
export function texprChildren(x: TExpr): readonly TExpr[] {
  switch (x.op) {
    case 'const': case 'today': case 'var': case 'param': return [];
    case 'field': case 'relation': return [x.target];
    case 'call': case 'table': case 'def': return x.args;
    case 'set': return x.items;
    case 'not': case 'neg': return [x.operand];
    case 'binary': return [x.left, x.right];
    case 'aggregate': return [x.source, ...(x.where ? [x.where] : []), ...(x.body ? [x.body] : [])];
    case 'if': return [x.condition, x.then, x.otherwise];
  }
}

// INVARIANT: expressions are immutable, so a node's size never changes once computed.
const sizes = new WeakMap<TExpr, number>();

/**
 * Nodes in the tree of `x` (shared subtrees counted at each use, as the compiler walks them),
 * saturating at `Number.MAX_SAFE_INTEGER`. Linear in the number of distinct nodes.
 */
export function treeSize(x: TExpr): number {
  const known = sizes.get(x);
  if (known !== undefined) return known;
  let n = 1;
  for (const c of texprChildren(x)) n = Math.min(Number.MAX_SAFE_INTEGER, n + treeSize(c));
  sizes.set(x, n);
  return n;
}

/**
 * Size of `body` with formal `i` (`var` slot i below `formals`) replaced by `args[i]`: what
 * inlining a call would produce. Stops counting past `cap`, so it costs at most `cap` steps.
 */
export function inlinedSize(body: TExpr, args: readonly TExpr[], cap: number): number {
  let total = 0;
  const stack: TExpr[] = [body];
  while (stack.length && total <= cap) {
    const x = stack.pop()!;
    if (x.op === 'var' && x.slot < args.length) {
      total += treeSize(args[x.slot]);
      continue;
    }
    total++;
    stack.push(...texprChildren(x));
  }
  return total;
}

/** The shared definition bodies reachable from `roots`, each once. */
export function sharedBodies(roots: Iterable<TExpr>): Set<TExpr> {
  const out = new Set<TExpr>();
  const seen = new Set<TExpr>();
  const stack = [...roots];
  while (stack.length) {
    const x = stack.pop()!;
    if (seen.has(x)) continue;
    seen.add(x);
    if (x.op === 'def' && !out.has(x.body)) {
      out.add(x.body);
      stack.push(x.body);
    }
    stack.push(...texprChildren(x));
  }
  return out;
}
