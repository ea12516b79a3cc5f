/**
 * CST -> AST. The parser recovers from errors, so the CST may lack children or hold tokens
 * inserted during recovery (with NaN offsets): every access here is defensive and the builder
 * never throws on user input. Diagnostics for literal values (impossible dates) are reported
 * here because only here is the literal's text and span at hand.
 */
import type { CstNode, IToken, CstElement } from 'chevrotain';
import type * as A from '../model/ast.js';
import { error, type Diagnostic } from '../model/diagnostics.js';
import { isValidDate } from '../model/dates.js';
import type { Span } from '../model/span.js';

type Children = Record<string, CstElement[] | undefined>;

function isToken(e: CstElement | undefined): e is IToken {
  return !!e && (e as IToken).image !== undefined;
}

/** Builds AST nodes for one file, collecting literal diagnostics. */
export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly file: string, private readonly fileLength: number, private readonly offsetShift = 0) {}

  private safe(n: number | undefined, fallback: number): number {
    return n === undefined || Number.isNaN(n) ? fallback : n + this.offsetShift;
  }

  tokenSpan(t: IToken | undefined): Span {
    const end = this.fileLength + this.offsetShift;
    if (!t) return { file: this.file, start: end, end };
    const start = this.safe(t.startOffset, end);
    const stop = this.safe(t.endOffset === undefined ? undefined : t.endOffset + 1, start);
    return { file: this.file, start, end: Math.max(start, stop) };
  }

  nodeSpan(n: CstNode | undefined): Span {
    const end = this.fileLength + this.offsetShift;
    const loc = n?.location;
    if (!loc) return { file: this.file, start: end, end };
    const start = this.safe(loc.startOffset, end);
    const stop = this.safe(loc.endOffset === undefined ? undefined : loc.endOffset + 1, start);
    return { file: this.file, start, end: Math.max(start, stop) };
  }

  private tok(node: CstNode | undefined, name: string, index = 0): IToken | undefined {
    const e = (node?.children as Children | undefined)?.[name]?.[index];
    return isToken(e) && !e.isInsertedInRecovery ? e : undefined;
  }

  private toks(node: CstNode | undefined, name: string): IToken[] {
    return ((node?.children as Children | undefined)?.[name] ?? []).filter(isToken);
  }

  private sub(node: CstNode | undefined, name: string, index = 0): CstNode | undefined {
    const e = (node?.children as Children | undefined)?.[name]?.[index];
    return e && !isToken(e) ? e : undefined;
  }

  private subs(node: CstNode | undefined, name: string): CstNode[] {
    return ((node?.children as Children | undefined)?.[name] ?? []).filter((e): e is CstNode => !isToken(e));
  }

  /** The whole file. */
  file_(node: CstNode, comments: IToken[]): A.SourceFileAst {
    const decls: A.Decl[] = [];
    for (const d of this.subs(node, 'declaration')) {
      const decl = this.declaration(d);
      if (decl) decls.push(decl);
    }
    return {
      kind: 'file',
      path: this.file,
      decls,
      comments: comments.map((c) => ({ text: c.image, span: this.tokenSpan(c) })),
      span: { file: this.file, start: 0, end: this.fileLength },
    };
  }

  private declaration(node: CstNode): A.Decl | undefined {
    const c = node.children as Children;
    const first = Object.keys(c).find((k) => k !== 'Kw_override') ?? '';
    const inner = this.sub(node, first);
    if (!inner) return undefined;
    const override = this.tok(node, 'Kw_override');
    if (override) {
      if (first === 'defineDecl') return { ...this.defineDecl(inner), override: true };
      if (first === 'tableDecl') return { ...this.tableDecl(inner), override: true };
      this.diagnostics.push(error('S0200', this.tokenSpan(override), {}));
    }
    switch (first) {
      case 'policyDecl': return this.policyDecl(inner);
      case 'enumDecl': return this.enumDecl(inner);
      case 'kindDecl': return this.kindDecl(inner);
      case 'paramDecl': return this.paramDecl(inner);
      case 'setDecl': return this.setDecl(inner);
      case 'tableDecl': return this.tableDecl(inner);
      case 'defineDecl': return this.defineDecl(inner);
      case 'ruleDecl': return this.ruleDecl(inner);
      case 'uncheckableDecl': return this.uncheckableDecl(inner);
      default: return undefined;
    }
  }

  stringValue(t: IToken): string {
    const raw = t.image.slice(1, t.image.endsWith('"') && t.image.length > 1 ? -1 : undefined);
    return raw.replace(/\\(.)/g, (_, ch: string) => (ch === 'n' ? '\n' : ch === 't' ? '\t' : ch));
  }

  private stringLit(t: IToken | undefined): A.StringLit | undefined {
    return t ? { kind: 'string', value: this.stringValue(t), span: this.tokenSpan(t) } : undefined;
  }

  private label(node: CstNode | undefined): A.Label | undefined {
    const zh = this.tok(node, 'StringLiteral', 0);
    if (!node || !zh) return undefined;
    const en = this.tok(node, 'StringLiteral', 1);
    return { zh: this.stringValue(zh), en: en ? this.stringValue(en) : undefined, span: this.nodeSpan(node) };
  }

  private dateLit(t: IToken | undefined): A.DateLit | undefined {
    if (!t) return undefined;
    const span = this.tokenSpan(t);
    if (!isValidDate(t.image)) this.diagnostics.push(error('S0006', span, { text: t.image }));
    return { kind: 'date', value: t.image, span };
  }

  private name(t: IToken | undefined): string {
    return t?.image ?? '';
  }

  /**
   * The string written after a header keyword. The CST keeps every `StringLiteral` of the
   * header in one array in source order, whatever clause it belongs to, so the clause's own
   * string is found by position (the header clauses may come in any order or be absent).
   */
  private stringAfter(n: CstNode, keyword: string): IToken | undefined {
    const kw = this.tok(n, keyword);
    if (!kw) return undefined;
    return this.toks(n, 'StringLiteral').find((s) => !s.isInsertedInRecovery && s.startOffset > kw.startOffset);
  }

  private policyDecl(n: CstNode): A.PolicyHeader {
    const id = this.tok(n, 'Identifier');
    const dates = this.toks(n, 'DateLiteral');
    const effective = this.tok(n, 'Kw_effective');
    const until = this.tok(n, 'Kw_until');
    return {
      kind: 'policy',
      id: this.name(id),
      idSpan: this.tokenSpan(id),
      version: this.stringLit(this.tok(n, 'StringLiteral', 0))?.value ?? '',
      title: this.label(this.sub(n, 'label')),
      source: this.stringLit(this.stringAfter(n, 'Kw_source')),
      effectiveFrom: effective ? this.dateLit(dates[0]) : undefined,
      effectiveUntil: until ? this.dateLit(dates[1]) : undefined,
      extends: this.stringLit(this.stringAfter(n, 'Kw_extends')),
      numbering: this.stringLit(this.stringAfter(n, 'Kw_numbering')),
      span: this.nodeSpan(n),
    };
  }

  private enumDecl(n: CstNode): A.EnumDecl {
    const id = this.tok(n, 'Identifier');
    return {
      kind: 'enum',
      name: this.name(id),
      nameSpan: this.tokenSpan(id),
      label: this.label(this.sub(n, 'label')),
      members: this.subs(n, 'enumMember').map((m) => {
        const t = this.tok(m, 'NameLike');
        return { name: this.name(t), label: this.label(this.sub(m, 'label')), span: this.tokenSpan(t) };
      }).filter((m) => m.name !== ''),
      span: this.nodeSpan(n),
    };
  }

  private fieldName(n: CstNode | undefined): { name: string; span: Span } {
    const parts = this.toks(n, 'NameLike').map((t) => t.image);
    return { name: parts.join('.'), span: this.nodeSpan(n) };
  }

  private typeRef(n: CstNode | undefined): A.TypeRef {
    const id = this.tok(n, 'Identifier');
    const unit = this.tok(n, 'Identifier', 1);
    const ref: A.TypeRef = { kind: 'type', name: this.name(id), list: !!this.tok(n, 'Kw_list'), span: this.nodeSpan(n) };
    return unit ? { ...ref, unit: unit.image, unitSpan: this.tokenSpan(unit) } : ref;
  }

  private kindDecl(n: CstNode): A.KindDecl {
    const id = this.tok(n, 'Identifier', 0);
    const list = this.tok(n, 'Identifier', 1);
    const members: (A.FieldDecl | A.RelationDecl)[] = [];
    for (const m of this.subs(n, 'kindMember')) {
      const { name, span: nameSpan } = this.fieldName(this.sub(m, 'fieldName'));
      if (!name) continue;
      const label = this.label(this.sub(m, 'label'));
      if (this.tok(m, 'Kw_many')) {
        const target = this.tok(m, 'Identifier', 0);
        const via = this.tok(m, 'Identifier', 1);
        members.push({
          kind: 'relation', name, nameSpan, label,
          target: this.name(target), targetSpan: this.tokenSpan(target),
          via: this.name(via), viaSpan: this.tokenSpan(via),
          transitive: !!this.tok(m, 'Star'),
          span: this.nodeSpan(m),
        });
      } else {
        members.push({ kind: 'field', name, nameSpan, type: this.typeRef(this.sub(m, 'typeRef')), label, span: this.nodeSpan(m) });
      }
    }
    return {
      kind: 'kind',
      name: this.name(id),
      nameSpan: this.tokenSpan(id),
      listKey: this.name(list),
      label: this.label(this.sub(n, 'label')),
      members,
      span: this.nodeSpan(n),
    };
  }

  private paramDecl(n: CstNode): A.ParamDecl {
    const id = this.tok(n, 'Identifier');
    const typeNode = this.sub(n, 'typeRef');
    return {
      kind: 'param',
      name: this.name(id),
      nameSpan: this.tokenSpan(id),
      type: typeNode ? this.typeRef(typeNode) : undefined,
      label: this.label(this.sub(n, 'label')),
      history: this.subs(n, 'paramValue').map((v) => ({
        value: this.expression(this.sub(v, 'expression')),
        from: this.dateLit(this.tok(v, 'DateLiteral')),
        span: this.nodeSpan(v),
      })),
      span: this.nodeSpan(n),
    };
  }

  private setDecl(n: CstNode): A.SetDecl {
    const id = this.tok(n, 'Identifier');
    const typeNode = this.sub(n, 'typeRef');
    const lit = this.sub(n, 'setLiteral');
    return {
      kind: 'setdecl',
      name: this.name(id),
      nameSpan: this.tokenSpan(id),
      type: typeNode ? this.typeRef(typeNode) : undefined,
      label: this.label(this.sub(n, 'label')),
      items: this.subs(lit, 'expression').map((e) => this.expression(e)),
      span: this.nodeSpan(n),
    };
  }

  private formals(n: CstNode | undefined): A.Formal[] {
    const ids = this.toks(n, 'Identifier');
    const types = this.subs(n, 'typeRef');
    return ids.map((id, i) => ({ name: id.image, type: this.typeRef(types[i]), span: this.tokenSpan(id) }));
  }

  private tableDecl(n: CstNode): A.TableDecl {
    const id = this.tok(n, 'Identifier');
    return {
      kind: 'table',
      name: this.name(id),
      nameSpan: this.tokenSpan(id),
      formals: this.formals(this.sub(n, 'formals')),
      result: this.typeRef(this.sub(n, 'typeRef')),
      label: this.label(this.sub(n, 'label')),
      rows: this.subs(n, 'tableRow').map((r) => {
        const exprs = this.subs(r, 'expression').map((e) => this.expression(e));
        return { keys: exprs.slice(0, -1), value: exprs[exprs.length - 1] ?? this.missingExpr(r), span: this.nodeSpan(r) };
      }),
      span: this.nodeSpan(n),
    };
  }

  private defineDecl(n: CstNode): A.DefineDecl {
    const id = this.tok(n, 'Identifier');
    return {
      kind: 'define',
      name: this.name(id),
      nameSpan: this.tokenSpan(id),
      formals: this.formals(this.sub(n, 'formals')),
      label: this.label(this.sub(n, 'label')),
      body: this.expression(this.sub(n, 'expression')),
      span: this.nodeSpan(n),
    };
  }

  private ruleDecl(n: CstNode): A.RuleDecl {
    const id = this.tok(n, 'Identifier');
    const rule: { -readonly [K in keyof A.RuleDecl]: A.RuleDecl[K] } = {
      kind: 'rule',
      id: this.name(id),
      idSpan: this.tokenSpan(id),
      title: this.label(this.sub(n, 'label')),
      modality: 'must',
      span: this.nodeSpan(n),
    };
    const seen = new Set<string>();
    for (const c of this.subs(n, 'ruleClause')) {
      // must/should/may fill one requirement slot (`must a should b` is a repeat); a requirement
      // beside `eligible when` is the checker's C0036, which says what to choose.
      const first = Object.keys(c.children).find((k) => k.startsWith('Kw_'));
      const slot = first && ['Kw_must', 'Kw_should', 'Kw_may'].includes(first) && !this.tok(c, 'Kw_modality') ? 'requirement' : first;
      if (slot && seen.has(slot)) {
        this.diagnostics.push(error('S0013', this.nodeSpan(c), { clause: slot === 'requirement' ? first!.slice(3) : slot.slice(3) }));
      }
      if (slot) seen.add(slot);
      const expr = this.sub(c, 'expression');
      const str = this.tok(c, 'StringLiteral');
      if (this.tok(c, 'Kw_cite')) rule.cite = this.stringLit(str);
      else if (this.tok(c, 'Kw_quote')) rule.quote = this.stringLit(str);
      else if (this.tok(c, 'Kw_for')) {
        const kind = this.tok(c, 'Identifier', 0);
        const variable = this.tok(c, 'Identifier', 1);
        rule.subjectKind = this.name(kind);
        rule.subjectKindSpan = this.tokenSpan(kind);
        rule.variable = this.name(variable);
        rule.variableSpan = this.tokenSpan(variable);
      } else if (this.tok(c, 'Kw_where')) rule.where = this.expression(expr);
      else if (this.tok(c, 'Kw_modality')) {
        const m = this.tok(c, 'Kw_must') ?? this.tok(c, 'Kw_should') ?? this.tok(c, 'Kw_may');
        if (m) {
          rule.modality = m.image as A.RuleModality;
          rule.modalitySpan = this.tokenSpan(m);
        }
      } else if (this.tok(c, 'Kw_must') || this.tok(c, 'Kw_should') || this.tok(c, 'Kw_may')) {
        const m = (this.tok(c, 'Kw_must') ?? this.tok(c, 'Kw_should') ?? this.tok(c, 'Kw_may'))!;
        rule.modality = m.image as A.RuleModality;
        rule.modalitySpan = this.tokenSpan(m);
        rule.requirement = this.expression(expr);
      } else if (this.tok(c, 'Kw_eligible')) rule.eligibleWhen = this.expression(expr);
      else if (this.tok(c, 'Kw_by')) rule.deadline = this.expression(expr);
      else if (this.tok(c, 'Kw_compute')) {
        const unit = this.tok(c, 'Kw_in') ? this.tok(c, 'Identifier', 0) : undefined;
        const step = this.tok(c, 'NumberLiteral');
        rule.compute = {
          value: this.expression(expr),
          ...(unit ? { unit: unit.image, unitSpan: this.tokenSpan(unit) } : {}),
          ...(step ? { step: step.image, stepSpan: this.tokenSpan(step) } : {}),
          span: this.nodeSpan(c),
        };
      }
      else if (this.tok(c, 'Kw_from')) rule.from = this.dateLit(this.tok(c, 'DateLiteral'));
      else if (this.tok(c, 'Kw_until')) rule.until = this.dateLit(this.tok(c, 'DateLiteral'));
      else if (this.tok(c, 'Kw_explain')) {
        const zh = this.stringLit(this.tok(c, 'StringLiteral', 0));
        const en = this.stringLit(this.tok(c, 'StringLiteral', 1));
        if (zh) rule.explain = { zh, en, span: this.nodeSpan(c) };
      }
    }
    return rule;
  }

  private uncheckableDecl(n: CstNode): A.UncheckableDecl | undefined {
    const cite = this.stringLit(this.tok(n, 'StringLiteral', 0));
    const reason = this.label(this.sub(n, 'label'));
    if (!cite || !reason) return undefined;
    return { kind: 'uncheckable', cite, quote: this.tok(n, 'Kw_quote') ? this.stringLit(this.tok(n, 'StringLiteral', 1)) : undefined, reason, span: this.nodeSpan(n) };
  }

  private missingExpr(n: CstNode | undefined): A.Expr {
    return { kind: 'name', name: '', span: this.nodeSpan(n) };
  }

  /** An expression node (public: the YAML form parses embedded expressions through it). */
  expression(n: CstNode | undefined): A.Expr {
    if (!n) return this.missingExpr(n);
    const ifNode = this.sub(n, 'ifExpr');
    if (ifNode) {
      const [condition, then, otherwise] = [0, 1, 2].map((i) => this.expression(this.sub(ifNode, 'expression', i)));
      return { kind: 'if', condition, then, otherwise, span: this.nodeSpan(ifNode) };
    }
    return this.binaryChain(n, 'andExpr', ['Kw_or'], () => 'or');
  }

  /**
   * Left-associative chains (`a + b - c`): operands and operators sit in separate child
   * arrays, so they are merged back in source order by offset.
   */
  private binaryChain(n: CstNode, operandName: string, opNames: string[], opOf: (t: IToken) => A.BinaryOp): A.Expr {
    const operands = this.subs(n, operandName);
    const ops = opNames.flatMap((name) => this.toks(n, name)).sort((a, b) => a.startOffset - b.startOffset);
    const next = (o: CstNode): A.Expr => this.dispatch(o);
    let left = operands[0] ? next(operands[0]) : this.missingExpr(n);
    for (let i = 1; i < operands.length; i++) {
      const right = next(operands[i]);
      const op = ops[i - 1];
      left = { kind: 'binary', op: op ? opOf(op) : 'and', left, right, span: { file: this.file, start: left.span.start, end: right.span.end } };
    }
    return left;
  }

  private dispatch(n: CstNode): A.Expr {
    switch (n.name) {
      case 'expression': return this.expression(n);
      case 'andExpr': return this.binaryChain(n, 'notExpr', ['Kw_and'], () => 'and');
      case 'notExpr': return this.notExpr(n);
      case 'comparison': return this.comparison(n);
      case 'additive': return this.binaryChain(n, 'multiplicative', ['Plus', 'Minus'], (t) => (t.image === '+' ? '+' : '-'));
      case 'multiplicative': return this.binaryChain(n, 'unary', ['Star', 'Slash'], (t) => (t.image === '*' ? '*' : '/'));
      case 'unary': return this.unary(n);
      case 'postfix': return this.postfix(n);
      case 'primary': return this.primary(n);
      default: return this.missingExpr(n);
    }
  }

  private notExpr(n: CstNode): A.Expr {
    const inner = this.sub(n, 'notExpr');
    if (this.tok(n, 'Kw_not') && inner) {
      return { kind: 'unary', op: 'not', operand: this.notExpr(inner), span: this.nodeSpan(n) };
    }
    const cmp = this.sub(n, 'comparison');
    return cmp ? this.comparison(cmp) : this.missingExpr(n);
  }

  private comparison(n: CstNode): A.Expr {
    const sides = this.subs(n, 'additive');
    const left = sides[0] ? this.dispatch(sides[0]) : this.missingExpr(n);
    if (sides.length < 2) return left;
    const right = this.dispatch(sides[1]);
    let op: A.BinaryOp = '==';
    const c = n.children as Children;
    if (this.tok(n, 'Kw_not') && this.tok(n, 'Kw_in')) op = 'not in';
    else if (c.Kw_in) op = 'in';
    else if (c.EqEq) op = '==';
    else if (c.NotEq) op = '!=';
    else if (c.LtEq) op = '<=';
    else if (c.GtEq) op = '>=';
    else if (c.Lt) op = '<';
    else if (c.Gt) op = '>';
    return { kind: 'binary', op, left, right, span: { file: this.file, start: left.span.start, end: right.span.end } };
  }

  private unary(n: CstNode): A.Expr {
    const inner = this.sub(n, 'unary');
    if (this.tok(n, 'Minus') && inner) return { kind: 'unary', op: '-', operand: this.unary(inner), span: this.nodeSpan(n) };
    const p = this.sub(n, 'postfix');
    return p ? this.postfix(p) : this.missingExpr(n);
  }

  private postfix(n: CstNode): A.Expr {
    const p = this.sub(n, 'primary');
    let expr = p ? this.primary(p) : this.missingExpr(n);
    for (const t of this.toks(n, 'NameLike')) {
      if (t.isInsertedInRecovery) break;
      const fieldSpan = this.tokenSpan(t);
      expr = { kind: 'field', target: expr, field: t.image, fieldSpan, span: { file: this.file, start: expr.span.start, end: fieldSpan.end } };
    }
    return expr;
  }

  private primary(n: CstNode): A.Expr {
    const span = this.nodeSpan(n);
    const c = n.children as Children;
    const t = (name: string) => this.tok(n, name);
    let tk: IToken | undefined;
    if ((tk = t('NumberLiteral'))) return { kind: 'number', text: tk.image, span };
    if ((tk = t('PercentLiteral'))) return { kind: 'percent', text: tk.image.slice(0, -1), span };
    if ((tk = t('RatioLiteral'))) {
      const [left, right] = tk.image.split(':');
      return { kind: 'ratio', left, right, span };
    }
    if ((tk = t('DateLiteral'))) return this.dateLit(tk)!;
    if ((tk = t('DurationLiteral'))) {
      return { kind: 'duration', amount: Number(tk.image.slice(0, -1)), unit: tk.image.slice(-1) as 'y' | 'm' | 'd', span };
    }
    if ((tk = t('StringLiteral'))) return { kind: 'string', value: this.stringValue(tk), span };
    if (c.Kw_true) return { kind: 'bool', value: true, span };
    if (c.Kw_false) return { kind: 'bool', value: false, span };
    if (c.Kw_none) return { kind: 'none', span };
    if (c.Kw_today) return { kind: 'today', span };
    const agg = this.sub(n, 'aggregate');
    if (agg) return this.aggregate(agg);
    const call = this.sub(n, 'nameOrCall');
    if (call) {
      const id = this.tok(call, 'Identifier');
      if (!id) return this.missingExpr(call);
      if (!this.tok(call, 'LParen')) return { kind: 'name', name: id.image, span: this.tokenSpan(id) };
      return {
        kind: 'call',
        callee: id.image,
        calleeSpan: this.tokenSpan(id),
        args: this.subs(call, 'expression').map((e) => this.expression(e)),
        span: this.nodeSpan(call),
      };
    }
    const set = this.sub(n, 'setLiteral');
    if (set) return { kind: 'set', items: this.subs(set, 'expression').map((e) => this.expression(e)), span: this.nodeSpan(set) };
    const inner = this.sub(n, 'expression');
    if (inner) return { kind: 'paren', inner: this.expression(inner), span };
    return this.missingExpr(n);
  }

  private aggregate(n: CstNode): A.Expr {
    const fn = (this.tok(n, 'Identifier', 0)?.image ?? 'count') as A.AggregateFn;
    const variable = this.tok(n, 'Identifier', 1);
    const exprs = this.subs(n, 'expression');
    const hasWhere = !!this.tok(n, 'Kw_where');
    const hasBody = !!this.tok(n, 'Colon');
    return {
      kind: 'aggregate',
      fn,
      variable: this.name(variable),
      variableSpan: this.tokenSpan(variable),
      source: this.expression(exprs[0]),
      where: hasWhere ? this.expression(exprs[1]) : undefined,
      body: hasBody ? this.expression(exprs[hasWhere ? 2 : 1]) : undefined,
      span: this.nodeSpan(n),
    };
  }
}
