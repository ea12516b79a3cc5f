/**
 * The policy workbench in a real browser (Debian's chromium driven by playwright-core), as a
 * policy officer uses it for the "change the quota" walk-through: open the bundled policy,
 * break a rule and see the diagnostic at its line, fix it, raise 70% to 75% and watch the
 * impact count change, save, and find the change on disk. Also: a file changed on disk is not
 * overwritten silently, the evaluation panel embeds the HTML report and explains a result, the
 * source panel links passages to rules, English is one click away, and the page requests
 * nothing but its own server. Screenshots go to test/artifacts/ (git-ignored).
 *
 * The app is built fresh into a temporary directory (scripts/build-workbench.js), so the test
 * checks the sources, not whatever dist/ holds. Without /usr/bin/chromium this file fails on
 * purpose: .ci/run installs the package when it is missing.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkbench, type RunningWorkbench } from '../../src/serve/server.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = resolve('test/artifacts/workbench');

const work = mkdtempSync(join(tmpdir(), 'clausal-workbench-'));
const root = join(work, 'yunnan-social-work');
const assets = join(work, 'app');
let wb: RunningWorkbench;
let browser: Browser;
let page: Page;
const problems: string[] = [];
const foreign: string[] = [];
const figures: Record<string, number> = {};

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the workbench is tested in a real browser. Install Debian's package (apt-get install -y chromium); .ci/run does so when it is absent.`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const started = Date.now();
  const build = spawnSync(process.execPath, ['scripts/build-workbench.js', '--out', assets], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the workbench failed:\n${build.stdout}\n${build.stderr}`);
  figures.buildMs = Date.now() - started;
  figures.appJsBytes = statSync(join(assets, 'app.js')).size;
  // Never the committed policy: the walk-through saves into this copy.
  cpSync('policies/yunnan-social-work', root, { recursive: true });
  wb = await startWorkbench({ root, port: 0, assetsDir: assets });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // The conflict step's 409 is the server doing its job; the browser logs every non-2xx answer.
    if ((m.type() === 'error' || m.type() === 'warning') && !m.text().includes('409 (Conflict)')) problems.push(`${m.type()}: ${m.text()}`);
  });
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(wb.url) || url.startsWith('about:') || url.startsWith('data:')) return route.continue();
    foreign.push(url);
    return route.abort();
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await wb?.close();
  writeFileSync(join(ARTIFACTS, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
});

/** Polls with room for a busy CI machine (the page re-checks 200 ms after the last keystroke). */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });

/** The 1-based line of the first line containing `needle` in a file of the copy. */
function lineOf(path: string, needle: string): number {
  const lines = readFileSync(join(root, path), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} not in ${path}`);
  return i + 1;
}

async function openFile(path: string): Promise<void> {
  await page.click(`[data-testid=file][data-path="${path}"]`);
  await poll(() => page.textContent('[data-testid=current-path]')).toBe(path);
}

async function impactCount(): Promise<number> {
  const el = page.locator('[data-testid=impact-count]');
  await el.waitFor();
  return Number(await el.getAttribute('data-count'));
}

describe('the workbench in Chromium', () => {
  it('opens the policy: files, a clean check, the source with its coverage', async () => {
    const t0 = Date.now();
    await page.goto(wb.url);
    await page.waitForSelector('[data-testid=para]');
    figures.openMs = Date.now() - t0;
    await poll(() => page.textContent('[data-testid=status]')).toContain('检查通过');
    expect(await page.locator('[data-testid=file]').count()).toBe(9); // eight rule files and tests.yaml
    expect(await page.locator('[data-testid=problem]').count()).toBe(0);
    // Every kind of paragraph is visible, the encoded ones linked to their rules.
    for (const s of ['encoded', 'not_checkable', 'front_matter', 'heading']) {
      expect(await page.locator(`[data-testid=para][data-state=${s}]`).count(), s).toBeGreaterThan(0);
    }
    await page.fill('[data-testid=as-of]', '2023-03-01');
    await page.dispatchEvent('[data-testid=as-of]', 'change');
    await shot('01-open');
  });

  it('links a passage of the source to its rule, and the rule back to its passage', async () => {
    await page.click('[data-testid=rule-link][data-rule="civil-affairs-post-share"]');
    await poll(() => page.textContent('[data-testid=current-path]')).toBe('2021/30-posts.clause');
    const para = page.locator('[data-testid=para].active');
    await poll(() => para.count()).toBeGreaterThan(0);
    expect(await para.first().getAttribute('data-rules')).toContain('civil-affairs-post-share');
    expect(await para.first().locator('mark').textContent()).toContain('不低于专业技术岗位总量的70%');
  });

  it('shows a diagnostic at the right line while the rule is broken, and none once it is fixed', async () => {
    await openFile('2021/30-posts.clause');
    const line = lineOf('2021/30-posts.clause', 'must i.posts.social_work >= civil_affairs_share');
    await page.locator('.cm-line', { hasText: 'must i.posts.social_work >= civil_affairs_share' }).getByText('civil_affairs_share').dblclick();
    await page.keyboard.type('civil_affairs_shar');
    const problem = page.locator('[data-testid=problem][data-code=C0001]');
    await problem.waitFor();
    expect(await problem.getAttribute('data-line')).toBe(String(line));
    expect(await problem.textContent()).toContain('未知名称 `civil_affairs_shar`');
    expect(await problem.textContent()).toContain(`30-posts.clause:${line}:`);
    await poll(() => page.locator('.cm-lintRange-error').count()).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid=status]')).toContain('1 个错误');
    await page.locator('.cm-lintRange-error').first().hover();
    await page.locator('.cm-tooltip-lint').waitFor();
    expect(await page.textContent('.cm-tooltip-lint')).toContain('C0001');
    await shot('02-diagnostic');
    // Fixed by typing the name right: the buffer is the file on disk again, nothing to save.
    await page.locator('.cm-line', { hasText: 'must i.posts.social_work >= civil_affairs_shar' }).getByText('civil_affairs_shar').dblclick();
    await page.keyboard.type('civil_affairs_share');
    await poll(() => page.locator('[data-testid=problem]').count()).toBe(0);
    await poll(() => page.textContent('[data-testid=status]')).toContain('检查通过');
    expect(await page.locator('[data-testid=save]').isDisabled()).toBe(true);
  });

  it('raises the quota to 75% and shows the impact change live', async () => {
    await page.click('[data-testid=tab-diff]');
    expect(await impactCount()).toBe(0);
    await openFile('2021/10-params.clause');
    await page.locator('.cm-line', { hasText: 'param civil_affairs_share' }).getByText('70%').dblclick();
    await page.keyboard.type('75');
    await poll(impactCount).toBeGreaterThan(0);
    figures.impactSubjects = await impactCount();
    expect(await page.textContent('[data-testid=diff-text]')).toContain('70% → 75%');
    expect(await page.locator('[data-testid=transition]').first().textContent()).toContain('civil-affairs-post-share');
    await shot('03-impact');
    // Hovering the parameter shows the value now in force.
    await page.locator('.cm-line', { hasText: 'param civil_affairs_share' }).getByText('civil_affairs_share').hover();
    await page.locator('[data-testid=hover]').waitFor();
    expect(await page.textContent('[data-testid=hover]')).toContain('2023-03-01 时的取值：75%');
    await shot('04-hover');
  });

  it('saves the change to disk, atomically and only that change', async () => {
    const before = readFileSync(join(root, '2021/10-params.clause'), 'utf8');
    await page.click('[data-testid=save]');
    await poll(() => page.textContent('[data-testid=status]')).toContain('已保存');
    const after = readFileSync(join(root, '2021/10-params.clause'), 'utf8');
    expect(after).toBe(before.replace(/(param civil_affairs_share:[^\n]*= )70%/, '$175%'));
    expect(after).not.toBe(before);
    // Against the saved files there is nothing left to show.
    await poll(impactCount).toBe(0);
    // The committed policy is untouched.
    expect(readFileSync('policies/yunnan-social-work/2021/10-params.clause', 'utf8')).toContain('= 70%');
  });

  it('does not overwrite a file changed on disk meanwhile', async () => {
    const path = join(root, '2021/10-params.clause');
    const theirs = `${readFileSync(path, 'utf8')}# 另一位同事的修改\n`;
    writeFileSync(path, theirs);
    await page.locator('.cm-line', { hasText: 'param civil_affairs_share' }).getByText('75%').dblclick();
    await page.keyboard.type('80');
    await page.keyboard.press('Control+s');
    await page.locator('[data-testid=conflict]').waitFor();
    expect(readFileSync(path, 'utf8')).toBe(theirs);
    await shot('05-conflict');
    await page.click('[data-testid=conflict-reload]');
    await poll(() => page.locator('[data-testid=conflict]').count()).toBe(0);
    expect(await page.locator('.cm-content').textContent()).toContain('另一位同事的修改');
    expect(readFileSync(path, 'utf8')).toBe(theirs);
  });

  it('evaluates: the HTML report in a frame, and a result with its explanation', async () => {
    await page.click('[data-testid=tab-eval]');
    const frame = page.frameLocator('[data-testid=report-frame]');
    await frame.locator('html[data-ready]').waitFor({ timeout: 30_000 });
    expect(await frame.locator('h1').textContent()).toContain('关于加强社会工作专业岗位开发与人才激励保障的实施意见');
    const violations = Number(await page.getAttribute('[data-testid=summary-violation]', 'data-count'));
    expect(violations).toBeGreaterThan(0);
    await shot('06-report');
    await page.click('[data-testid=view-results]');
    await page.locator('[data-testid=result]').first().click();
    const explanation = page.locator('[data-testid=explanation]');
    await explanation.waitFor();
    expect((await explanation.textContent())!.length).toBeGreaterThan(20);
    await shot('07-explanation');
  });

  it('switches to English', async () => {
    await page.click('[data-testid=lang-toggle]');
    await poll(() => page.textContent('[data-testid=tab-eval]')).toBe('Evaluate');
    expect(await page.textContent('[data-testid=status]')).toContain('Checked');
    await page.click('[data-testid=tab-source]');
    await shot('08-english');
    await page.click('[data-testid=lang-toggle]');
    await poll(() => page.textContent('[data-testid=tab-eval]')).toBe('评估');
  });

  it('logged no errors, broke no CSP rule, and requested nothing from elsewhere', () => {
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
  });
});
