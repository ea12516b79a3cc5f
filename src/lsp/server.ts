/**
 * The language server behind `clausal lsp`: the checker's diagnostics as the user types, the
 * workbench's hover cards, navigation and rename through the symbol index, completion,
 * document outline, the canonical formatter and quick fixes, for `.clause` and YAML rule files.
 * A request never throws for a user error: a file outside any policy simply gets no answer.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind, CompletionItemKind, DiagnosticSeverity, MarkupKind, ResponseError, SymbolKind, TextDocuments, TextDocumentSyncKind,
  type CodeAction, type CompletionItem, type Connection, type Diagnostic as LspDiagnostic, type DocumentSymbol, type InitializeResult, type Location,
  type Range, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isMap, isScalar, parseDocument, visit } from 'yaml';
import type * as A from '../model/ast.js';
import { messageOf, type Diagnostic, type Lang } from '../model/diagnostics.js';
import { isValidDate } from '../model/dates.js';
import { LineIndex, type Span } from '../model/span.js';
import { formatClauseText, type FormatResult } from '../syntax/format.js';
import { formatYamlText } from '../syntax/format-yaml.js';
import { KEYWORDS } from '../syntax/tokens.js';
import { locateQuote } from '../check/source-outline.js';
import { hoverAt } from '../language/hover.js';
import { completionsAt, type CompletionKind } from '../language/completion.js';
import { quickFixes } from '../language/quick-fixes.js';
import { occurrenceAt, occurrencesOf, type Occurrence, type SymbolDef } from '../language/symbols.js';
import { LspWorkspace, type Located, type Root } from './lsp-workspace.js';

/** Settings (`initializationOptions`, or `clausal` in `workspace/didChangeConfiguration`). */
export interface LspSettings {
  /** Message language: `zh`, `en`, or `auto` (the editor's locale; zh unless it names another). */
  readonly lang?: 'zh' | 'en' | 'auto';
  /** The date hovers show parameter values for (`YYYY-MM-DD`); default today. */
  readonly asOf?: string;
}

/** What the server needs from its host. */
export interface ServerHost {
  /** Today (`YYYY-MM-DD`): the default for `asOf`. */
  today(): string;
  /** The language when the settings say `auto` (`clausal lsp --lang`); else the editor's locale decides. */
  readonly lang?: Lang;
}

const RENAMEABLE = new Set<SymbolDef['kind']>(['param', 'define', 'set', 'table']);
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORD_WORDS = new Set(KEYWORDS.map((k) => String(k.PATTERN).replace(/^\/|\/$/g, '')));

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword, param: CompletionItemKind.Constant, set: CompletionItemKind.Constant, table: CompletionItemKind.Function,
  define: CompletionItemKind.Function, enum: CompletionItemKind.Enum, member: CompletionItemKind.EnumMember, kind: CompletionItemKind.Class,
  field: CompletionItemKind.Field, relation: CompletionItemKind.Field, function: CompletionItemKind.Function, variable: CompletionItemKind.Variable,
  cite: CompletionItemKind.Reference,
};

const SYMBOL_KIND: Record<A.Decl['kind'], SymbolKind> = {
  policy: SymbolKind.Module, enum: SymbolKind.Enum, kind: SymbolKind.Class, param: SymbolKind.Constant, setdecl: SymbolKind.Array,
  table: SymbolKind.Function, define: SymbolKind.Function, rule: SymbolKind.Event, uncheckable: SymbolKind.String,
};

/** Wires every handler to `connection` and starts listening. */
export function startLanguageServer(connection: Connection, host: ServerHost): void {
  const documents = new TextDocuments(TextDocument);
  let ws = new LspWorkspace([]);
  let settings: LspSettings = {};
  let locale: string | undefined;
  const lines = new Map<string, LineIndex>();
  /** The diagnostics last published per file URI, with the text they were computed on. */
  const published = new Map<string, { text: string; diagnostics: readonly Diagnostic[] }>();
  /** What was last sent per URI, to skip sending the same list again. */
  const sent = new Map<string, string>();
  const pending = new Set<string>();
  let flushScheduled = false;

  const lang = (): Lang => {
    if (settings.lang === 'zh' || settings.lang === 'en') return settings.lang;
    if (host.lang) return host.lang;
    return locale === undefined || locale.toLowerCase().startsWith('zh') ? 'zh' : 'en';
  };
  const asOf = () => (settings.asOf && isValidDate(settings.asOf) ? settings.asOf : host.today());
  const lineIndex = (text: string): LineIndex => {
    let li = lines.get(text);
    if (!li) {
      if (lines.size > 64) lines.clear();
      li = new LineIndex(text);
      lines.set(text, li);
    }
    return li;
  };
  const rangeOf = (text: string, start: number, end: number): Range => {
    const li = lineIndex(text);
    const a = li.position(start);
    const b = li.position(end);
    return { start: { line: a.line - 1, character: a.column - 1 }, end: { line: b.line - 1, character: b.column - 1 } };
  };
  const offsetOf = (text: string, pos: { line: number; character: number }) => Math.min(text.length, lineIndex(text).offset(pos.line + 1, pos.character + 1));
  const uriOf = (root: Root, rel: string) => pathToFileURL(ws.absPath(root, rel)).href;
  const locate = (uri: string): Located | undefined => {
    if (!uri.startsWith('file:')) return undefined;
    return ws.locate(fileURLToPath(uri));
  };
  const locationOf = (root: Root, s: Span): Location | undefined => {
    const text = root.model.text(s.file);
    return text === undefined ? undefined : { uri: uriOf(root, s.file), range: rangeOf(text, s.start, s.end) };
  };
  const toLsp = (d: Diagnostic, text: string): LspDiagnostic => {
    const l = lang();
    const s = d.span;
    return {
      range: s ? rangeOf(text, s.start, s.end) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      code: d.code,
      source: 'clausal',
      message: messageOf(d, l) + (d.help ? `\n${l === 'zh' ? '提示' : 'help'}: ${d.help[l]}` : ''),
    };
  };

  /** Checks a version and every version built on it, and publishes each rule file's diagnostics. */
  const publishDir = (root: Root, dir: string, force: ReadonlySet<string>) => {
    for (const d of ws.dependents(root, dir)) {
      const loaded = ws.compile(root, d);
      const files = ws.files(root, d);
      const byFile = new Map<string, Diagnostic[]>(files.map((f) => [f, []]));
      for (const diag of loaded.diagnostics) {
        // Whole-policy problems (no header, no rule files) land on the version's first file;
        // a base's own problems are published when the base is.
        const file = diag.span?.file ?? files[0];
        byFile.get(file)?.push(diag.span ? diag : { ...diag, span: { file, start: 0, end: 0 } });
      }
      for (const [file, diags] of byFile) {
        const text = root.model.text(file) ?? '';
        const uri = uriOf(root, file);
        published.set(ws.absPath(root, file), { text, diagnostics: diags });
        const lsp = diags.map((x) => toLsp(x, text));
        // A keystroke in one file re-checks the others too; only what changed goes to the editor
        // (the edited or opened file always gets an answer).
        const key = JSON.stringify(lsp);
        if (sent.get(uri) === key && !force.has(uri)) continue;
        sent.set(uri, key);
        void connection.sendDiagnostics({ uri, diagnostics: lsp });
      }
    }
  };
  const flush = () => {
    flushScheduled = false;
    const uris = [...pending];
    pending.clear();
    const done = new Set<string>();
    const force = new Set<string>();
    for (const uri of uris) {
      const at = locate(uri);
      if (at) force.add(uriOf(at.root, at.rel));
    }
    for (const uri of uris) {
      const at = locate(uri);
      const dir = at && ws.policyDir(at);
      if (!at || dir === undefined) {
        sent.delete(uri);
        void connection.sendDiagnostics({ uri, diagnostics: [] });
        continue;
      }
      const key = `${at.root.abs}\u0000${dir}`;
      if (done.has(key)) continue;
      done.add(key);
      publishDir(at.root, dir, force);
    }
  };
  const schedule = (uri: string) => {
    pending.add(uri);
    if (!flushScheduled) {
      flushScheduled = true;
      // Changes queued behind each other (fast typing) are checked once, after the last.
      setImmediate(flush);
    }
  };
  const republishOpen = () => {
    for (const doc of documents.all()) schedule(doc.uri);
  };

  connection.onInitialize((params): InitializeResult => {
    const folders = (params.workspaceFolders ?? []).map((f) => f.uri);
    if (folders.length === 0 && params.rootUri) folders.push(params.rootUri);
    ws = new LspWorkspace(folders.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u)));
    locale = params.locale;
    settings = readSettings(params.initializationOptions) ?? {};
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        completionProvider: { triggerCharacters: ['.', '"', '{', ' '] },
        documentSymbolProvider: true,
        documentFormattingProvider: true,
        renameProvider: { prepareProvider: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'clausal' },
    };
  });

  connection.onDidChangeConfiguration((change) => {
    const s = readSettings((change.settings as { clausal?: unknown } | undefined)?.clausal);
    if (s) {
      settings = s;
      republishOpen();
    }
  });
  connection.onDidChangeWatchedFiles(() => {
    ws.rescan();
    republishOpen();
  });

  documents.onDidChangeContent((e) => {
    if (!e.document.uri.startsWith('file:')) return;
    ws.setText(fileURLToPath(e.document.uri), e.document.getText());
    schedule(e.document.uri);
  });
  documents.onDidClose((e) => {
    if (!e.document.uri.startsWith('file:')) return;
    ws.setText(fileURLToPath(e.document.uri), undefined);
    schedule(e.document.uri);
  });

  /** The file, its text, its version directory and the offset of a position in it. */
  const at = (uri: string, pos: { line: number; character: number }) => {
    const loc = locate(uri);
    if (!loc) return undefined;
    const text = ws.text(loc);
    if (text === undefined) return undefined;
    return { loc, text, dir: ws.policyDir(loc), offset: offsetOf(text, pos) };
  };
  const occurrence = (loc: Located, dir: string, offset: number): { occ: Occurrence; def: SymbolDef } | undefined => {
    const index = ws.index(loc.root, dir);
    const occ = occurrenceAt(index, loc.rel, offset);
    const def = occ && index.defs.get(occ.target);
    return occ && def ? { occ, def } : undefined;
  };
  /** Every occurrence of a declaration in the versions that can see it. */
  const allOccurrences = (root: Root, def: SymbolDef): Occurrence[] => {
    const home = root.model.policies.find((p) => p.files.includes(def.nameSpan.file))?.dir;
    if (home === undefined) return [];
    const seen = new Set<string>();
    const out: Occurrence[] = [];
    for (const d of ws.dependents(root, home)) {
      for (const o of occurrencesOf(ws.index(root, d), def.id)) {
        const key = `${o.span.file}:${o.span.start}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(o);
      }
    }
    return out;
  };

  connection.onHover((p) => {
    const a = at(p.textDocument.uri, p.position);
    if (!a || a.dir === undefined) return null;
    const policy = ws.policy(a.loc.root, a.dir);
    if (!policy) return null;
    const info = hoverAt(policy, a.text, a.offset, asOf(), lang());
    if (!info) return null;
    const body = info.lines.map((l) => escapeMarkdown(l).replace(/^ +/, (s) => '\u00a0'.repeat(s.length))).join('  \n');
    return { contents: { kind: MarkupKind.Markdown, value: `**${escapeMarkdown(info.title)}**${body ? `\n\n${body}` : ''}` }, range: rangeOf(a.text, info.from, info.to) };
  });

  connection.onDefinition((p) => {
    const a = at(p.textDocument.uri, p.position);
    if (!a || a.dir === undefined) return null;
    const source = sourceTarget(a.text, a.offset);
    if (source) {
      const policy = ws.policy(a.loc.root, a.dir);
      const doc = policy?.source;
      if (!doc) return null;
      if (source.kind === 'source') return [{ uri: uriOf(a.loc.root, doc.path), range: rangeOf(doc.text, 0, 0) }];
      const paragraphs = source.kind === 'cite' ? doc.paragraphs.filter((x) => x.cite === source.value) : locateQuote(doc, source.value);
      return paragraphs.map((x) => ({ uri: uriOf(a.loc.root, doc.path), range: rangeOf(doc.text, x.start, x.end) }));
    }
    const found = occurrence(a.loc, a.dir, a.offset);
    return found ? locationOf(a.loc.root, found.def.nameSpan) ?? null : null;
  });

  connection.onReferences((p) => {
    const a = at(p.textDocument.uri, p.position);
    if (!a || a.dir === undefined) return null;
    const found = occurrence(a.loc, a.dir, a.offset);
    if (!found) return null;
    return allOccurrences(a.loc.root, found.def)
      .filter((o) => p.context.includeDeclaration || !o.isDeclaration)
      .map((o) => locationOf(a.loc.root, o.span))
      .filter((l): l is Location => l !== undefined);
  });

  connection.onPrepareRename((p) => {
    const a = at(p.textDocument.uri, p.position);
    if (!a || a.dir === undefined) return null;
    const found = occurrence(a.loc, a.dir, a.offset);
    if (!found || !RENAMEABLE.has(found.def.kind)) return null;
    return { range: rangeOf(a.text, found.occ.span.start, found.occ.span.end), placeholder: found.def.name };
  });

  connection.onRenameRequest((p) => {
    const a = at(p.textDocument.uri, p.position);
    if (!a || a.dir === undefined) return null;
    const found = occurrence(a.loc, a.dir, a.offset);
    const l = lang();
    if (!found || !RENAMEABLE.has(found.def.kind)) {
      return new ResponseError(-32803, l === 'zh' ? '只能重命名参数、集合、对照表和定义' : 'only parameters, sets, tables and definitions can be renamed');
    }
    const name = p.newName;
    if (!IDENT.test(name) || KEYWORD_WORDS.has(name)) {
      return new ResponseError(-32803, l === 'zh' ? `\`${name}\` 不是有效的名称` : `\`${name}\` is not a valid name`);
    }
    const index = ws.index(a.loc.root, a.dir);
    const clash = ['param', 'set', 'define', 'table'].map((k) => index.globals.get(`${k}:${name}`)).find((d) => d && d.id !== found.def.id);
    if (clash) return new ResponseError(-32803, l === 'zh' ? `名称 \`${name}\` 已被使用` : `the name \`${name}\` is already taken`);
    const changes: Record<string, TextEdit[]> = {};
    for (const o of allOccurrences(a.loc.root, found.def)) {
      const text = a.loc.root.model.text(o.span.file);
      // A span that does not hold the name (an expression YAML re-spanned to its scalar) is left alone.
      if (text === undefined || text.slice(o.span.start, o.span.end) !== found.def.name) continue;
      (changes[uriOf(a.loc.root, o.span.file)] ??= []).push({ range: rangeOf(text, o.span.start, o.span.end), newText: name });
    }
    if (found.def.kind === 'param') renameInTests(ws, a.loc.root, found.def, name, changes, (t, s, e) => rangeOf(t, s, e));
    return { changes } satisfies WorkspaceEdit;
  });

  connection.onCompletion((p) => {
    const a = at(p.textDocument.uri, p.position);
    if (!a) return null;
    const policy = a.dir === undefined ? undefined : ws.policy(a.loc.root, a.dir);
    const yaml = !a.loc.rel.endsWith('.clause');
    const { from, items } = completionsAt(policy, a.text, a.offset, lang(), yaml);
    const range = rangeOf(a.text, from, a.offset);
    return items.map((c): CompletionItem => ({
      label: c.label,
      kind: COMPLETION_KIND[c.kind],
      detail: c.detail,
      documentation: c.documentation,
      textEdit: { range, newText: c.insertText ?? c.label },
    }));
  });

  connection.onDocumentSymbol((p) => {
    const loc = locate(p.textDocument.uri);
    const text = loc && ws.text(loc);
    const ast = loc && ws.ast(loc.root, loc.rel);
    if (!ast || text === undefined) return null;
    return ast.decls.map((d) => declSymbol(d, (s) => rangeOf(text, s.start, s.end)));
  });

  connection.onDocumentFormatting((p) => {
    const loc = locate(p.textDocument.uri);
    const text = loc && ws.text(loc);
    if (!loc || text === undefined) return null;
    let result: FormatResult | undefined;
    try {
      result = loc.rel.endsWith('.clause') ? formatClauseText(loc.rel, text) : /\.ya?ml$/.test(loc.rel) ? formatYamlText(loc.rel, text) : undefined;
    } catch (e) {
      // The formatter refuses (throws) rather than change a policy's meaning: leave the file as it is.
      connection.console.error(String((e as Error).message));
      return [];
    }
    if (!result?.output || result.output === text) return [];
    return [{ range: rangeOf(text, 0, text.length), newText: result.output }];
  });

  connection.onCodeAction((p) => {
    const loc = locate(p.textDocument.uri);
    const text = loc && ws.text(loc);
    const last = loc && published.get(ws.absPath(loc.root, loc.rel));
    if (!last || text === undefined || last.text !== text) return [];
    const start = offsetOf(text, p.range.start);
    const end = offsetOf(text, p.range.end);
    const actions: CodeAction[] = [];
    for (const d of last.diagnostics) {
      if (!d.span || d.span.end < start || d.span.start > end) continue;
      for (const fix of quickFixes(d, text)) {
        actions.push({
          title: fix.title[lang()],
          kind: CodeActionKind.QuickFix,
          diagnostics: [toLsp(d, text)],
          isPreferred: true,
          edit: { changes: { [p.textDocument.uri]: [{ range: rangeOf(text, fix.span.start, fix.span.end), newText: fix.newText }] } },
        });
      }
    }
    return actions;
  });

  documents.listen(connection);
  connection.listen();
}

function readSettings(raw: unknown): LspSettings | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  return {
    lang: r.lang === 'zh' || r.lang === 'en' ? r.lang : 'auto',
    asOf: typeof r.asOf === 'string' && r.asOf !== '' ? r.asOf : undefined,
  };
}

/** `cite "…"`, `quote "…"` or `source "…"` under the cursor (the `.clause` and the YAML form). */
function sourceTarget(text: string, offset: number): { kind: 'cite' | 'quote' | 'source'; value: string } | undefined {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const endNl = text.indexOf('\n', offset);
  const line = text.slice(start, endNl < 0 ? text.length : endNl);
  const m = /^(\s*(?:-\s*)?)(cite|quote|source)(\s*:\s*|\s+)("?)(.*?)\4\s*$/.exec(line);
  if (!m || offset - start < m[1].length) return undefined;
  return { kind: m[2] as 'cite' | 'quote' | 'source', value: m[5].replace(/\\"/g, '"') };
}

function escapeMarkdown(s: string): string {
  return s.replace(/([\\`*[\]<>])/g, '\\$1');
}

function declSymbol(d: A.Decl, range: (s: Span) => Range): DocumentSymbol {
  const sym = (name: string, kind: SymbolKind, whole: Span, sel: Span, detail?: string, children?: DocumentSymbol[]): DocumentSymbol => ({
    name: name || '?', kind, range: range(whole), selectionRange: range(sel), detail, children,
  });
  switch (d.kind) {
    case 'policy':
      return sym(d.id, SYMBOL_KIND.policy, d.span, d.idSpan, d.title?.zh);
    case 'enum':
      return sym(d.name, SYMBOL_KIND.enum, d.span, d.nameSpan, d.label?.zh, d.members.map((m) => sym(m.name, SymbolKind.EnumMember, m.span, m.span, m.label?.zh)));
    case 'kind':
      return sym(d.name, SYMBOL_KIND.kind, d.span, d.nameSpan, d.label?.zh, d.members.map((m) => sym(m.name, SymbolKind.Field, m.span, m.nameSpan, m.label?.zh)));
    case 'param':
      return sym(d.name, SYMBOL_KIND.param, d.span, d.nameSpan, d.label?.zh);
    case 'setdecl':
      return sym(d.name, SYMBOL_KIND.setdecl, d.span, d.nameSpan, d.label?.zh);
    case 'table':
      return sym(d.name, SYMBOL_KIND.table, d.span, d.nameSpan, d.label?.zh);
    case 'define':
      return sym(d.name, SYMBOL_KIND.define, d.span, d.nameSpan, d.label?.zh);
    case 'rule':
      return sym(d.id, SYMBOL_KIND.rule, d.span, d.idSpan, [d.cite?.value, d.title?.zh].filter(Boolean).join(' '));
    case 'uncheckable':
      return sym(`uncheckable ${d.cite.value}`, SYMBOL_KIND.uncheckable, d.span, d.cite.span, d.reason.zh);
  }
}

/**
 * A parameter's name is also a key of `params:` in the policy tests (`tests.yaml`) of the
 * versions that see it; renaming it there too keeps `clausal test` passing.
 */
function renameInTests(ws: LspWorkspace, root: Root, def: SymbolDef, name: string, changes: Record<string, TextEdit[]>, rangeOf: (text: string, s: number, e: number) => Range): void {
  const home = root.model.policies.find((p) => p.files.includes(def.nameSpan.file))?.dir;
  if (home === undefined) return;
  for (const dir of ws.dependents(root, home)) {
    for (const file of ['tests.yaml', 'tests.yml']) {
      const rel = dir === '.' ? file : `${dir}/${file}`;
      const abs = ws.absPath(root, rel);
      let text: string;
      try {
        text = root.model.text(rel) ?? readFileSync(abs, 'utf8');
      } catch {
        continue;
      }
      const edits: TextEdit[] = [];
      visit(parseDocument(text), {
        Pair(_, pair) {
          if (!isScalar(pair.key) || pair.key.value !== 'params' || !isMap(pair.value)) return;
          for (const item of pair.value.items) {
            if (isScalar(item.key) && item.key.value === def.name && item.key.range) {
              edits.push({ range: rangeOf(text, item.key.range[0], item.key.range[1]), newText: name });
            }
          }
        },
      });
      if (edits.length) (changes[pathToFileURL(abs).href] ??= []).push(...edits);
    }
  }
}
