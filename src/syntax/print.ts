/**
 * The canonical printer of the `.clause` DSL: AST -> text. `clausal fmt` and any tool that
 * writes rule files go through it, so one layout is shared by everyone.
 *
 * Canonical layout:
 * - declarations separated by exactly one blank line; the file ends with one newline;
 * - header clauses, kind members, enum members, table rows and rule clauses on their own
 *   lines, indented by two spaces; rule clauses in a fixed order (`cite`, `quote`, `for`,
 *   `where`, `must`/`should`/`may`, `eligible when`, `modality`, `by`, `from`, `until`,
 *   `explain`), header clauses as `title`, `source`, `effective … until …`, `extends`;
 * - an expression always on one line, binary operators between single spaces, parentheses only
 *   where precedence needs them or where the author wrote them (the AST keeps `paren` nodes);
 * - strings re-escaped (`\"`, `\\`, `\n`, `\t`);
 * - separators only where the grammar would otherwise read the text differently: a `,` after
 *   an enum member whose next member is named `en`, a `;` after a table row whose next row
 *   starts with `-`, `(` or `not`.
 *
 * Comments are re-attached to the line of the declaration, header clause, member, row or rule
 * clause they belong to (see {@link printFile}).
 *
 * INVARIANT: for every AST `a` the printer can express (everything except an `until`
 * without `effective`),
 * `stripSpans(parse(printFile(a))) = stripSpans(a)` and printing is idempotent. Tests in
 * `test/syntax/properties.test.ts` check both on generated ASTs.
 */
import type * as A from '../model/ast.js';
import { assertNever } from '../model/ast.js';

/** Options of {@link printFile}. */
export interface PrintOptions {
  /**
   * The text the AST was parsed from. Needed to tell an end-of-line comment (`must x # why`)
   * from a full-line comment and to keep a blank line after top-level comment blocks; without
   * it every comment is printed on its own line before the construct that follows it.
   */
  readonly source?: string;
}

// ───────────────────────── expressions ─────────────────────────

/** Binding strength, loosest first; mirrors the rule nesting in `parser.ts`. */
const Prec = {
  If: 0,
  Or: 1,
  And: 2,
  Not: 3,
  Comparison: 4,
  Additive: 5,
  Multiplicative: 6,
  Unary: 7,
  Postfix: 8,
  Primary: 9,
} as const;
type Prec = (typeof Prec)[keyof typeof Prec];

function precOf(e: A.Expr): Prec {
  switch (e.kind) {
    case 'binary': return binaryPrec(e.op);
    case 'unary': return e.op === 'not' ? Prec.Not : Prec.Unary;
    case 'field': return Prec.Postfix;
    case 'if': return Prec.If;
    default: return Prec.Primary;
  }
}

function binaryPrec(op: A.BinaryOp): Prec {
  switch (op) {
    case 'or': return Prec.Or;
    case 'and': return Prec.And;
    case '==': case '!=': case '<': case '<=': case '>': case '>=': case 'in': case 'not in': return Prec.Comparison;
    case '+': case '-': return Prec.Additive;
    case '*': case '/': return Prec.Multiplicative;
    default: return assertNever(op);
  }
}

/**
 * The weakest precedence each operand of a binary operator may have without parentheses.
 * Chains are left-associative (`a - b - c` is `(a - b) - c`), so the right operand must bind
 * strictly tighter; comparisons do not chain at all, so both sides must be additive.
 */
function operandPrecs(op: A.BinaryOp): [Prec, Prec] {
  const p = binaryPrec(op);
  switch (p) {
    case Prec.Or: return [Prec.Or, Prec.And];
    case Prec.And: return [Prec.And, Prec.Not];
    case Prec.Comparison: return [Prec.Additive, Prec.Additive];
    case Prec.Additive: return [Prec.Additive, Prec.Multiplicative];
    case Prec.Multiplicative: return [Prec.Multiplicative, Prec.Unary];
    default: throw new Error(`internal error: no operand precedence for \`${op}\``);
  }
}

/** A string literal with `"`, `\`, newline and tab escaped. */
export function printString(value: string): string {
  return `"${value.replace(/[\\"\n\t]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\${c}`))}"`;
}

function printDuration(e: A.DurationLit): string {
  // BigInt keeps large whole amounts out of exponent notation (`1e21y` would not lex).
  const amount = Number.isInteger(e.amount) ? BigInt(e.amount).toString() : String(e.amount);
  return `${amount}${e.unit}`;
}

/** `e` printed so that it parses back as an operand of at least precedence `min`. */
function exprAt(e: A.Expr, min: Prec): string {
  const text = exprText(e);
  return precOf(e) < min ? `(${text})` : text;
}

function exprText(e: A.Expr): string {
  switch (e.kind) {
    case 'number': return e.text;
    case 'percent': return `${e.text}%`;
    case 'ratio': return `${e.left}:${e.right}`;
    case 'date': return e.value;
    case 'duration': return printDuration(e);
    case 'string': return printString(e.value);
    case 'bool': return e.value ? 'true' : 'false';
    case 'none': return 'none';
    case 'today': return 'today';
    case 'name': return e.name;
    case 'field': return `${exprAt(e.target, Prec.Postfix)}.${e.field}`;
    case 'call': return `${e.callee}(${e.args.map(printExpr).join(', ')})`;
    // The condition and the then-branch are closed by `then`/`else`; the else-branch extends
    // to the right as far as it can, so an `if` inside anything else gets parentheses.
    case 'if': return `if ${printExpr(e.condition)} then ${printExpr(e.then)} else ${printExpr(e.otherwise)}`;
    case 'set': return printSetLiteral(e.items);
    case 'unary': {
      if (e.op === 'not') return `not ${exprAt(e.operand, Prec.Not)}`;
      const operand = exprAt(e.operand, Prec.Unary);
      return operand.startsWith('-') ? `- ${operand}` : `-${operand}`;
    }
    case 'binary': {
      const [l, r] = operandPrecs(e.op);
      return `${exprAt(e.left, l)} ${e.op} ${exprAt(e.right, r)}`;
    }
    case 'aggregate': {
      const where = e.where ? ` where ${printExpr(e.where)}` : '';
      // A space before `:` keeps `where n : 2` from lexing as the ratio `n:2`.
      const body = e.body ? ` : ${printExpr(e.body)}` : '';
      return `${e.fn}(${e.variable} in ${printExpr(e.source)}${where}${body})`;
    }
    case 'paren': return `(${printExpr(e.inner)})`;
    default: return assertNever(e);
  }
}

/** Longest line before a set declaration wraps (the rest of the layout never needs to). */
const MAX_LINE = 100;

function printSetLiteral(items: readonly A.Expr[]): string {
  return `{${items.map(printExpr).join(', ')}}`;
}

/**
 * An expression on one line with the fewest parentheses its structure needs, plus every
 * `paren` node the AST holds (authors' grouping survives reformatting).
 */
export function printExpr(e: A.Expr): string {
  return exprAt(e, Prec.If);
}

// ───────────────────────── declarations as lines ─────────────────────────

/** A comment as it will be printed. `blankAfter`: keep one blank line after it (top level). */
interface PlacedComment { readonly text: string; readonly start: number; readonly end: number; blankAfter: boolean }

/**
 * One output line and the source range it came from; comments are attached to units.
 * `start`/`end` locate the construct in the source (for attaching comments only).
 */
interface Unit {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly leading: PlacedComment[];
  readonly trailing: PlacedComment[];
}

/** A declaration laid out as a head line, indented body lines and maybe a closing brace. */
interface Block {
  readonly start: number;
  readonly end: number;
  readonly head: Unit;
  /** In print order. */
  readonly body: Unit[];
  readonly closing?: Unit;
}

function unit(text: string, start: number | undefined, end: number | undefined): Unit {
  const s = start ?? Number.NaN;
  return { text, start: s, end: end ?? s, leading: [], trailing: [] };
}

function printLabel(label: A.Label | undefined): string {
  if (!label) return '';
  return ` ${printString(label.zh)}${label.en !== undefined ? ` en ${printString(label.en)}` : ''}`;
}

function printType(t: A.TypeRef): string {
  return `${t.list ? 'list ' : ''}${t.name}${t.unit !== undefined ? ` in ${t.unit}` : ''}`;
}

function printFormals(formals: readonly A.Formal[]): string {
  return formals.map((f) => `${f.name}: ${printType(f.type)}`).join(', ');
}

function layoutDecl(d: A.Decl): Block {
  const { start, end } = d.span;
  switch (d.kind) {
    case 'policy': {
      const body: Unit[] = [];
      if (d.title) body.push(unit(`title${printLabel(d.title)}`, d.title.span.start, d.title.span.end));
      if (d.source) body.push(unit(`source ${printString(d.source.value)}`, d.source.span.start, d.source.span.end));
      if (d.effectiveFrom) {
        const until = d.effectiveUntil ? ` until ${d.effectiveUntil.value}` : '';
        body.push(unit(`effective ${d.effectiveFrom.value}${until}`, d.effectiveFrom.span.start, (d.effectiveUntil ?? d.effectiveFrom).span.end));
      }
      if (d.extends) body.push(unit(`extends ${printString(d.extends.value)}`, d.extends.span.start, d.extends.span.end));
      if (d.numbering) body.push(unit(`numbering ${printString(d.numbering.value)}`, d.numbering.span.start, d.numbering.span.end));
      return { start, end, head: unit(`policy ${d.id} version ${printString(d.version)}`, start, start), body };
    }
    case 'enum': {
      const body = d.members.map((m, i) => {
        const next = d.members[i + 1];
        // `a "甲" en "乙"` would read `en` as a's English label: the comma ends member a.
        const comma = next?.name === 'en' && m.label !== undefined && m.label.en === undefined ? ',' : '';
        return unit(`${m.name}${printLabel(m.label)}${comma}`, m.span.start, Math.max(m.span.end, m.label?.span.end ?? 0));
      });
      return braced(d.span, `enum ${d.name}${printLabel(d.label)} {`, body);
    }
    case 'kind': {
      const body = d.members.map((m) => {
        const rest = m.kind === 'field'
          ? printType(m.type)
          : `many ${m.target} by ${m.via}${m.transitive ? '*' : ''}`;
        return unit(`${m.name}: ${rest}${printLabel(m.label)}`, m.span.start, m.span.end);
      });
      return braced(d.span, `kind ${d.name} from ${d.listKey}${printLabel(d.label)} {`, body);
    }
    case 'param': {
      const type = d.type ? `: ${printType(d.type)}` : '';
      const values = d.history.map((v) => `${printExpr(v.value)}${v.from ? ` from ${v.from.value}` : ''}`).join(', ');
      return { start, end, head: unit(`param ${d.name}${type}${printLabel(d.label)}${values ? ` = ${values}` : ''}`, start, end), body: [] };
    }
    case 'setdecl': {
      const type = d.type ? `: ${printType(d.type)}` : '';
      const head = `set ${d.name}${type}${printLabel(d.label)} = `;
      const oneLine = `${head}${printSetLiteral(d.items)}`;
      if (oneLine.length <= MAX_LINE || d.items.length < 2) return { start, end, head: unit(oneLine, start, end), body: [] };
      // Long vocabularies (the document's lists of categories and tasks) wrap, several items a line.
      const lines: Unit[] = [];
      let from = 0;
      let text = '';
      d.items.forEach((item, i) => {
        const printed = printExpr(item);
        if (text && `  ${text}, ${printed},`.length > MAX_LINE) {
          lines.push(unit(`${text},`, d.items[from].span.start, d.items[i - 1].span.end));
          from = i;
          text = '';
        }
        text = text ? `${text}, ${printed}` : printed;
      });
      lines.push(unit(text, d.items[from].span.start, d.items[d.items.length - 1].span.end));
      return braced(d.span, `${head}{`, lines);
    }
    case 'table': {
      const rows = d.rows.map((r) => `${r.keys.map(printExpr).join(', ')} -> ${printExpr(r.value)}`);
      const body = d.rows.map((r, i) => {
        const next = rows[i + 1];
        // A row ends where its value cannot go on: `-`, `(` or `not` would continue it.
        const semi = next !== undefined && (next.startsWith('-') || next.startsWith('(') || next.startsWith('not ')) ? ';' : '';
        return unit(`${rows[i]}${semi}`, r.span.start, r.span.end);
      });
      return braced(d.span, `${d.override ? 'override ' : ''}table ${d.name}(${printFormals(d.formals)}) -> ${printType(d.result)}${printLabel(d.label)} {`, body);
    }
    case 'define': {
      const formals = d.formals.length > 0 ? `(${printFormals(d.formals)})` : '';
      return { start, end, head: unit(`${d.override ? 'override ' : ''}define ${d.name}${formals}${printLabel(d.label)} = ${printExpr(d.body)}`, start, end), body: [] };
    }
    case 'rule': return layoutRule(d);
    case 'uncheckable': {
      const quote = d.quote ? ` quote ${printString(d.quote.value)}` : '';
      return { start, end, head: unit(`uncheckable ${printString(d.cite.value)}${quote} because${printLabel(d.reason)}`, start, end), body: [] };
    }
    default: return assertNever(d);
  }
}

function braced(span: A.Decl['span'], head: string, body: Unit[]): Block {
  return { start: span.start, end: span.end, head: unit(head, span.start, span.start), body, closing: unit('}', span.end - 1, span.end) };
}

function layoutRule(d: A.RuleDecl): Block {
  const body: Unit[] = [];
  const exprUnit = (keyword: string, e: A.Expr, start = e.span.start) => unit(`${keyword} ${printExpr(e)}`, start, e.span.end);
  if (d.cite) body.push(unit(`cite ${printString(d.cite.value)}`, d.cite.span.start, d.cite.span.end));
  if (d.quote) body.push(unit(`quote ${printString(d.quote.value)}`, d.quote.span.start, d.quote.span.end));
  if (d.subjectKind !== undefined || d.variable !== undefined) {
    const s = d.subjectKindSpan ?? d.variableSpan;
    body.push(unit(`for ${d.subjectKind ?? ''} ${d.variable ?? ''}`, s?.start, (d.variableSpan ?? s)?.end));
  }
  if (d.where) body.push(exprUnit('where', d.where));
  if (d.requirement) body.push(exprUnit(d.modality, d.requirement, d.modalitySpan?.start ?? d.requirement.span.start));
  if (d.eligibleWhen) body.push(exprUnit('eligible when', d.eligibleWhen));
  if (d.compute) {
    const c = d.compute;
    const head = `compute${c.unit !== undefined ? ` in ${c.unit}` : ''}${c.step !== undefined ? ` step ${c.step}` : ''} =`;
    body.push(unit(`${head} ${printExpr(c.value)}`, c.span.start, c.value.span.end));
  }
  // With a requirement the modality is its keyword; otherwise only a non-default one is written.
  if (!d.requirement && d.modality !== 'must') body.push(unit(`modality ${d.modality}`, d.modalitySpan?.start, d.modalitySpan?.end));
  if (d.deadline) body.push(exprUnit('by', d.deadline));
  if (d.from) body.push(unit(`from ${d.from.value}`, d.from.span.start, d.from.span.end));
  if (d.until) body.push(unit(`until ${d.until.value}`, d.until.span.start, d.until.span.end));
  if (d.explain) {
    const en = d.explain.en ? ` en ${printString(d.explain.en.value)}` : '';
    body.push(unit(`explain ${printString(d.explain.zh.value)}${en}`, d.explain.span.start, d.explain.span.end));
  }
  return { start: d.span.start, end: d.span.end, head: unit(`rule ${d.id}${printLabel(d.title)}`, d.span.start, d.span.start), body };
}

// ───────────────────────── comments ─────────────────────────

const SPACE = new Set([' ', '\t', '\r', '\u3000', '\ufeff']);

/** Offset of the last non-blank character before `pos` on its line, or -1 for a full-line comment. */
function codeBeforeOnLine(source: string, pos: number): number {
  for (let i = pos - 1; i >= 0; i--) {
    const ch = source[i];
    if (ch === '\n') return -1;
    if (!SPACE.has(ch)) return i;
  }
  return -1;
}

/** Whether only blanks lie between `from` and `to` and they include an empty line. */
function blankLineBetween(source: string | undefined, from: number, to: number | undefined): boolean {
  if (source === undefined || to === undefined || !(from < to)) return false;
  const gap = source.slice(from, to);
  if (/[^\s\u3000\ufeff]/.test(gap)) return false;
  return (gap.match(/\n/g) ?? []).length >= 2;
}

function unitsOf(b: Block): Unit[] {
  return [b.head, ...b.body, ...(b.closing ? [b.closing] : [])];
}

/** The unit starting last at or before `pos` (units are on separate lines, so it is the line's). */
function lastStartingAtOrBefore(units: readonly Unit[], pos: number): Unit | undefined {
  let best: Unit | undefined;
  for (const u of units) if (u.start <= pos && (!best || u.start >= best.start)) best = u;
  return best;
}

/**
 * Attaches every comment to a unit or to the file's trailer. Rules, in order:
 * 1. end-of-line comment (code before it on its line): trailing on the member/clause/row
 *    whose source range holds that code, else on the line that started last before it
 *    (the head line, or the closing brace for `} # …`);
 * 2. full-line comment inside a declaration: leading on the member/clause/row whose range
 *    holds it (a comment inside a multi-line expression moves above its clause), else on
 *    the next one in source order, else before the closing brace, else above the head;
 * 3. full-line comment between declarations: above the next declaration;
 * 4. anything after the last declaration: the trailer, printed at the end of the file.
 */
function attachComments(blocks: readonly Block[], comments: readonly A.Comment[], source: string | undefined): PlacedComment[] {
  const trailer: PlacedComment[] = [];
  const sorted = [...comments].sort((a, b) => a.span.start - b.span.start);
  for (const c of sorted) {
    const placed: PlacedComment = { text: c.text.trimEnd(), start: c.span.start, end: c.span.end, blankAfter: false };
    const s = c.span.start;
    const p = source !== undefined ? codeBeforeOnLine(source, s) : -1;
    if (p >= 0) {
      const block = blocks.find((b) => b.start <= p && p < b.end) ?? [...blocks].reverse().find((b) => b.start <= p);
      if (block) {
        const target = block.body.find((u) => u.start <= p && p < u.end) ?? lastStartingAtOrBefore(unitsOf(block), p) ?? block.head;
        target.trailing.push(placed);
        continue;
      }
    }
    const block = blocks.find((b) => b.start < s && s < b.end);
    if (block) {
      const inside = block.body.find((u) => u.start < s && s < u.end);
      const next = block.body.filter((u) => u.start > s).sort((a, b) => a.start - b.start)[0];
      (inside ?? next ?? block.closing ?? block.head).leading.push(placed);
      continue;
    }
    const following = blocks.filter((b) => b.start >= s).sort((a, b) => a.start - b.start)[0];
    (following ? following.head.leading : trailer).push(placed);
  }
  // Top-level comment groups keep one blank line where the author left one or more.
  for (const b of blocks) markBlankLines(b.head.leading, b.start, source);
  markBlankLines(trailer, undefined, source);
  return trailer;
}

function markBlankLines(group: PlacedComment[], followedBy: number | undefined, source: string | undefined): void {
  group.forEach((c, i) => {
    c.blankAfter = blankLineBetween(source, c.end, i + 1 < group.length ? group[i + 1].start : followedBy);
  });
}

// ───────────────────────── rendering ─────────────────────────

function renderUnit(out: string[], u: Unit, indent: string, extraLeading: readonly PlacedComment[] = []): void {
  // Several end-of-line comments cannot share one line: they move above it, in order.
  const moved = u.trailing.length > 1 ? u.trailing : [];
  for (const c of [...u.leading, ...moved, ...extraLeading]) {
    out.push(indent + c.text);
    if (c.blankAfter) out.push('');
  }
  out.push(indent + u.text + (u.trailing.length === 1 ? ` ${u.trailing[0].text}` : ''));
}

function renderBlock(out: string[], b: Block): void {
  const closing = b.closing;
  if (closing && b.body.length === 0 && b.head.trailing.length === 0 && closing.leading.length === 0) {
    // Empty braces stay on the head line: `enum e {}`.
    renderUnit(out, { ...b.head, text: `${b.head.text}}`, trailing: closing.trailing.length === 1 ? closing.trailing : [] },
      '', closing.trailing.length > 1 ? closing.trailing : []);
    return;
  }
  renderUnit(out, b.head, '');
  for (const u of b.body) renderUnit(out, u, '  ');
  if (closing) {
    for (const c of closing.leading) out.push(`  ${c.text}`);
    const moved = closing.trailing.length > 1 ? closing.trailing : [];
    for (const c of moved) out.push(`  ${c.text}`);
    out.push(`}${closing.trailing.length === 1 ? ` ${closing.trailing[0].text}` : ''}`);
  }
}

/**
 * Prints a whole file in the canonical layout (see the module comment).
 *
 * Comments (`ast.comments`) are kept and re-attached: a full-line comment goes above the
 * declaration, header clause, kind field, enum member, table row or rule clause that follows
 * it, and moves with it when clauses are reordered; a full-line comment inside a multi-line
 * expression moves above its clause; an end-of-line comment stays at the end of its
 * construct's line; comments before a closing `}` stay there; comments after the last
 * declaration end the file. Telling end-of-line from full-line comments needs
 * `options.source`.
 */
export function printFile(ast: A.SourceFileAst, options: PrintOptions = {}): string {
  const blocks = ast.decls.map(layoutDecl);
  const trailer = attachComments(blocks, ast.comments, options.source);
  const out: string[] = [];
  for (const b of blocks) {
    if (out.length > 0) out.push('');
    renderBlock(out, b);
  }
  if (trailer.length > 0) {
    if (out.length > 0) out.push('');
    trailer.forEach((c, i) => {
      out.push(c.text);
      if (c.blankAfter && i + 1 < trailer.length) out.push('');
    });
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}
