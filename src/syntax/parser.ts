/**
 * The syntactic grammar as a Chevrotain CST parser. It holds no semantics: `to-ast.ts` turns
 * the concrete syntax tree into the AST. Rules are class fields, so a misspelt rule name is a
 * compile error. `grammar/clause.ebnf` documents the same grammar for readers.
 */
import { CstParser, type CstNode, type IParserErrorMessageProvider, type TokenType, type IToken } from 'chevrotain';
import * as T from './tokens.js';

/**
 * Error "messages" are structured JSON that `parse.ts` decodes into diagnostics, so wording
 * stays in the diagnostics catalogue (zh and en) instead of Chevrotain's English sentences.
 */
export const structuredErrors: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    spendError();
    return JSON.stringify({ kind: 'mismatch', expected: [expected.name], found: tokenText(actual) });
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    spendError();
    return JSON.stringify({ kind: 'redundant', expected: [], found: tokenText(firstRedundant) });
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual }) {
    spendError();
    const firsts = expectedPathsPerAlt.flatMap((alt) => alt.map((path) => path[0]?.name)).filter((n): n is string => !!n);
    return JSON.stringify({ kind: 'noViableAlt', expected: [...new Set(firsts)], found: tokenText(actual[0]) });
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual }) {
    spendError();
    const firsts = expectedIterationPaths.map((path) => path[0]?.name).filter((n): n is string => !!n);
    return JSON.stringify({ kind: 'earlyExit', expected: [...new Set(firsts)], found: tokenText(actual[0]) });
  },
};

/**
 * Thrown (from the message provider, so before Chevrotain records the error) once a parse has
 * met its quota of syntax errors. Recovery costs about 0.1 ms per error, so a hostile file of
 * token soup (`rule rule rule …`, millions of errors) would otherwise take minutes; only the
 * first `maxErrors` are ever shown.
 */
export class TooManySyntaxErrors extends Error {}

let errorQuota = Number.POSITIVE_INFINITY;

/** How many syntax errors the next parse may meet before it stops (`parse.ts` sets it per parse). */
export function setSyntaxErrorQuota(n: number): void {
  errorQuota = n;
}

function spendError(): void {
  errorQuota--;
  if (errorQuota < 0) throw new TooManySyntaxErrors('too many syntax errors');
}

function tokenText(token: IToken | undefined): string {
  return token && token.tokenType.name !== 'EOF' ? token.image : '';
}

/** Parser for `.clause` files and for expressions embedded in YAML rule files. */
export class ClauseParser extends CstParser {
  constructor() {
    super(T.allTokens, {
      recoveryEnabled: true,
      maxLookahead: 3,
      nodeLocationTracking: 'onlyOffset',
      errorMessageProvider: structuredErrors,
    });
    this.performSelfAnalysis();
  }

  public file = this.RULE('file', () => {
    this.MANY(() => this.SUBRULE(this.declaration));
  });

  public declaration = this.RULE('declaration', () => {
    // `override` marks a declaration that replaces an inherited one (open extension).
    this.OPTION(() => this.CONSUME(T.Override));
    this.OR([
      { ALT: () => this.SUBRULE(this.policyDecl) },
      { ALT: () => this.SUBRULE(this.enumDecl) },
      { ALT: () => this.SUBRULE(this.kindDecl) },
      { ALT: () => this.SUBRULE(this.paramDecl) },
      { ALT: () => this.SUBRULE(this.setDecl) },
      { ALT: () => this.SUBRULE(this.tableDecl) },
      { ALT: () => this.SUBRULE(this.defineDecl) },
      { ALT: () => this.SUBRULE(this.ruleDecl) },
      { ALT: () => this.SUBRULE(this.uncheckableDecl) },
    ]);
  });

  public label = this.RULE('label', () => {
    this.CONSUME(T.StringLiteral);
    // `en` followed by `:` or `.` starts a kind field named `en` (`a: int "甲"` then `en: text`),
    // not an English label; without the gate the label would swallow it and the file fail to parse.
    this.OPTION({
      GATE: () => this.LA(2).tokenType !== T.Colon && this.LA(2).tokenType !== T.Dot,
      DEF: () => {
        this.CONSUME(T.En);
        this.CONSUME2(T.StringLiteral);
      },
    });
  });

  public policyDecl = this.RULE('policyDecl', () => {
    this.CONSUME(T.Policy);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Version);
    this.CONSUME(T.StringLiteral);
    this.MANY(() =>
      this.OR([
        { ALT: () => { this.CONSUME(T.Title); this.SUBRULE(this.label); } },
        { ALT: () => { this.CONSUME(T.Source); this.CONSUME2(T.StringLiteral); } },
        {
          ALT: () => {
            this.CONSUME(T.Effective);
            this.CONSUME(T.DateLiteral);
            this.OPTION(() => { this.CONSUME(T.Until); this.CONSUME2(T.DateLiteral); });
          },
        },
        { ALT: () => { this.CONSUME(T.Extends); this.CONSUME3(T.StringLiteral); } },
        { ALT: () => { this.CONSUME(T.Numbering); this.CONSUME4(T.StringLiteral); } },
      ]),
    );
  });

  public enumDecl = this.RULE('enumDecl', () => {
    this.CONSUME(T.Enum);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.label));
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.enumMember));
    this.CONSUME(T.RCurly);
  });

  public enumMember = this.RULE('enumMember', () => {
    this.CONSUME(T.NameLike);
    this.OPTION(() => this.SUBRULE(this.label));
    this.OPTION2(() => this.CONSUME(T.Comma));
  });

  public kindDecl = this.RULE('kindDecl', () => {
    this.CONSUME(T.Kind);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.From);
    this.CONSUME2(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.label));
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.kindMember));
    this.CONSUME(T.RCurly);
  });

  public fieldName = this.RULE('fieldName', () => {
    this.CONSUME(T.NameLike);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.NameLike);
    });
  });

  public kindMember = this.RULE('kindMember', () => {
    this.SUBRULE(this.fieldName);
    this.CONSUME(T.Colon);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Many);
          this.CONSUME(T.Identifier);
          this.CONSUME(T.By);
          this.CONSUME2(T.Identifier);
          this.OPTION(() => this.CONSUME(T.Star));
        },
      },
      { ALT: () => this.SUBRULE(this.typeRef) },
    ]);
    this.OPTION2(() => this.SUBRULE(this.label));
  });

  public typeRef = this.RULE('typeRef', () => {
    this.OPTION(() => this.CONSUME(T.List));
    this.CONSUME(T.Identifier);
    // A unit: `integer in 岗位`, `number in 元`. A type is never followed by an expression, so
    // `in` here cannot be the membership operator.
    this.OPTION2(() => {
      this.CONSUME(T.In);
      this.CONSUME2(T.Identifier);
    });
  });

  public paramDecl = this.RULE('paramDecl', () => {
    this.CONSUME(T.Param);
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.typeRef);
    });
    this.OPTION2(() => this.SUBRULE(this.label));
    this.OPTION3(() => {
      this.CONSUME(T.Equals);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.paramValue) });
    });
  });

  public paramValue = this.RULE('paramValue', () => {
    this.SUBRULE(this.expression);
    this.OPTION(() => {
      this.CONSUME(T.From);
      this.CONSUME(T.DateLiteral);
    });
  });

  public setDecl = this.RULE('setDecl', () => {
    this.CONSUME(T.SetKw);
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.typeRef);
    });
    this.OPTION2(() => this.SUBRULE(this.label));
    this.CONSUME(T.Equals);
    this.SUBRULE(this.setLiteral);
  });

  public formals = this.RULE('formals', () => {
    this.CONSUME(T.LParen);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        this.CONSUME(T.Identifier);
        this.CONSUME(T.Colon);
        this.SUBRULE(this.typeRef);
      },
    });
    this.CONSUME(T.RParen);
  });

  public tableDecl = this.RULE('tableDecl', () => {
    this.CONSUME(T.Table);
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.formals);
    this.CONSUME(T.Arrow);
    this.SUBRULE(this.typeRef);
    this.OPTION(() => this.SUBRULE(this.label));
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.tableRow));
    this.CONSUME(T.RCurly);
  });

  public tableRow = this.RULE('tableRow', () => {
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
    this.CONSUME(T.Arrow);
    this.SUBRULE2(this.expression);
    this.OPTION(() => this.CONSUME(T.Semicolon));
  });

  public defineDecl = this.RULE('defineDecl', () => {
    this.CONSUME(T.Define);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.formals));
    this.OPTION2(() => this.SUBRULE(this.label));
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  public ruleDecl = this.RULE('ruleDecl', () => {
    this.CONSUME(T.Rule);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.label));
    this.MANY(() => this.SUBRULE(this.ruleClause));
  });

  public uncheckableDecl = this.RULE('uncheckableDecl', () => {
    this.CONSUME(T.Uncheckable);
    this.CONSUME(T.StringLiteral);
    this.OPTION(() => {
      this.CONSUME(T.Quote);
      this.CONSUME2(T.StringLiteral);
    });
    this.CONSUME(T.Because);
    this.SUBRULE(this.label);
  });

  public ruleClause = this.RULE('ruleClause', () => {
    this.OR([
      { ALT: () => { this.CONSUME(T.Cite); this.CONSUME(T.StringLiteral); } },
      { ALT: () => { this.CONSUME(T.Quote); this.CONSUME2(T.StringLiteral); } },
      {
        ALT: () => {
          this.CONSUME(T.For);
          this.CONSUME(T.Identifier);
          this.CONSUME2(T.Identifier);
        },
      },
      { ALT: () => { this.CONSUME(T.Where); this.SUBRULE(this.expression); } },
      { ALT: () => { this.CONSUME(T.Must); this.SUBRULE2(this.expression); } },
      { ALT: () => { this.CONSUME(T.Should); this.SUBRULE3(this.expression); } },
      { ALT: () => { this.CONSUME(T.May); this.SUBRULE4(this.expression); } },
      {
        ALT: () => {
          this.CONSUME(T.Eligible);
          this.CONSUME(T.When);
          this.SUBRULE5(this.expression);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Modality);
          this.OR2([
            { ALT: () => this.CONSUME2(T.Must) },
            { ALT: () => this.CONSUME2(T.Should) },
            { ALT: () => this.CONSUME2(T.May) },
          ]);
        },
      },
      { ALT: () => { this.CONSUME(T.By); this.SUBRULE6(this.expression); } },
      {
        // A value rule: `compute in 元 step 0.01 = expr`. `step` is contextual, not a keyword,
        // so a parameter may still be called `step`.
        ALT: () => {
          this.CONSUME(T.Compute);
          this.OPTION3(() => {
            this.CONSUME2(T.In);
            this.CONSUME3(T.Identifier);
          });
          this.OPTION4({
            GATE: () => this.LA(1).image === 'step',
            DEF: () => {
              this.CONSUME4(T.Identifier);
              this.CONSUME(T.NumberLiteral);
            },
          });
          this.CONSUME(T.Equals);
          this.SUBRULE7(this.expression);
        },
      },
      { ALT: () => { this.CONSUME(T.From); this.CONSUME(T.DateLiteral); } },
      { ALT: () => { this.CONSUME(T.Until); this.CONSUME2(T.DateLiteral); } },
      {
        ALT: () => {
          this.CONSUME(T.Explain);
          this.CONSUME3(T.StringLiteral);
          this.OPTION(() => {
            this.CONSUME(T.En);
            this.CONSUME4(T.StringLiteral);
          });
        },
      },
    ]);
  });

  public expression = this.RULE('expression', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.ifExpr) },
      {
        ALT: () => {
          this.SUBRULE(this.andExpr);
          this.MANY(() => {
            this.CONSUME(T.Or);
            this.SUBRULE2(this.andExpr);
          });
        },
      },
    ]);
  });

  /** `if c then a else b`; `else if` chains are an `if` in the else branch. Loosest of all. */
  public ifExpr = this.RULE('ifExpr', () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expression);
    this.CONSUME(T.Then);
    this.SUBRULE2(this.expression);
    this.CONSUME(T.Else);
    this.SUBRULE3(this.expression);
  });

  public andExpr = this.RULE('andExpr', () => {
    this.SUBRULE(this.notExpr);
    this.MANY(() => {
      this.CONSUME(T.And);
      this.SUBRULE2(this.notExpr);
    });
  });

  public notExpr = this.RULE('notExpr', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Not);
          this.SUBRULE(this.notExpr);
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]);
  });

  public comparison = this.RULE('comparison', () => {
    this.SUBRULE(this.additive);
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.EqEq) },
        { ALT: () => this.CONSUME(T.NotEq) },
        { ALT: () => this.CONSUME(T.LtEq) },
        { ALT: () => this.CONSUME(T.GtEq) },
        { ALT: () => this.CONSUME(T.Lt) },
        { ALT: () => this.CONSUME(T.Gt) },
        { ALT: () => this.CONSUME(T.In) },
        {
          ALT: () => {
            this.CONSUME(T.Not);
            this.CONSUME2(T.In);
          },
        },
      ]);
      this.SUBRULE2(this.additive);
    });
  });

  public additive = this.RULE('additive', () => {
    this.SUBRULE(this.multiplicative);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]);
      this.SUBRULE2(this.multiplicative);
    });
  });

  public multiplicative = this.RULE('multiplicative', () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Star) }, { ALT: () => this.CONSUME(T.Slash) }]);
      this.SUBRULE2(this.unary);
    });
  });

  public unary = this.RULE('unary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Minus);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.postfix) },
    ]);
  });

  public postfix = this.RULE('postfix', () => {
    this.SUBRULE(this.primary);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME(T.NameLike);
    });
  });

  public primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.PercentLiteral) },
      { ALT: () => this.CONSUME(T.RatioLiteral) },
      { ALT: () => this.CONSUME(T.DateLiteral) },
      { ALT: () => this.CONSUME(T.DurationLiteral) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.None) },
      { ALT: () => this.CONSUME(T.Today) },
      {
        // `name(x in …)` binds a variable: an aggregate. Any other `name(…)` is a call.
        GATE: () => T.AGGREGATE_NAMES.has(this.LA(1).image) && this.LA(2).tokenType === T.LParen && this.LA(4).tokenType === T.In,
        ALT: () => this.SUBRULE(this.aggregate),
        IGNORE_AMBIGUITIES: true,
      },
      { ALT: () => this.SUBRULE(this.nameOrCall) },
      { ALT: () => this.SUBRULE(this.setLiteral) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });

  public aggregate = this.RULE('aggregate', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LParen);
    this.CONSUME2(T.Identifier);
    this.CONSUME(T.In);
    this.SUBRULE(this.expression);
    this.OPTION(() => {
      this.CONSUME(T.Where);
      this.SUBRULE2(this.expression);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE3(this.expression);
    });
    this.CONSUME(T.RParen);
  });

  public nameOrCall = this.RULE('nameOrCall', () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
      this.CONSUME(T.RParen);
    });
  });

  public setLiteral = this.RULE('setLiteral', () => {
    this.CONSUME(T.LCurly);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
    this.CONSUME(T.RCurly);
  });
}

/** The parser, built once (self-analysis is the expensive part). */
export const clauseParser = new ClauseParser();

/** A CST node type re-exported for the visitor. */
export type { CstNode, TokenType };
