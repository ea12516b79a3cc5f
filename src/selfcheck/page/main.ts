/**
 * The offline self-check page: an officer picks or drops the facts, chooses the as-of date,
 * and sees the same report as `clausal eval --format html`, the facts still missing, and the
 * results to download. The policy travels inside the page (see `policy-pack.ts`); nothing is
 * fetched or sent. All the logic is in the browser-safe modules next door, tested in Node;
 * this file only wires them to the DOM.
 */
import { hasErrors, type Lang } from '../../model/diagnostics.js';
import { isValidDate } from '../../model/dates.js';
import { STATUSES, type Status } from '../../model/result.js';
import type { Policy } from '../../model/types.js';
import type { BytesFile } from '../../loader/spreadsheet-intake.js';
import { DiagnosticRenderer } from '../../report/diagnostics.js';
import { STATUS_LABELS } from '../../report/labels.js';
import { reportToXlsx } from '../../report/xlsx.js';
import { append, h, replace } from '../../workbench/dom.js';
import { factsFromPickedFiles } from '../facts-intake.js';
import { PAGE_DATA_ID, readPageData, type SelfCheckData } from '../page-data.js';
import { unpackPolicy } from '../policy-pack.js';
import { runSelfCheck, type SelfCheckRun } from '../run-check.js';
import { WORDS, type Words } from './words.js';

interface State {
  lang: Lang;
  asOf: string;
  files: BytesFile[];
  /** Incremented per run, so a slow earlier run never overwrites a later one. */
  run: number;
}

/** Today on this computer, as a calendar date: the page's only reading of the clock. */
function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function download(name: string, content: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started by now; the URL only holds memory.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function start(app: HTMLElement): void {
  const data = readPageData(document.getElementById(PAGE_DATA_ID)?.textContent);
  const unpacked = data ? unpackPolicy(data.packed) : undefined;
  if (!data || !unpacked?.policy || hasErrors(unpacked.diagnostics)) {
    replace(app, h('p', { class: 'fatal' }, WORDS.zh.badPage), h('p', { class: 'fatal' }, WORDS.en.badPage));
    app.dataset.state = 'broken';
    return;
  }
  const state: State = { lang: 'zh', asOf: today(), files: [], run: 0 };
  new PageView(app, data, unpacked.policy, state).render();
}

class PageView {
  private results!: HTMLElement;
  private fileList!: HTMLElement;
  private last?: SelfCheckRun;

  constructor(private readonly app: HTMLElement, private readonly data: SelfCheckData, private readonly policy: Policy, private readonly state: State) {}

  private get w(): Words {
    return WORDS[this.state.lang];
  }

  /** The whole page in the current language; results are recomputed (explanations are worded per language). */
  render(): void {
    const { w, data, state } = this;
    document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
    const title = data.policy.title?.[state.lang] ?? data.policy.title?.zh ?? data.policy.id;
    const input = h('input', { id: 'facts-input', type: 'file', multiple: true, accept: '.xlsx,.csv,.yaml,.yml,.json,.ndjson' });
    input.addEventListener('change', () => void this.pick([...(input.files ?? [])]));
    const drop = h('label', { id: 'drop', class: 'drop' }, h('span', { class: 'button' }, w.pick), ' ', w.drop, input);
    drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      void this.pick([...(e.dataTransfer?.files ?? [])]);
    });
    const asOf = h('input', { id: 'as-of', type: 'date', value: state.asOf, required: true });
    asOf.addEventListener('change', () => {
      if (!isValidDate(asOf.value)) return;
      state.asOf = asOf.value;
      void this.evaluate();
    });
    const lang = h('select', { id: 'lang' }, h('option', { value: 'zh', selected: state.lang === 'zh' }, '中文'), h('option', { value: 'en', selected: state.lang === 'en' }, 'English'));
    lang.addEventListener('change', () => {
      state.lang = lang.value === 'en' ? 'en' : 'zh';
      this.render();
    });
    this.fileList = h('ul', { id: 'file-list', class: 'files' });
    this.results = h('div', { id: 'results' });
    replace(this.app,
      h('header', { class: 'mast' },
        h('p', { class: 'eyebrow' }, w.eyebrow),
        h('h1', {}, title),
        h('dl', { class: 'meta' },
          h('div', {}, h('dt', {}, w.policy), h('dd', { id: 'm-policy' }, data.policy.id)),
          h('div', {}, h('dt', {}, w.version), h('dd', { id: 'm-version' }, data.policy.version)),
          h('div', {}, h('dt', {}, w.engine), h('dd', { id: 'm-engine' }, `clausal ${data.engine}`)),
          h('div', { class: 'wide' }, h('dt', {}, w.hash), h('dd', {},
            h('code', { id: 'm-hash' }, data.hash),
            h('details', {}, h('summary', {}, `${w.files} (${data.files.length})`),
              h('ul', { class: 'hashes' }, ...data.files.map((f) => h('li', {}, h('code', {}, f.sha256.slice(0, 16)), ' ', f.path)))))),
        ),
        h('p', { class: 'offline' }, w.offline)),
      h('main', {},
        h('section', {}, h('h2', {}, w.step1), h('p', { class: 'note' }, w.pickHint), drop,
          h('div', { class: 'row' }, this.fileList, h('button', { type: 'button', id: 'clear', onclick: () => { state.files = []; input.value = ''; void this.evaluate(); } }, w.clear))),
        h('section', {}, h('h2', {}, w.step2),
          h('div', { class: 'row' }, h('label', {}, w.asOf, ' ', asOf), h('label', {}, w.lang, ' ', lang))),
        h('section', {}, h('h2', {}, w.step3), this.results)));
    void this.evaluate();
  }

  private async pick(files: File[]): Promise<void> {
    if (files.length === 0) return;
    this.setState('loading', this.w.loading);
    this.state.files = await Promise.all(files.map(async (f) => ({ path: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
    await this.evaluate();
  }

  private setState(state: string, message?: string): void {
    this.app.dataset.state = state;
    if (message !== undefined) replace(this.results, h('p', { class: 'status' }, message));
  }

  private async evaluate(): Promise<void> {
    const { state, w } = this;
    const run = ++state.run;
    const intake = await factsFromPickedFiles(this.policy, state.files);
    if (run !== state.run) return;
    replace(this.fileList, ...(state.files.length === 0
      ? [h('li', { class: 'none' }, w.noFiles)]
      : state.files.map((f) => {
        const enc = intake.encodings.get(f.path);
        return h('li', { 'data-encoding': enc }, f.path, enc ? h('span', { class: 'enc' }, w.encoding[enc]) : null);
      })));
    if (state.files.length === 0) {
      this.last = undefined;
      this.setState('empty', '');
      return;
    }
    const renderer = new DiagnosticRenderer(intake.texts, state.lang, true);
    const problems = intake.diagnostics.length
      ? h('div', { id: 'problems', class: hasErrors(intake.diagnostics) ? 'problems' : 'notes' },
        h('p', {}, hasErrors(intake.diagnostics) ? w.problems : w.warnings), h('pre', {}, renderer.renderAll(intake.diagnostics)))
      : null;
    if (!intake.facts || hasErrors(intake.diagnostics)) {
      this.last = undefined;
      replace(this.results, problems);
      this.setState('problems');
      return;
    }
    this.setState('running', w.running);
    // Let the browser paint the message before the (synchronous) evaluation.
    await new Promise((r) => setTimeout(r, 0));
    if (run !== state.run) return;
    const result = runSelfCheck(this.policy, intake.facts, state.asOf, state.lang);
    this.last = result;
    this.showResults(result, problems);
    this.setState('done');
  }

  private showResults(result: SelfCheckRun, problems: HTMLElement | null): void {
    const { w, state, data } = this;
    const s = result.report.summary;
    const shown = STATUSES.filter((k) => (s[k] ?? 0) > 0 || k === 'violation' || k === 'pending' || k === 'unknown');
    const stem = `${data.policy.id}-${data.policy.version}-${state.asOf}`;
    const frame = h('iframe', { id: 'report', title: w.reportTitle, sandbox: 'allow-scripts allow-modals' });
    frame.srcdoc = result.html;
    replace(this.results,
      problems,
      h('p', { id: 'done' }, w.done(result.subjects.size, result.report.results.length)),
      h('div', { id: 'summary', class: 'cards' }, ...shown.map((k: Status) =>
        h('div', { class: `card ${k}`, 'data-status': k }, h('span', { class: 'n' }, s[k] ?? 0), h('span', { class: 'k' }, STATUS_LABELS[k][state.lang])))),
      h('div', { class: 'downloads' }, h('span', {}, `${w.downloads}：`),
        h('button', { type: 'button', id: 'dl-json', onclick: () => this.last && download(`自查结果-${stem}.json`, this.last.json, 'application/json') }, w.dlJson),
        h('button', { type: 'button', id: 'dl-html', onclick: () => this.last && download(`自查报告-${stem}.html`, this.last.html, 'text/html') }, w.dlHtml),
        h('button', { type: 'button', id: 'dl-xlsx', onclick: () => void this.downloadIssueList(`问题清单-${stem}.xlsx`) }, w.dlXlsx)),
      this.missingTable(result),
      h('h3', {}, w.reportTitle),
      frame);
  }

  /** The results workbook of `eval --format xlsx` (summary, 问题清单, a sheet per clause), built when asked: exceljs takes a moment. */
  private async downloadIssueList(name: string): Promise<void> {
    const run = this.last;
    if (!run) return;
    const parts = await reportToXlsx(run.reportInput);
    download(name, new Blob(parts as BlobPart[]), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  }

  private missingTable(result: SelfCheckRun): HTMLElement {
    const { w } = this;
    const section = h('section', { id: 'missing' }, h('h3', {}, w.missingTitle));
    if (result.missing.length === 0) {
      append(section, h('p', { class: 'note' }, w.missingNone));
      return section;
    }
    append(section, h('table', {},
      h('thead', {}, h('tr', {}, ...w.missingCols.map((c) => h('th', {}, c)))),
      h('tbody', {}, ...result.missing.map((m) => h('tr', { 'data-path': m.path },
        h('td', {}, m.name ?? ''), h('td', {}, m.id), h('td', {}, m.label ?? m.field), h('td', {}, h('code', {}, m.field)), h('td', {}, m.place ?? ''), h('td', {}, m.cites.join('、')))))));
    return section;
  }
}

const app = document.getElementById('app');
if (app) start(app);
