/**
 * The CodeMirror editor of rule files: one view, one state per file (so each keeps its own
 * undo history), `.clause` highlighting from dsl-language.ts and YAML from @codemirror/lang-yaml.
 * Diagnostics are pushed in from the workbench's own check of the whole policy (a policy is
 * checked as a whole, not file by file), hovers and completions read the last checked policy.
 */
import { autocompletion, completionKeymap, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, lintKeymap, setDiagnostics, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { EditorState, type Extension } from '@codemirror/state';
import {
  drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, hoverTooltip, keymap, lineNumbers, type Tooltip,
} from '@codemirror/view';
import { clauseLanguage } from './dsl-language.js';
import { h } from './dom.js';
import type { HoverInfo } from '../language/hover.js';
import type { CompletionKind, Completions } from '../language/completion.js';

/** What the editor asks the workbench for. */
export interface EditorHost {
  /** The buffer of `path` changed. */
  onChange(path: string, text: string): void;
  /** The cursor moved. */
  onCursor(path: string, offset: number): void;
  /** The hover card at a position. */
  hover(path: string, text: string, offset: number): HoverInfo | undefined;
  /** What to complete at a position (the same answer as the language server's). */
  complete(path: string, text: string, offset: number): Completions | undefined;
  /** Ctrl/Cmd-S. */
  save(): void;
}

function hoverExtension(host: EditorHost, path: string): Extension {
  return hoverTooltip((view, pos): Tooltip | null => {
    const info = host.hover(path, view.state.doc.toString(), pos);
    if (!info) return null;
    return {
      pos: info.from,
      end: info.to,
      above: true,
      create: () => ({
        dom: h('div', { class: 'hover', 'data-testid': 'hover' }, h('div', { class: 'hover-title' }, info.title), ...info.lines.map((l) => h('div', { class: 'hover-line' }, l))),
      }),
    };
  }, { hoverTime: 250 });
}

/** CodeMirror's icon class for each kind of completion. */
const CM_TYPE: Readonly<Record<CompletionKind, string>> = {
  keyword: 'keyword', param: 'variable', set: 'constant', table: 'function', define: 'function', function: 'function', enum: 'enum',
  member: 'enum', kind: 'type', field: 'property', relation: 'property', variable: 'variable', cite: 'text',
};

function completionSource(host: EditorHost, path: string) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const word = ctx.matchBefore(/[A-Za-z_][A-Za-z0-9_]*/);
    const prev = ctx.state.sliceDoc(Math.max(0, ctx.pos - 1), ctx.pos);
    // Open the list on a word, or right after `.` (fields) and `"` (cites); otherwise only on request.
    if (!ctx.explicit && (!word || word.from === word.to) && prev !== '.' && prev !== '"') return null;
    const found = host.complete(path, ctx.state.doc.toString(), ctx.pos);
    if (!found || found.items.length === 0) return null;
    return {
      from: found.from,
      options: found.items.map((i) => ({ label: i.label, type: CM_TYPE[i.kind], detail: i.detail, info: i.documentation, apply: i.insertText })),
      validFor: /^[^\s".]*$/,
    };
  };
}

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '14px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, "SFMono-Regular", "Cascadia Mono", "Noto Sans Mono CJK SC", monospace', lineHeight: '1.55' },
  '.cm-content': { paddingBottom: '40vh' },
  '.cm-tooltip.cm-tooltip-hover': { maxWidth: '560px' },
});

/** The state of one file's editor. */
export function fileState(host: EditorHost, path: string, text: string): EditorState {
  const language = path.endsWith('.clause') ? clauseLanguage : yaml();
  return EditorState.create({
    doc: text,
    extensions: [
      lineNumbers(),
      highlightActiveLineGutter(),
      history(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      highlightActiveLine(),
      highlightSelectionMatches(),
      syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      EditorView.lineWrapping,
      language,
      lintGutter(),
      autocompletion({ override: [completionSource(host, path)] }),
      hoverExtension(host, path),
      keymap.of([
        { key: 'Mod-s', preventDefault: true, run: () => { host.save(); return true; } },
        ...defaultKeymap, ...historyKeymap, ...searchKeymap, ...completionKeymap, ...lintKeymap, indentWithTab,
      ]),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) host.onChange(path, u.state.doc.toString());
        if (u.selectionSet || u.docChanged) host.onCursor(path, u.state.selection.main.head);
      }),
      theme,
    ],
  });
}

/** Shows diagnostics in a view (offsets clamped: the text may have moved on since). */
export function showDiagnostics(view: EditorView, diagnostics: readonly CmDiagnostic[]): void {
  const len = view.state.doc.length;
  const clamped = diagnostics.map((d) => ({ ...d, from: Math.min(d.from, len), to: Math.min(Math.max(d.to, d.from), len) }));
  view.dispatch(setDiagnostics(view.state, clamped));
}

export { EditorView, EditorState };
export type { CmDiagnostic };
