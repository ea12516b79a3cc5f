/**
 * The policy workbench in the browser: rule files in an editor with live diagnostics, the
 * source document with its coverage, an evaluation panel (the HTML report and a result list
 * with explanations) and a diff panel with the impact on the chosen facts. The engine runs
 * here, bundled; the server (src/serve/) only lists, reads and saves files.
 */
import type { Lang, Diagnostic, DescribedDiagnostic } from '../model/diagnostics.js';
import { hasErrors, messageOf } from '../model/diagnostics.js';
import { LineIndex } from '../model/span.js';
import type { Policy } from '../model/types.js';
import { STATUSES, type RuleResult, type Status } from '../model/result.js';
import { parseRuleFile, type LoadedPolicy } from '../policy-sources.js';
import { sourceCoverage } from '../check/coverage.js';
import { normaliseForQuote } from '../check/source-outline.js';
import { factsFormatOf, loadFactsText } from '../facts/parse-facts.js';
import type { FactsResult } from '../facts/facts.js';
import { subjectInfos } from '../facts/subject-info.js';
import { evaluate } from '../eval/evaluate.js';
import { reportToHtml } from '../report/html.js';
import { STATUS_LABELS } from '../report/labels.js';
import { subjectKeyOf } from '../report/report-data.js';
import { diffPolicies } from '../diff/semantic.js';
import { computeImpact } from '../diff/impact.js';
import { diffToText } from '../diff/render.js';
import { isValidDate } from '../model/dates.js';
import { h, replace } from './dom.js';
import { EditorView, fileState, showDiagnostics, type CmDiagnostic, type EditorHost, type EditorState } from './editor.js';
import { hoverAt } from '../language/hover.js';
import { completionsAt } from '../language/completion.js';
import { words } from './i18n.js';
import { WorkspaceModel, type WorkspaceData } from '../language/workspace-model.js';

type Tab = 'source' | 'eval' | 'test' | 'diff';
type Filter = 'attention' | 'all' | Status;

interface State {
  lang: Lang;
  dir: string;
  path?: string;
  asOf: string;
  factsPath?: string;
  tab: Tab;
  evalView: 'report' | 'results';
  filter: Filter;
  selected?: number;
  diffBase: string;
  cursorRules: readonly string[];
  message?: { kind: 'ok' | 'error' | 'info'; text: string };
  conflict?: { path: string; text: string; hash: string };
}

function todayLocal(): string {
  // The browser is the workbench's edge, as the CLI is the engine's: the only place a clock is read.
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const storedLang = (() => {
  try {
    return localStorage.getItem('clausal.lang');
  } catch {
    return null;
  }
})();

const state: State = {
  lang: storedLang === 'en' ? 'en' : 'zh',
  dir: '.',
  asOf: todayLocal(),
  tab: 'source',
  evalView: 'report',
  filter: 'attention',
  diffBase: 'saved',
  cursorRules: [],
};

let model: WorkspaceModel;
let view: EditorView;
const states = new Map<string, EditorState>();
const lastGood = new Map<string, Policy>();
const factsTexts = new Map<string, string>();
const factsLoading = new Set<string>();
const factsCache = new WeakMap<Policy, Map<string, FactsResult>>();

type Described = DescribedDiagnostic;

/** A failed check of `clausal test --format json`, as `POST /api/test` answers it. */
interface TestFailureJson {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly case: string;
  readonly subject: { readonly kind: string; readonly id: string };
  readonly rule: string;
  readonly mismatches: readonly string[];
  readonly expected: { readonly status: Status; readonly due?: string | null; readonly explanation?: Partial<Record<Lang, readonly string[]>>; readonly missing?: readonly string[]; readonly value?: string; readonly shortfall?: string | null };
  readonly actual: { readonly status: Status; readonly due: string | null; readonly explanation: string; readonly missing: readonly string[]; readonly value?: string; readonly shortfall?: string };
}

interface TestAnswer {
  readonly ok: boolean;
  readonly lang?: Lang;
  readonly policyDiagnostics?: readonly Described[];
  readonly testDiagnostics?: readonly Described[];
  readonly report?: {
    readonly summary: { readonly files: number; readonly cases: number; readonly checks: number; readonly passed: number; readonly failed: number };
    readonly cases: readonly { readonly name: string; readonly file: string; readonly line: number; readonly column: number; readonly asOf: string; readonly checks: number; readonly failed: number }[];
    readonly failures: readonly TestFailureJson[];
  };
  readonly text?: string;
}

/** The last test run of a version: kept until the next run, marked stale by any edit. */
interface TestRunState {
  readonly dir: string;
  readonly lang: Lang;
  running: boolean;
  stale: boolean;
  answer?: TestAnswer;
  error?: string;
}

let testRun: TestRunState | undefined;

const el = {
  header: h('header', { class: 'top' }),
  files: h('nav', { class: 'files', 'data-testid': 'files' }),
  problems: h('section', { class: 'problems', 'data-testid': 'problems' }),
  editorBar: h('div', { class: 'editor-bar' }),
  editorHost: h('div', { class: 'editor', 'data-testid': 'editor' }),
  panel: h('section', { class: 'panel' }),
  status: h('div', { class: 'status', 'data-testid': 'status', role: 'status' }),
};

const w = () => words(state.lang);

// ───────────────────────── compiling ─────────────────────────

function current(): LoadedPolicy {
  return model.compile(state.dir, 'edited');
}

/** The checked policy for hovers and completions: the current one, or the last that checked. */
function policyForHelp(): Policy | undefined {
  const loaded = current();
  if (loaded.policy && !hasErrors(loaded.diagnostics)) lastGood.set(state.dir, loaded.policy);
  return loaded.policy ?? lastGood.get(state.dir);
}

function lineCol(d: Diagnostic): { line: number; column: number } | undefined {
  if (!d.span) return undefined;
  const text = model.text(d.span.file) ?? '';
  return new LineIndex(text).position(d.span.start);
}

function diagnosticText(d: Diagnostic): string {
  const help = d.help ? ` (${d.help[state.lang]})` : '';
  return `${messageOf(d, state.lang)}${help}`;
}

function toCm(d: Diagnostic): CmDiagnostic {
  const start = d.span?.start ?? 0;
  return { from: start, to: Math.max(d.span?.end ?? start, start), severity: d.severity, source: d.code, message: diagnosticText(d) };
}

// ───────────────────────── editor ─────────────────────────

let refreshTimer: number | undefined;

const host: EditorHost = {
  onChange(path, text) {
    model.edit(path, text);
    if (testRun && !testRun.running) testRun.stale = true;
    renderFiles();
    renderEditorBar();
    window.clearTimeout(refreshTimer);
    // Checking on every keystroke would re-run the whole policy; a short pause is enough to feel live.
    refreshTimer = window.setTimeout(refresh, 200);
  },
  onCursor(path, offset) {
    const policy = policyForHelp();
    const rules = policy?.rules.filter((r) => r.decl.span.file === path && r.decl.span.start <= offset && offset <= r.decl.span.end).map((r) => r.id) ?? [];
    if (rules.join() !== state.cursorRules.join()) {
      state.cursorRules = rules;
      if (state.tab === 'source') markCursorRules(true);
    }
  },
  hover(path, text, offset) {
    const policy = policyForHelp();
    return policy ? hoverAt(policy, text, offset, state.asOf, state.lang) : undefined;
  },
  complete(path, text, offset) {
    return completionsAt(policyForHelp(), text, offset, state.lang, !path.endsWith('.clause'));
  },
  save() {
    void save();
  },
};

function openFile(path: string, offset?: number): void {
  const text = model.text(path);
  if (text === undefined) return;
  if (state.path && view) states.set(state.path, view.state);
  state.path = path;
  let st = states.get(path);
  if (!st) {
    st = fileState(host, path, text);
    states.set(path, st);
  }
  view.setState(st);
  pushDiagnostics();
  if (offset !== undefined) {
    view.dispatch({ selection: { anchor: Math.min(offset, view.state.doc.length) }, effects: EditorView.scrollIntoView(Math.min(offset, view.state.doc.length), { y: 'center' }) });
    view.focus();
  }
  renderFiles();
  renderEditorBar();
}

function pushDiagnostics(): void {
  if (!state.path) return;
  const ds = current().diagnostics.filter((d) => d.span?.file === state.path);
  showDiagnostics(view, [...ds.map(toCm), ...testMarkers(state.path)]);
}

/** A failed test's line in the editor: on the rule it checks, while the run is current. */
function testMarkers(path: string): CmDiagnostic[] {
  const failures = testRun && !testRun.stale && testRun.dir === state.dir ? testRun.answer?.report?.failures ?? [] : [];
  if (!failures.length) return [];
  const policy = policyForHelp();
  const out: CmDiagnostic[] = [];
  for (const f of failures) {
    const rule = policy?.rules.find((r) => r.id === f.rule);
    if (!rule || rule.decl.span.file !== path) continue;
    out.push({ from: rule.decl.idSpan.start, to: rule.decl.idSpan.end, severity: 'error', source: w().testSource, message: failureLine(f) });
  }
  return out;
}

/** One line for a failed check: the case, the subject, expected and actual. */
function failureLine(f: TestFailureJson): string {
  const st = (s: Status) => STATUS_LABELS[s][state.lang];
  return w().failureLine(f.case, `${f.subject.kind} ${f.subject.id}`, st(f.expected.status), st(f.actual.status), `${f.file}:${f.line}:${f.column}`);
}

// ───────────────────────── chrome ─────────────────────────

function renderHeader(): void {
  const ws = model.data;
  const policySelect = h('select', {
    'data-testid': 'policy-select',
    'aria-label': w().policy,
    onchange: (e: Event) => selectPolicy((e.target as HTMLSelectElement).value),
  }, ...model.policies.map((p) => h('option', { value: p.dir, selected: p.dir === state.dir }, p.dir === '.' ? ws.name : p.dir)));
  // A text field, not <input type=date>: that one shows the date in the browser's locale
  // (06/01/2022, 2022/6/1); the workbench writes dates as the rule files do, YYYY-MM-DD.
  const asOf = h('input', {
    type: 'text', class: 'date', value: state.asOf, 'data-testid': 'as-of', 'aria-label': w().asOf,
    placeholder: 'YYYY-MM-DD', maxlength: 10, size: 10, spellcheck: 'false', inputmode: 'numeric', pattern: '\\d{4}-\\d{2}-\\d{2}',
    onchange: (e: Event) => {
      const input = e.target as HTMLInputElement;
      const v = input.value.trim();
      const ok = /^\d{4}-\d{2}-\d{2}$/.test(v) && isValidDate(v);
      input.classList.toggle('invalid', !ok);
      input.title = ok ? '' : w().dateFormat;
      // Leaving the field fires `change` again: redrawing then would swallow the click that
      // moved the focus (on a tab, say), so only a new date redraws.
      if (ok && v !== state.asOf) {
        state.asOf = v;
        renderPanel();
      }
    },
  });
  const facts = h('select', {
    'data-testid': 'facts-select', 'aria-label': w().facts,
    onchange: (e: Event) => {
      state.factsPath = (e.target as HTMLSelectElement).value || undefined;
      renderPanel();
    },
  }, ws.facts.length === 0 ? h('option', { value: '' }, w().noFacts) : null, ...ws.facts.map((f) => h('option', { value: f.path, selected: f.path === state.factsPath }, f.path)));
  const toggle = h('button', {
    class: 'lang', type: 'button', 'data-testid': 'lang-toggle', title: state.lang === 'zh' ? 'English' : '中文',
    onclick: () => {
      state.lang = state.lang === 'zh' ? 'en' : 'zh';
      try {
        localStorage.setItem('clausal.lang', state.lang);
      } catch {
        // private mode: the choice lasts for this page only
      }
      renderAll();
    },
  }, w().langToggle);
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  document.title = `${w().appTitle} — ${ws.name}`;
  replace(el.header,
    h('div', { class: 'brand' }, h('b', {}, 'Clausal'), ' ', h('span', {}, state.lang === 'zh' ? '政策工作台' : 'policy workbench')),
    h('label', { class: 'ctl' }, h('span', {}, w().policy), policySelect),
    h('label', { class: 'ctl' }, h('span', {}, w().asOf), asOf),
    h('label', { class: 'ctl' }, h('span', {}, w().facts), facts),
    h('div', { class: 'spacer' }),
    el.status,
    toggle,
  );
}

function renderFiles(): void {
  const policy = model.policies.find((p) => p.dir === state.dir);
  const ds = current().diagnostics;
  const count = (path: string) => ds.filter((d) => d.severity === 'error' && d.span?.file === path).length;
  const items = [...(policy?.files ?? []), ...(policy?.tests ?? [])].map((path) => {
    const n = count(path);
    return h('li', {},
      h('button', {
        type: 'button', class: `file${path === state.path ? ' active' : ''}`, 'data-testid': 'file', 'data-path': path,
        onclick: () => openFile(path),
      },
      h('span', { class: 'name' }, path.slice(path.lastIndexOf('/') + 1)),
      model.isDirty(path) ? h('span', { class: 'dirty', title: w().dirty }, '●') : null,
      n ? h('span', { class: 'count' }, n) : null));
  });
  replace(el.files, h('h2', {}, w().files), h('ul', {}, ...items),
    model.data.skipped.length ? h('p', { class: 'note' }, w().skipped(model.data.skipped.length)) : null);
}

function renderProblems(): void {
  const loaded = current();
  const ds = [...loaded.diagnostics].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const items = ds.slice(0, 200).map((d) => {
    const at = lineCol(d);
    const where = d.span ? `${d.span.file.slice(d.span.file.lastIndexOf('/') + 1)}:${at?.line}:${at?.column}` : '';
    return h('li', {},
      h('button', {
        type: 'button', class: `problem sev-${d.severity}`, 'data-testid': 'problem', 'data-code': d.code, 'data-file': d.span?.file ?? '', 'data-line': at?.line ?? '',
        onclick: () => { if (d.span) openFile(d.span.file, d.span.start); },
      }, h('span', { class: 'where' }, where), ' ', h('code', {}, d.code), ' ', diagnosticText(d)));
  });
  replace(el.problems, h('h2', {}, w().problems), items.length ? h('ul', {}, ...items) : h('p', { class: 'note' }, w().noProblems));
  const errors = ds.filter((d) => d.severity === 'error').length;
  const warnings = ds.length - errors;
  if (state.message) {
    replace(el.status, h('span', { class: `msg ${state.message.kind}` }, state.message.text));
  } else if (errors) {
    replace(el.status, h('span', { class: 'msg error' }, w().errorsFound(errors)));
  } else if (loaded.policy) {
    replace(el.status, h('span', { class: 'msg ok' }, w().checkedOk(loaded.policy.rules.length, loaded.policy.params.size)), warnings ? ` · ${w().warningsFound(warnings)}` : '');
  }
}

function renderEditorBar(): void {
  const path = state.path;
  const dirty = path ? model.isDirty(path) : false;
  const conflict = state.conflict && state.conflict.path === path ? state.conflict : undefined;
  replace(el.editorBar,
    h('div', { class: 'bar' },
      h('span', { class: 'path', 'data-testid': 'current-path' }, path ?? ''),
      dirty ? h('span', { class: 'dirty-label' }, w().dirty) : null,
      h('div', { class: 'spacer' }),
      h('button', { type: 'button', class: 'primary', 'data-testid': 'save', disabled: !dirty, onclick: () => void save(), title: 'Ctrl+S' }, w().save)),
    conflict ? h('div', { class: 'conflict', 'data-testid': 'conflict', role: 'alert' },
      h('span', {}, w().conflict), ' ',
      h('button', { type: 'button', 'data-testid': 'conflict-reload', onclick: () => reloadFromDisk(conflict) }, w().reload), ' ',
      h('button', { type: 'button', 'data-testid': 'conflict-overwrite', onclick: () => void save(conflict.hash) }, w().overwrite)) : null,
  );
}

// ───────────────────────── panels ─────────────────────────

const TABS: readonly Tab[] = ['source', 'eval', 'test', 'diff'];
const tabsBar = h('div', { class: 'tabs', role: 'tablist' });
const tabButtons = new Map<Tab, HTMLButtonElement>();
let panelBody: HTMLElement | undefined;

/**
 * The tab bar is built once and updated in place: a redraw between a press and its release
 * (leaving the date field redraws the panel) would otherwise swallow the click on a tab.
 */
function renderTabs(): void {
  const labels: Record<Tab, string> = { source: w().tabSource, eval: w().tabEval, test: w().tabTest, diff: w().tabDiff };
  for (const tab of TABS) {
    let b = tabButtons.get(tab);
    if (!b) {
      b = h('button', {
        type: 'button', role: 'tab', 'data-testid': `tab-${tab}`,
        onclick: () => {
          state.tab = tab;
          renderPanel();
        },
      });
      tabButtons.set(tab, b);
      tabsBar.append(b);
    }
    b.textContent = labels[tab];
    b.className = `tab${state.tab === tab ? ' active' : ''}`;
    b.setAttribute('aria-selected', state.tab === tab ? 'true' : 'false');
  }
}

function renderPanel(): void {
  renderTabs();
  if (tabsBar.parentNode !== el.panel) el.panel.prepend(tabsBar);
  const body = h('div', { class: 'panel-body' });
  if (panelBody) panelBody.replaceWith(body);
  else el.panel.append(body);
  panelBody = body;
  if (state.tab === 'source') renderSource(body);
  else if (state.tab === 'eval') renderEval(body);
  else if (state.tab === 'test') renderTests(body);
  else renderDiff(body);
}

function gotoRule(policy: Policy, id: string): void {
  const rule = policy.rules.find((r) => r.id === id);
  if (rule) openFile(rule.decl.span.file, rule.decl.idSpan.start);
}

/** Marks the quoted words inside a paragraph (whitespace in the quote may differ from the text). */
function markQuotes(text: string, quotes: readonly string[]): (Node | string)[] {
  const ranges: [number, number][] = [];
  for (const q of quotes) {
    const needle = normaliseForQuote(q);
    if (!needle) continue;
    // Map positions of the text without whitespace back to the text.
    const keep: number[] = [];
    for (let i = 0; i < text.length; i++) if (!/[\s\u3000]/.test(text[i])) keep.push(i);
    const compact = keep.map((i) => text[i]).join('');
    const at = compact.indexOf(needle);
    if (at >= 0) ranges.push([keep[at], keep[at + needle.length - 1] + 1]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const out: (Node | string)[] = [];
  let pos = 0;
  for (const [s, e] of ranges) {
    if (s < pos) continue;
    out.push(text.slice(pos, s), h('mark', {}, text.slice(s, e)));
    pos = e;
  }
  out.push(text.slice(pos));
  return out;
}

function renderSource(body: HTMLElement): void {
  const policy = policyForHelp();
  const coverage = policy ? sourceCoverage(policy) : undefined;
  if (!policy || !coverage) {
    replace(body, h('p', { class: 'note' }, policy ? w().noSource : w().policyHasErrors));
    return;
  }
  const quotesOf = new Map(policy.rules.map((r) => [r.id, r.quote ? [r.quote] : []]));
  const checkable = coverage.encoded + coverage.uncovered;
  const pct = `${(coverage.share * 100).toFixed(0)}%`;
  const paras = coverage.paragraphs.map((p) => {
    const stateLabel = w().states[p.state];
    return h('div', { class: `para st-${p.state}`, 'data-testid': 'para', 'data-state': p.state, 'data-rules': p.rules.join(' '), 'data-line': p.line },
      h('div', { class: 'para-head' },
        // A heading's text already starts with its number; front matter has none.
        p.cite && p.state !== 'heading' ? h('span', { class: 'cite' }, p.cite) : null,
        h('span', { class: 'para-state' }, stateLabel),
        ...p.rules.map((id) => h('button', { type: 'button', class: 'rule-chip', 'data-testid': 'rule-link', 'data-rule': id, onclick: () => gotoRule(policy, id) }, id))),
      h('div', { class: 'para-text' }, ...markQuotes(p.text, p.rules.flatMap((id) => quotesOf.get(id) ?? []))),
      p.reason ? h('div', { class: 'reason' }, state.lang === 'en' ? p.reason.en ?? p.reason.zh : p.reason.zh) : null);
  });
  replace(body,
    h('div', { class: 'coverage', 'data-testid': 'coverage' },
      h('b', {}, w().coverage(coverage.encoded, checkable, pct)),
      h('div', { class: 'meter' }, h('div', { style: `width:${(coverage.share * 100).toFixed(1)}%` })),
      h('div', { class: 'legend' }, ...(['encoded', 'uncovered', 'not_checkable'] as const).map((s) => h('span', { class: `key st-${s}` }, w().states[s])))),
    coverage.unplacedRules.length ? h('p', { class: 'note' }, w().unplaced(coverage.unplacedRules.join(', '))) : null,
    h('div', { class: 'paras' }, ...paras));
  markCursorRules(false);
}

function markCursorRules(scroll: boolean): void {
  const paras = el.panel.querySelectorAll<HTMLElement>('.para');
  let first: HTMLElement | undefined;
  for (const p of paras) {
    const on = state.cursorRules.length > 0 && (p.dataset.rules ?? '').split(' ').some((r) => state.cursorRules.includes(r));
    p.classList.toggle('active', on);
    if (on && !first) first = p;
  }
  if (scroll && first) first.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
}

/** The facts for a policy (validated against its schema), loading the file on first use. */
function factsFor(policy: Policy, path: string): FactsResult | 'loading' | 'failed' {
  const text = factsTexts.get(path);
  if (text === undefined) {
    if (!factsLoading.has(path)) {
      factsLoading.add(path);
      fetchFile(path).then((f) => {
        factsTexts.set(path, f.text);
        renderPanel();
      }, (e: unknown) => {
        state.message = { kind: 'error', text: `${w().loadFailed}${String(e)}` };
        renderProblems();
      }).finally(() => factsLoading.delete(path));
    }
    return 'loading';
  }
  let perPolicy = factsCache.get(policy);
  if (!perPolicy) factsCache.set(policy, (perPolicy = new Map()));
  let result = perPolicy.get(path);
  if (!result) {
    const format = factsFormatOf(path);
    if (!format) return 'failed';
    result = loadFactsText(policy, path, text, format);
    perPolicy.set(path, result);
  }
  return result;
}

function factsProblem(result: FactsResult, path: string): HTMLElement | undefined {
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (result.facts && errors.length === 0) return undefined;
  const index = new LineIndex(factsTexts.get(path) ?? '');
  return h('div', { class: 'note error' }, w().factsErrors, h('ul', {}, ...errors.slice(0, 20).map((d) => {
    const at = d.span ? index.position(d.span.start) : undefined;
    return h('li', {}, `${path}${at ? `:${at.line}:${at.column}` : ''} ${d.code} ${messageOf(d, state.lang)}`);
  })));
}

interface Evaluated {
  readonly policy: Policy;
  readonly facts: NonNullable<FactsResult['facts']>;
  readonly asOf: string;
  readonly lang: Lang;
  readonly report: ReturnType<typeof evaluate>;
  readonly subjects: ReturnType<typeof subjectInfos>;
  html?: string;
}

let evalMemo: Evaluated | undefined;

/** Evaluates (memoised on the policy and facts objects, which stay the same until an edit). */
function evaluated(policy: Policy, facts: NonNullable<FactsResult['facts']>): Evaluated {
  const m = evalMemo;
  if (m && m.policy === policy && m.facts === facts && m.asOf === state.asOf && m.lang === state.lang) return m;
  const report = evaluate(policy, facts, { asOf: state.asOf, lang: state.lang });
  evalMemo = { policy, facts, asOf: state.asOf, lang: state.lang, report, subjects: subjectInfos(policy, facts) };
  return evalMemo;
}

function reportHtml(e: Evaluated): string {
  e.html ??= reportToHtml({ report: e.report, lang: e.lang, subjects: e.subjects, policy: e.policy });
  return e.html;
}

/** The report page for the current inputs, or undefined when there is none to show. */
function currentReportHtml(): string | undefined {
  const loaded = current();
  if (!loaded.policy || hasErrors(loaded.diagnostics) || !state.factsPath) return undefined;
  const facts = factsFor(loaded.policy, state.factsPath);
  if (typeof facts === 'string' || !facts.facts || hasErrors(facts.diagnostics)) return undefined;
  return reportHtml(evaluated(loaded.policy, facts.facts));
}

let shownSrcdoc = '';

function renderEval(body: HTMLElement): void {
  const loaded = current();
  if (!loaded.policy || hasErrors(loaded.diagnostics)) return replace(body, h('p', { class: 'note' }, w().policyHasErrors));
  if (!state.factsPath) return replace(body, h('p', { class: 'note' }, w().pickFacts));
  const policy = loaded.policy;
  const facts = factsFor(policy, state.factsPath);
  if (facts === 'loading') return replace(body, h('p', { class: 'note' }, w().loading));
  if (facts === 'failed') return replace(body, h('p', { class: 'note error' }, w().pickFacts));
  const problem = factsProblem(facts, state.factsPath);
  if (problem || !facts.facts) return replace(body, problem ?? '');
  const ev = evaluated(policy, facts.facts);
  const { report, subjects } = ev;
  const chips = STATUSES.filter((s) => report.summary[s] > 0).map((s) => h('button', {
    type: 'button', class: `chip s-${s}${state.filter === s ? ' active' : ''}`, 'data-testid': `summary-${s}`, 'data-count': report.summary[s],
    onclick: () => {
      state.filter = state.filter === s ? 'attention' : s;
      state.evalView = 'results';
      state.selected = undefined;
      renderPanel();
    },
  }, STATUS_LABELS[s][state.lang], ' ', h('b', {}, report.summary[s])));
  const sub = (v: 'report' | 'results', label: string) => h('button', {
    type: 'button', class: `subtab${state.evalView === v ? ' active' : ''}`, 'data-testid': `view-${v}`,
    onclick: () => {
      state.evalView = v;
      renderPanel();
    },
  }, label);
  const head = h('div', { class: 'eval-head' }, h('div', { class: 'chips' }, ...chips), h('div', { class: 'subtabs' }, sub('report', w().report), sub('results', w().results)));
  if (state.evalView === 'report') {
    const html = reportHtml(ev);
    // The report is the `--format html` file itself, in an isolated frame: its own script runs
    // there, pinned by hash, with no access to this page.
    const frame = h('iframe', { class: 'report', sandbox: 'allow-scripts', title: w().report, 'data-testid': 'report-frame' });
    frame.srcdoc = html;
    shownSrcdoc = html;
    replace(body, head, frame);
    return;
  }
  const matches = (r: RuleResult) => state.filter === 'all' || (state.filter === 'attention' ? r.status === 'violation' || r.status === 'pending' : r.status === state.filter);
  const shown = report.results.filter(matches);
  const LIMIT = 300;
  const nameOf = (r: RuleResult) => subjects.get(subjectKeyOf(r.subject))?.name ?? r.subject.id;
  const rows = shown.slice(0, LIMIT).map((r, i) => h('tr', {
    class: `result${state.selected === i ? ' selected' : ''}`, 'data-testid': 'result', tabindex: 0,
    onclick: () => {
      state.selected = state.selected === i ? undefined : i;
      renderPanel();
    },
  }, h('td', {}, nameOf(r), h('div', { class: 'sub' }, r.subject.id)), h('td', {}, r.cite, h('div', { class: 'sub' }, r.rule)), h('td', {}, h('span', { class: `badge s-${r.status}` }, STATUS_LABELS[r.status][state.lang]))));
  const sel = state.selected !== undefined ? shown[state.selected] : undefined;
  const filterSelect = h('select', {
    'data-testid': 'result-filter', 'aria-label': w().filter,
    onchange: (e: Event) => {
      state.filter = (e.target as HTMLSelectElement).value as Filter;
      state.selected = undefined;
      renderPanel();
    },
  }, h('option', { value: 'attention', selected: state.filter === 'attention' }, w().attention), h('option', { value: 'all', selected: state.filter === 'all' }, w().all),
  ...STATUSES.map((s) => h('option', { value: s, selected: state.filter === s }, STATUS_LABELS[s][state.lang])));
  replace(body, head,
    h('div', { class: 'filter' }, h('label', {}, w().filter, ' ', filterSelect)),
    sel ? h('div', { class: 'explain', 'data-testid': 'explanation' },
      h('div', { class: 'explain-head' }, h('b', {}, `${nameOf(sel)} · ${sel.cite} ${sel.rule}`), ' ', h('span', { class: `badge s-${sel.status}` }, STATUS_LABELS[sel.status][state.lang])),
      h('p', {}, sel.explanation),
      sel.due ? h('p', { class: 'sub' }, `${w().due}${w().colon}${sel.due}`) : null,
      sel.missing.length ? h('p', { class: 'sub' }, `${w().missing}${w().colon}${sel.missing.join(state.lang === 'zh' ? '、' : ', ')}`) : null,
      h('button', { type: 'button', onclick: () => gotoRule(policy, sel.rule) }, w().goToRule)) : null,
    rows.length ? h('table', { class: 'results' }, h('thead', {}, h('tr', {}, h('th', {}, w().subject), h('th', {}, w().rule), h('th', {}, w().status))), h('tbody', {}, ...rows)) : h('p', { class: 'note' }, w().noResults),
    shown.length > LIMIT ? h('p', { class: 'note' }, w().moreResults(shown.length - LIMIT)) : null);
}

// ───────────────────────── tests ─────────────────────────

/**
 * Runs the version's tests on the server, as `clausal test` does, with the unsaved buffers of
 * every rule file sent along (a base version's too): the result is for the rules on screen.
 */
async function runTests(): Promise<void> {
  if (testRun?.running) return;
  const run: TestRunState = { dir: state.dir, lang: state.lang, running: true, stale: false };
  testRun = run;
  renderPanel();
  const edits = model.dirtyFiles().map((path) => ({ path, text: model.text(path) ?? '' }));
  try {
    const res = await fetch('/api/test', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ dir: run.dir, lang: run.lang, edits }) });
    const body = (await res.json().catch(() => ({}))) as TestAnswer & { error?: { message: Record<Lang, string> } };
    if (res.ok) run.answer = body;
    else run.error = body.error?.message[state.lang] ?? `HTTP ${res.status}`;
  } catch (e) {
    run.error = String(e);
  }
  run.running = false;
  if (testRun !== run) return;
  pushDiagnostics();
  if (state.tab === 'test') renderPanel();
}

/** Test files' texts, fetched when a failure's place is first opened (they are not in the editor). */
const testTexts = new Map<string, string>();

/** Shows the lines of a test file around `line` under the failure whose place was clicked. */
async function showTestLines(button: HTMLElement, file: string, line: number): Promise<void> {
  const card = button.closest('.test-failure');
  const open = card?.querySelector('[data-testid=failure-source]');
  if (open) return open.remove();
  let text = testTexts.get(file);
  if (text === undefined) {
    try {
      text = (await fetchFile(file)).text;
    } catch {
      return;
    }
    testTexts.set(file, text);
  }
  const lines = text.split('\n');
  const from = Math.max(1, line - 3);
  const to = Math.min(lines.length, line + 6);
  const rows = [];
  for (let n = from; n <= to; n++) rows.push(h('div', { class: n === line ? 'at' : '' }, h('span', { class: 'ln' }, n), lines[n - 1]));
  card?.querySelector('.explain-head')?.after(h('pre', { class: 'test-source', 'data-testid': 'failure-source' }, ...rows));
}

function describedLine(d: Described): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}:${d.column}` : ''} ` : '';
  return `${where}${d.code} ${d.message[state.lang]}`;
}

function renderTests(body: HTMLElement): void {
  const run = testRun && testRun.dir === state.dir ? testRun : undefined;
  // Explanations come in the language the run was made in: run again after a switch.
  if (run && !run.running && run.lang !== state.lang && run.answer) void runTests();
  const button = h('button', { type: 'button', class: 'primary', 'data-testid': 'run-tests', disabled: !!run?.running, onclick: () => void runTests() }, run?.running ? w().testsRunning : w().runTests);
  const answer = run?.answer;
  const summaryText = answer?.text?.trimEnd().split('\n').pop();
  const head = h('div', { class: 'filter test-head' }, button, ' ',
    summaryText ? h('span', { class: `test-summary ${(answer?.report?.summary.failed ?? 0) > 0 || answer?.testDiagnostics?.some((d) => d.severity === 'error') ? 's-violation' : 's-compliant'}`, 'data-testid': 'test-summary', 'data-passed': answer?.report?.summary.passed ?? 0, 'data-failed': answer?.report?.summary.failed ?? 0 }, summaryText) : null);
  if (!run) return replace(body, head, h('p', { class: 'note' }, w().testsIntro));
  const parts: (HTMLElement | null)[] = [head];
  if (run.stale) parts.push(h('p', { class: 'note', 'data-testid': 'tests-stale' }, w().testsStale));
  if (run.error) parts.push(h('p', { class: 'note error', 'data-testid': 'tests-error' }, `${w().testsFailedToRun}${run.error}`));
  if (answer && !answer.ok) {
    parts.push(h('div', { class: 'note error', 'data-testid': 'tests-error' }, w().policyHasErrors, h('ul', {}, ...(answer.policyDiagnostics ?? []).slice(0, 20).map((d) => h('li', {}, describedLine(d))))));
  }
  if (answer?.testDiagnostics?.length) {
    parts.push(h('div', { class: 'note error', 'data-testid': 'test-file-problems' }, w().testFileProblems, h('ul', {}, ...answer.testDiagnostics.slice(0, 50).map((d) => h('li', {}, describedLine(d))))));
  }
  const report = answer?.report;
  if (report) {
    const policy = policyForHelp();
    const st = (s: Status) => h('span', { class: `badge s-${s}` }, STATUS_LABELS[s][state.lang]);
    const failures = report.failures.map((f) => h('div', { class: 'explain test-failure', 'data-testid': 'test-failure', 'data-rule': f.rule, 'data-subject': f.subject.id, 'data-case': f.case },
      h('div', { class: 'explain-head' }, h('b', {}, `${f.subject.kind} ${f.subject.id} · ${f.rule}`), ' ', h('span', { class: 'sub' }, `${w().testCase}「${f.case}」 `),
        h('button', { type: 'button', class: 'link', 'data-testid': 'failure-where', title: w().showTest, onclick: (e: Event) => void showTestLines(e.currentTarget as HTMLElement, f.file, f.line) }, `${f.file}:${f.line}:${f.column}`)),
      h('p', {}, `${w().expected}${w().colon}`, st(f.expected.status), f.expected.due ? ` ${w().due} ${f.expected.due}` : '', ' · ', `${w().actual}${w().colon}`, h('span', { 'data-testid': 'actual-status', 'data-status': f.actual.status }, st(f.actual.status)), f.actual.due ? ` ${w().due} ${f.actual.due}` : ''),
      ...Object.entries(f.expected.explanation ?? {}).map(([l, frags]) => h('p', { class: 'sub' }, `${w().notFoundIn(l)}${w().colon}`, (frags ?? []).map((x) => `「${x}」`).join(' '))),
      f.expected.value !== undefined ? h('p', { class: 'sub' }, `${w().value}${w().colon}${f.expected.value} → ${f.actual.value ?? '—'}`) : null,
      f.expected.shortfall !== undefined ? h('p', { class: 'sub' }, `${w().shortfall}${w().colon}${f.expected.shortfall ?? '—'} → ${f.actual.shortfall ?? '—'}`) : null,
      h('p', {}, f.actual.explanation),
      policy?.rules.some((r) => r.id === f.rule) ? h('button', { type: 'button', 'data-testid': 'failure-goto', onclick: () => gotoRule(policy, f.rule) }, w().goToRule) : null));
    const rows = report.cases.map((c) => h('tr', { 'data-testid': 'test-case', 'data-name': c.name, 'data-result': c.failed ? 'fail' : 'pass' },
      h('td', {}, c.name, h('div', { class: 'sub' }, `${c.file}:${c.line} · ${w().asOf} ${c.asOf}`)),
      h('td', {}, h('span', { class: `badge ${c.failed ? 's-violation' : 's-compliant'}` }, c.failed ? w().caseFailed(c.failed, c.checks) : w().casePassed(c.checks)))));
    if (failures.length) parts.push(h('h3', {}, w().failures), ...failures);
    parts.push(h('h3', {}, w().testCases), h('table', { class: 'results' }, h('thead', {}, h('tr', {}, h('th', {}, w().testCase), h('th', {}, w().result))), h('tbody', {}, ...rows)));
  }
  replace(body, ...parts);
}

function renderDiff(body: HTMLElement): void {
  const others = model.policies.filter((p) => p.dir !== state.dir);
  if (state.diffBase !== 'saved' && !others.some((p) => p.dir === state.diffBase)) state.diffBase = 'saved';
  const baseSelect = h('select', {
    'data-testid': 'diff-base', 'aria-label': w().diffBase,
    onchange: (e: Event) => {
      state.diffBase = (e.target as HTMLSelectElement).value;
      renderPanel();
    },
  }, h('option', { value: 'saved', selected: state.diffBase === 'saved' }, w().baseSaved), ...others.map((p) => h('option', { value: p.dir, selected: state.diffBase === p.dir }, w().baseVersion(p.dir))));
  const head = h('div', { class: 'filter' }, h('label', {}, w().diffBase, ' ', baseSelect));
  const oldLoaded = state.diffBase === 'saved' ? model.compile(state.dir, 'disk') : model.compile(state.diffBase, 'edited');
  const newLoaded = current();
  if (!oldLoaded.policy || !newLoaded.policy || hasErrors(oldLoaded.diagnostics) || hasErrors(newLoaded.diagnostics)) {
    return replace(body, head, h('p', { class: 'note' }, w().cannotDiff));
  }
  const oldPolicy = oldLoaded.policy;
  const newPolicy = newLoaded.policy;
  const diff = diffPolicies(oldPolicy, newPolicy);
  let impactBox: HTMLElement = h('p', { class: 'note' }, w().noImpactFacts);
  if (state.factsPath) {
    const a = factsFor(oldPolicy, state.factsPath);
    const b = factsFor(newPolicy, state.factsPath);
    if (a === 'loading' || b === 'loading') impactBox = h('p', { class: 'note' }, w().loading);
    else if (a !== 'failed' && b !== 'failed') {
      const problem = factsProblem(a, state.factsPath) ?? factsProblem(b, state.factsPath);
      if (problem || !a.facts || !b.facts) impactBox = problem ?? h('p', {});
      else {
        const impact = computeImpact({ diff, oldPolicy, newPolicy, oldFacts: a.facts, newFacts: b.facts, asOf: state.asOf });
        const st = (s: Status) => h('span', { class: `badge s-${s}` }, STATUS_LABELS[s][state.lang]);
        impactBox = h('div', { class: 'impact' },
          h('p', { class: 'impact-count', 'data-testid': 'impact-count', 'data-count': impact.changedSubjects }, w().impactCount(impact.changedSubjects, impact.subjects)),
          impact.transitions.length ? h('table', { class: 'results' },
            h('thead', {}, h('tr', {}, ...w().transitionCols.map((c) => h('th', {}, c)))),
            h('tbody', {}, ...impact.transitions.map((t) => h('tr', { 'data-testid': 'transition' },
              h('td', {}, (state.lang === 'en' ? t.kindLabel?.en : t.kindLabel?.zh) ?? t.kind), h('td', {}, st(t.from)), h('td', {}, st(t.to)),
              h('td', {}, t.subjects), h('td', {}, t.results), h('td', {}, t.byRule.map((r) => `${r.rule} (${r.results})`).join(', ')))))) : null);
      }
    }
  }
  const text = diffToText({ diff, lang: state.lang });
  replace(body, head,
    h('h3', {}, w().impact), impactBox,
    h('h3', {}, w().semanticDiff), h('pre', { class: 'diff', 'data-testid': 'diff-text' }, text));
}

// ───────────────────────── actions ─────────────────────────

function refresh(): void {
  renderProblems();
  renderFiles();
  pushDiagnostics();
  // An open report is redrawn only when it changed: a new srcdoc reloads the frame.
  if (state.tab === 'eval' && state.evalView === 'report' && el.panel.querySelector('iframe') && currentReportHtml() === shownSrcdoc) return;
  renderPanel();
}

function selectPolicy(dir: string): void {
  if (state.path) states.set(state.path, view.state);
  state.dir = dir;
  state.cursorRules = [];
  const p = model.policies.find((x) => x.dir === dir);
  state.path = undefined;
  if (p?.files[0]) openFile(p.files[0]);
  renderAll();
}

function renderAll(): void {
  renderHeader();
  renderFiles();
  renderEditorBar();
  renderProblems();
  pushDiagnostics();
  renderPanel();
}

async function fetchFile(path: string): Promise<{ text: string; hash: string }> {
  const res = await fetch(`/api/file?path=${encodeURIComponent(path)}`);
  if (!res.ok) throw new Error(`${res.status}`);
  return (await res.json()) as { text: string; hash: string };
}

function setMessage(kind: 'ok' | 'error' | 'info', text: string, clearAfter?: number): void {
  state.message = { kind, text };
  renderProblems();
  if (clearAfter) {
    window.setTimeout(() => {
      if (state.message?.text === text) {
        state.message = undefined;
        renderProblems();
      }
    }, clearAfter);
  }
}

/** The names `clausal test` reads (as isTestFileName, which lives in a Node-only module). */
const TEST_FILE = /^(?:.+\.)?tests\.ya?ml$/;

/** Saves the active file; `overHash` overwrites a version changed on disk (after a conflict). */
async function save(overHash?: string): Promise<void> {
  const path = state.path;
  if (!path || (!model.isDirty(path) && overHash === undefined)) return;
  const text = model.text(path) ?? '';
  // Saving a file that does not parse would leave the policy unloadable for every other tool.
  // A test file is checked by the server (well-formed YAML); the test run says the rest.
  const parseErrors = TEST_FILE.test(path.slice(path.lastIndexOf('/') + 1)) ? [] : parseRuleFile({ path, text }).diagnostics.filter((d) => d.severity === 'error');
  if (parseErrors.length) {
    const at = lineCol(parseErrors[0]);
    setMessage('error', `${w().notParsed}${at ? `${at.line}:${at.column} ` : ''}${parseErrors[0].code} ${diagnosticText(parseErrors[0])}`);
    return;
  }
  setMessage('info', w().saving);
  let res: Response;
  try {
    res = await fetch('/api/file', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ path, text, hash: overHash ?? model.diskHash(path) }),
    });
  } catch (e) {
    setMessage('error', `${w().saveFailed}${String(e)}`);
    return;
  }
  const body = (await res.json().catch(() => ({}))) as {
    hash?: string;
    current?: { text: string; hash: string };
    error?: { code: string | null; message: Record<Lang, string> };
    diagnostics?: { line?: number; column?: number; code: string; message: Record<Lang, string> }[];
  };
  if (res.ok && body.hash) {
    state.conflict = undefined;
    model.setDisk(path, text, body.hash);
    setMessage('ok', `${w().saved}${w().colon}${path}`, 4000);
    renderFiles();
    renderEditorBar();
    refresh();
    return;
  }
  if (res.status === 409 && body.current) {
    // The bar above the editor says what happened and offers the two ways out.
    state.conflict = { path, text: body.current.text, hash: body.current.hash };
    state.message = undefined;
    renderEditorBar();
    renderProblems();
    return;
  }
  const first = body.diagnostics?.[0];
  const detail = first ? ` ${first.line}:${first.column} ${first.code} ${first.message[state.lang]}` : '';
  setMessage('error', `${w().saveFailed}${body.error?.message[state.lang] ?? res.status}${detail}`);
}

function reloadFromDisk(conflict: { path: string; text: string; hash: string }): void {
  state.conflict = undefined;
  model.setDisk(conflict.path, conflict.text, conflict.hash);
  if (state.path === conflict.path) view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: conflict.text } });
  else states.delete(conflict.path);
  state.message = undefined;
  renderAll();
}

// ───────────────────────── start ─────────────────────────

async function start(): Promise<void> {
  const root = document.getElementById('app')!;
  let data: WorkspaceData;
  try {
    const res = await fetch('/api/workspace');
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    data = (await res.json()) as WorkspaceData;
  } catch (e) {
    replace(root, h('p', { class: 'note error' }, w().loadFailed, String(e)));
    return;
  }
  model = new WorkspaceModel(data);
  // The first version in the list is the oldest by name; a family is usually edited at its newest
  // committed version, but the first keeps the choice predictable.
  const first = data.policies[0];
  state.dir = first?.dir ?? '.';
  state.factsPath = data.facts.find((f) => /province/.test(f.path))?.path ?? data.facts[0]?.path;
  view = new EditorView({ parent: el.editorHost });
  root.className = 'app';
  replace(root, el.header,
    h('div', { class: 'main' },
      h('aside', { class: 'side' }, el.files, el.problems),
      h('section', { class: 'center' }, el.editorBar, el.editorHost),
      el.panel));
  if (first?.files[0]) openFile(first.files[0]);
  renderAll();
  window.addEventListener('beforeunload', (e) => {
    if (model.dirtyFiles().length) e.preventDefault();
  });
}

void start();
