/**
 * The full evaluation trace of one subject (`clausal eval --explain ID`): for every rule of the
 * subject's kind, the quote, the parameter versions in force, the decision, and the value of
 * every sub-expression of `where`, the requirement and the deadline, as a tree.
 *
 * Tracing compiles each sub-expression on its own and evaluates it against the subject. That
 * re-evaluates shared subtrees, which is fine for one subject and keeps the fast path free of
 * any tracing hooks.
 */
import type { Lang } from '../model/diagnostics.js';
import type { RuleResult } from '../model/result.js';
import type { Policy, TExpr } from '../model/types.js';
import { Compiler, type Frame } from '../compile/compile.js';
import { paramsRead } from './def-reads.js';
import { texprText } from '../compile/describe.js';
import type { Subject } from '../facts/facts.js';
import { decide, prepareRun, type EvaluateOptions } from './evaluate.js';
import { formatValue } from './explain.js';
import { exprWords } from './words.js';
import { MODALITY_LABELS, STATUS_LABELS } from '../report/labels.js';

/** One node of a trace: an expression, its value, and its parts. */
export interface TraceNode {
  /** The expression as the rule file writes it (for the policy's authors). */
  readonly expression: string;
  /** The same said in words from the labels, in the run's language (for officers). */
  readonly words: string;
  readonly value: string;
  readonly children: readonly TraceNode[];
}

/** A parameter's value in force and the date that version starts. */
export interface TraceParam {
  readonly name: string;
  readonly value: string;
  /** Start of the version in force, or null when it holds from the start (or none does). */
  readonly from: string | null;
  readonly set: boolean;
}

/** The trace of one rule for the subject. */
export interface RuleTrace {
  readonly result: RuleResult;
  readonly quote?: string;
  readonly params: readonly TraceParam[];
  readonly where?: TraceNode;
  readonly condition: TraceNode;
  readonly deadline?: TraceNode;
}

function childrenOf(x: TExpr): TExpr[] {
  switch (x.op) {
    case 'field': return x.target.op === 'var' ? [] : [x.target];
    case 'relation': return [x.target];
    case 'call': case 'table': case 'def': return [...x.args];
    case 'set': return [...x.items];
    case 'not': case 'neg': return [x.operand];
    case 'binary': return [x.left, x.right];
    case 'aggregate': return [x.source];
    case 'if': return [x.condition, x.then, x.otherwise];
    default: return [];
  }
}

/** Traces every rule of `subject`'s kind. */
export function traceSubject(policy: Policy, subject: Subject, options: EvaluateOptions): RuleTrace[] {
  const ctx = prepareRun(policy, options);
  const lang: Lang = ctx.lang;
  const compiler = new Compiler(policy);
  const out: RuleTrace[] = [];
  for (const rule of ctx.compiled.rulesByKind.get(subject.kind) ?? []) {
    const info = rule.info;
    const frame: Frame = { slots: new Array<unknown>(Math.max(1, info.slots)), asOf: ctx.asOf, params: ctx.params, missing: [], errors: [] };
    frame.slots[0] = subject;
    const node = (x: TExpr): TraceNode => ({
      expression: texprText(x),
      words: exprWords(x, lang, policy),
      value: formatValue(compiler.compile(x)(frame), x.type, lang, policy),
      children: childrenOf(x).filter((c) => c.op !== 'const').map(node),
    });
    // Through the bodies of shared definitions too: a parameter read there decides as much.
    const used = new Set<string>();
    for (const x of [info.where, info.condition, info.deadline]) if (x) for (const p of paramsRead(x)) used.add(p.name);
    const params: TraceParam[] = [...used].map((name) => {
      const p = policy.params.get(name)!;
      const inForce = p.history.filter((h) => h.from === undefined || h.from <= ctx.asOf);
      const version = inForce[inForce.length - 1];
      return {
        name,
        value: version ? formatValue(version.value, p.type, lang, policy) : lang === 'zh' ? '未设定' : 'unset',
        from: version?.from ?? null,
        set: !!version,
      };
    });
    out.push({
      result: decide(ctx, rule, subject),
      quote: info.quote,
      params,
      where: info.where ? node(info.where) : undefined,
      condition: node(info.condition),
      deadline: info.deadline ? node(info.deadline) : undefined,
    });
  }
  return out;
}

/** Renders traces as an indented tree for a terminal. */
export function traceToText(subject: Subject, traces: readonly RuleTrace[], lang: Lang): string {
  const zh = lang === 'zh';
  const lines: string[] = [`${subject.kind} ${subject.id}`];
  // zh readers get words from the labels, with the rule-file text after it in backticks for
  // the author who wrote it; en keeps the rule-file text (its readers write the rules).
  const tree = (n: TraceNode, indent: string) => {
    lines.push(zh ? `${indent}${n.words} = ${n.value}  \`${n.expression}\`` : `${indent}${n.expression} = ${n.value}`);
    for (const c of n.children) tree(c, `${indent}  `);
  };
  for (const t of traces) {
    const r = t.result;
    lines.push('', zh
      ? `${r.rule}  ${r.cite}  ${MODALITY_LABELS[r.modality].zh}  → ${STATUS_LABELS[r.status].zh}${r.due ? `  （期限 ${r.due}）` : ''}`
      : `${r.rule}  ${r.cite}  ${r.modality}  → ${r.status}${r.due ? `  (due ${r.due})` : ''}`);
    if (t.quote) lines.push(`  ${zh ? '原文' : 'quote'}：“${t.quote}”`);
    for (const p of t.params) {
      const when = p.set && p.from ? (zh ? `（自 ${p.from} 起）` : `  (from ${p.from})`) : '';
      lines.push(zh ? `  参数 \`${p.name}\` = ${p.value}${when}` : `  param ${p.name} = ${p.value}${when}`);
    }
    if (t.where) {
      lines.push(zh ? '  适用条件' : '  where');
      tree(t.where, '    ');
    }
    lines.push(`  ${zh ? '要求' : 'requirement'}`);
    tree(t.condition, '    ');
    if (t.deadline) {
      lines.push(zh ? '  期限' : '  by');
      tree(t.deadline, '    ');
    }
    lines.push(`  ${r.explanation}`);
  }
  return `${lines.join('\n')}\n`;
}
