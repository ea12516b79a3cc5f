/**
 * The self-check page (`clausal bundle`) in a real browser, opened from a `file://` URL the way
 * an officer opens it from disk: Debian's chromium driven by playwright-core. It is given the
 * facts of two prefectures as a workbook in zh labels and as a GBK CSV set (CRLF), and must
 * show and download the same results as `clausal eval --format json|html` for the same files;
 * it must never make a network request nor break its Content-Security-Policy.
 *
 * Without /usr/bin/chromium this file fails on purpose: a skipped browser test reads as green.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { columnHeader, memberText, sheetName, templateColumns } from '../../src/loader/facts-template.js';
import { STATUS_LABELS } from '../../src/report/labels.js';
import type { Policy } from '../../src/model/types.js';
import { csvSetOf, valueAt } from '../helpers/csv-set.js';
import { encodeGbk } from '../helpers/gbk.js';
import { runCli } from '../helpers/policy.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const POLICY = 'policies/yunnan-social-work/2021';
const EXAMPLE = 'policies/yunnan-social-work/examples/province.yaml';
const AS_OF = '2022-06-01';
const MAX_PAGE_BYTES = 3 * 1024 * 1024;
const ARTIFACTS = resolve('test/artifacts');

type Data = Record<string, Record<string, unknown>[]>;

const dir = mkdtempSync(join(tmpdir(), 'clausal-selfcheck-'));
const policy: Policy = loadPolicy(POLICY).policy!;
const pagePath = join(dir, '自查.html');
let browser: Browser;

/** The example province cut to 昆明市 (5301…) and 怒江州 (5333…), with the province above them. */
function twoPrefectures(): Data {
  const all = parseYaml(readFileSync(EXAMPLE, 'utf8')) as Data;
  const inside = (id: unknown) => typeof id === 'string' && (id === '530000' || id.startsWith('5301') || id.startsWith('5333'));
  const institutions = all.institutions.filter((i) => inside(i.region));
  const kept = new Set(institutions.map((i) => i.id));
  return { regions: all.regions.filter((r) => inside(r.id)), institutions, workers: all.workers.filter((w) => kept.has(w.institution as string)) };
}

/** The facts as an officer's workbook: sheets, headers and enum values in the zh labels. */
async function zhWorkbook(data: Data): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  for (const kind of policy.kinds.values()) {
    const ws = wb.addWorksheet(sheetName(kind, 'zh'));
    const cols = templateColumns(kind);
    ws.addRow(cols.map((f) => columnHeader(f, 'zh')));
    for (const s of data[kind.listKey] ?? []) {
      ws.addRow(cols.map((f) => {
        const v = valueAt(s, f === 'id' ? 'id' : f.path);
        if (v === undefined || f === 'id') return v;
        if (v === null) return '无';
        if (f.isRecord) return undefined;
        if (f.type.t === 'enum') return memberText(policy.enums.get(f.type.name)!, String(v), 'zh');
        if (f.type.t === 'date') return new Date(`${v}T00:00:00Z`);
        if (typeof v === 'boolean') return v ? '是' : '否';
        if (Array.isArray(v)) return v.join('；');
        return v;
      }));
    }
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

interface Opened {
  page: Page;
  problems: string[];
  requests: string[];
}

/** The page from disk, every request that is not the file itself refused and recorded. */
async function open(): Promise<Opened> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === pathToFileURL(pagePath).href) return route.continue();
    requests.push(url);
    return route.abort();
  });
  // Runs before the page's scripts, in every frame: CSP violations become test failures.
  await page.addInitScript({ content: "document.addEventListener('securitypolicyviolation', (e) => console.error('csp: ' + e.violatedDirective + ' ' + e.blockedURI));" });
  await page.goto(pathToFileURL(pagePath).href);
  await page.waitForSelector('#app[data-state]');
  return { page, problems, requests };
}

async function setAsOf(page: Page, date: string): Promise<void> {
  await page.fill('#as-of', date);
  await page.dispatchEvent('#as-of', 'change');
}

/** Waits for the run to finish and returns the downloaded JSON text. */
async function downloaded(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  const file = join(dir, `dl-${Date.now()}-${download.suggestedFilename()}`);
  await download.saveAs(file);
  return { name: download.suggestedFilename(), text: readFileSync(file, 'utf8') };
}

async function cards(page: Page): Promise<Record<string, number>> {
  return page.$$eval('#summary [data-status]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-status')!, Number(e.querySelector('.n')!.textContent)])));
}

const data = twoPrefectures();
const workbook = join(dir, '昆明-怒江.xlsx');
const csvDir = join(dir, 'csv-gbk');
const yamlFacts = join(dir, 'two.yaml');
let bundled: { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the self-check page is tested in a real browser. Install Debian's package (apt-get install -y chromium fonts-noto-cjk).`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  // The page's code as the current sources build it (the file `clausal bundle` inlines).
  const build = spawnSync(process.execPath, ['scripts/build-selfcheck.js'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build-selfcheck failed: ${build.stderr}`);
  writeFileSync(workbook, await zhWorkbook(data));
  mkdirSync(csvDir, { recursive: true });
  for (const [list, text] of csvSetOf(policy, data)) writeFileSync(join(csvDir, `${list}.csv`), encodeGbk(text));
  writeFileSync(yamlFacts, stringifyYaml(data));
  bundled = await runCli(['bundle', POLICY, '--out', pagePath]);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('clausal bundle: the self-check page in Chromium from file://', () => {
  it('writes one HTML file under 3 MB that states the policy, the engine and the content digest', async () => {
    const r = bundled;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const size = statSync(pagePath).size;
    expect(size).toBeLessThan(MAX_PAGE_BYTES);
    writeFileSync(join(ARTIFACTS, 'selfcheck-size.txt'), `${size}\n`);
    const digest = /sha256:[0-9a-f]{64}/.exec(r.stdout)?.[0];
    expect(digest).toBeDefined();
    // The digest names the rules, not where they were bundled from.
    const again = await runCli(['bundle', resolve(POLICY), '--out', join(dir, 'again.html'), '--lang', 'en']);
    expect(/sha256:[0-9a-f]{64}/.exec(again.stdout)?.[0]).toBe(digest);
    const { page, problems, requests } = await open();
    expect(await page.textContent('#m-policy')).toBe('yunnan-social-work');
    expect(await page.textContent('#m-version')).toBe('2021');
    expect(await page.textContent('#m-engine')).toBe('clausal 0.1.0');
    expect(await page.textContent('#m-hash')).toBe(digest);
    expect(await page.getAttribute('#app', 'data-state')).toBe('empty');
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('a zh-label workbook of two prefectures: the same JSON and HTML report as the CLI, fetching nothing', async () => {
    const cliJson = await runCli(['eval', POLICY, '--facts', workbook, '--as-of', AS_OF, '--format', 'json']);
    expect(cliJson.stderr).toBe('');
    const fromYaml = await runCli(['eval', POLICY, '--facts', yamlFacts, '--as-of', AS_OF, '--format', 'json']);
    // The workbook says what the YAML says (else the comparison below would prove little).
    expect(cliJson.stdout).toBe(fromYaml.stdout);
    const cli = JSON.parse(cliJson.stdout) as { results: unknown[]; summary: Record<string, number> };
    expect(cli.results.length).toBeGreaterThan(300);

    const { page, problems, requests } = await open();
    await setAsOf(page, AS_OF);
    await page.setInputFiles('#facts-input', workbook);
    await page.waitForSelector('#app[data-state=done]', { timeout: 30_000 });
    const shown = await cards(page);
    for (const [status, n] of Object.entries(shown)) expect(n, status).toBe(cli.summary[status]);
    expect(shown.violation).toBeGreaterThan(0);
    expect(await page.textContent('#summary [data-status=violation] .k')).toBe(STATUS_LABELS.violation.zh);

    const json = await downloaded(page, '#dl-json');
    expect(json.name).toBe(`自查结果-yunnan-social-work-2021-${AS_OF}.json`);
    expect(json.text).toBe(cliJson.stdout);
    const html = await downloaded(page, '#dl-html');
    const cliHtml = await runCli(['eval', POLICY, '--facts', workbook, '--as-of', AS_OF, '--format', 'html']);
    expect(html.text).toBe(cliHtml.stdout);

    // The issue list officers forward: the same workbook `eval --format xlsx` writes, read back.
    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.click('#dl-xlsx')]);
    expect(xlsxDownload.suggestedFilename()).toBe(`问题清单-yunnan-social-work-2021-${AS_OF}.xlsx`);
    const xlsxFile = join(dir, 'page-issues.xlsx');
    await xlsxDownload.saveAs(xlsxFile);
    const cliXlsxFile = join(dir, 'cli-issues.xlsx');
    const cliXlsx = await runCli(['eval', POLICY, '--facts', workbook, '--as-of', AS_OF, '--format', 'xlsx', '--out', cliXlsxFile]);
    expect(cliXlsx.code).toBe(0);
    const sheetsOf = async (file: string) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(file);
      return wb.worksheets.map((ws) => {
        const rows: unknown[][] = [];
        ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
        return { name: ws.name, rows };
      });
    };
    const fromPage = await sheetsOf(xlsxFile);
    expect(fromPage).toEqual(await sheetsOf(cliXlsxFile));
    const issues = (cli.results as { status: string }[]).filter((r) => ['violation', 'pending', 'unknown'].includes(r.status)).length;
    expect(fromPage.find((s) => s.name === '问题清单')?.rows.length).toBe(issues + 1);

    // The report itself, drawn in its sandboxed frame under the page's policy.
    const frame = page.frameLocator('#report');
    await frame.locator('html[data-ready]').waitFor({ timeout: 30_000 });
    expect(await frame.locator('#m-asof').textContent()).toBe(AS_OF);

    // Missing facts: one row per fact an unknown result waits for.
    const unknownPaths = new Set((cli.results as { status: string; missing: string[] }[]).filter((r) => r.status === 'unknown').flatMap((r) => r.missing));
    const rows = await page.$$eval('#missing tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-path')));
    expect(new Set(rows)).toEqual(unknownPaths);
    // …and where in the workbook to fill each in, as the CLI's reports name it.
    expect(await page.textContent('#missing tbody tr[data-path="regions[530111].sw_in_performance_targets"]')).toMatch(/昆明-怒江\.xlsx 地区!L\d+（纳入绩效目标管理）/);

    await page.screenshot({ path: join(ARTIFACTS, 'selfcheck-workbook.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('a GBK CSV set with CRLF: decoded (shown as GBK), the same results as the CLI, and in English on request', async () => {
    const cliJson = await runCli(['eval', POLICY, '--facts', csvDir, '--as-of', AS_OF, '--format', 'json', '--lang', 'en']);
    expect(cliJson.stderr).toBe('');
    const { page, problems, requests } = await open();
    await page.selectOption('#lang', 'en');
    await setAsOf(page, AS_OF);
    await page.setInputFiles('#facts-input', [...policy.kinds.values()].map((k) => join(csvDir, `${k.listKey}.csv`)));
    await page.waitForSelector('#app[data-state=done]', { timeout: 30_000 });
    expect(await page.$$eval('#file-list li', (lis) => lis.map((li) => li.getAttribute('data-encoding')))).toEqual(['gb18030', 'gb18030', 'gb18030']);
    expect(await page.textContent('#summary [data-status=violation] .k')).toBe(STATUS_LABELS.violation.en);
    const json = await downloaded(page, '#dl-json');
    expect(json.text).toBe(cliJson.stdout);
    // The missing facts are named by their labels, not mojibake.
    expect(await page.textContent('#missing')).toMatch(/[\u4e00-\u9fff]/);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('bad facts: the CLI\'s messages with file, row and column, and no results', async () => {
    const bad = join(dir, 'bad');
    mkdirSync(bad, { recursive: true });
    const set = csvSetOf(policy, data);
    writeFileSync(join(bad, 'regions.csv'), encodeGbk(set.get('regions')!));
    // The second institution's category is not one the policy knows.
    const lines = set.get('institutions')!.split('\r\n');
    const cols = lines[2].split(',');
    cols[templateColumns(policy.kinds.get('institution')!).findIndex((f) => f !== 'id' && f.path === 'category')] = '城堡';
    lines[2] = cols.join(',');
    writeFileSync(join(bad, 'institutions.csv'), encodeGbk(lines.join('\r\n')));
    const cli = await runCli(['eval', POLICY, '--facts', bad, '--as-of', AS_OF]);
    expect(cli.code).toBe(4);
    const { page, problems, requests } = await open();
    await page.setInputFiles('#facts-input', [join(bad, 'regions.csv'), join(bad, 'institutions.csv')]);
    await page.waitForSelector('#app[data-state=problems]', { timeout: 30_000 });
    const text = (await page.textContent('#problems pre'))!;
    expect(text).toMatch(/^institutions\.csv:3:\d+: error F0005/m);
    expect(text).toContain('城堡');
    // The same message as the CLI's, the folder aside (picked files come without one).
    const cliFirst = cli.stderr.split('\n')[0].replace(`${bad}/`, '').replace('`bad/', '`');
    expect(JSON.stringify(text.split('\n')[0])).toBe(JSON.stringify(cliFirst));
    expect(await page.$('#summary')).toBeNull();
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.context().close();
  }, 60_000);
});
