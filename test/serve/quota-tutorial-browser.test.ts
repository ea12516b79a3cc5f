/**
 * The change-a-quota walk-through of docs/workbench.md ("修改配额：在浏览器中"), performed in
 * Chromium step by step as the page tells an officer to: choose the version, facts and date,
 * run the tests (all pass), hover the parameter, raise 70% to 75% and watch the impact, see the
 * stale-title warning C0311 and follow it, run the tests again (four failures, marked on the
 * rule), make and fix a typo, save, then rewrite tests.yaml as the guide does, run it unsaved
 * (all pass) and save it. Every text the page quotes in backticks for a step is
 * checked twice: it is in the page's step, and the browser shows it. Dates are checked to be
 * shown as YYYY-MM-DD. The test tab runs on the server (POST /api/test); its equality with
 * `clausal test` is test/serve/workbench-tests.test.ts's business.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkbench, type RunningWorkbench } from '../../src/serve/server.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = resolve('test/artifacts/quota-tutorial');

const work = mkdtempSync(join(tmpdir(), 'clausal-quota-'));
const root = join(work, 'yunnan-social-work');
const assets = join(work, 'app');
let wb: RunningWorkbench;
let browser: Browser;
let page: Page;
const problems: string[] = [];

/** The steps of the zh walk-through in docs/workbench.md, by number. */
const STEPS = (() => {
  const doc = readFileSync('docs/workbench.md', 'utf8');
  const section = doc.slice(doc.indexOf('### 修改配额：在浏览器中'), doc.indexOf('### 保存的规则'));
  const steps = new Map<number, string>();
  for (const m of section.matchAll(/^(\d+)\. ([\s\S]*?)(?=^\d+\. |(?![\s\S]))/gm)) steps.set(Number(m[1]), m[2]);
  return steps;
})();

/** The steps of the English walk-through, which names the same places in English words. */
const STEPS_EN = (() => {
  const doc = readFileSync('docs/workbench.md', 'utf8');
  const section = doc.slice(doc.indexOf('### Changing the quota in the browser'), doc.indexOf('### Saving'));
  return new Map([...section.matchAll(/^(\d+)\. ([\s\S]*?)(?=^\d+\. |(?![\s\S]))/gm)].map((m) => [Number(m[1]), m[2]]));
})();

/** A text the page quotes for `step`: it must be there, in backticks, to be checked in the browser. */
function quoted(step: number, text: string): string {
  expect(STEPS.get(step) ?? '', `docs/workbench.md step ${step} quotes \`${text}\``).toContain(`\`${text}\``);
  return text;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/run does).`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const build = spawnSync(process.execPath, ['scripts/build-workbench.js', '--out', assets], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the workbench failed:\n${build.stdout}\n${build.stderr}`);
  cpSync('policies/yunnan-social-work', root, { recursive: true });
  wb = await startWorkbench({ root, port: 0, assetsDir: assets });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  page = await browser.newPage({ viewport: { width: 1500, height: 950 }, locale: 'en-US' });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${m.type()}: ${m.text()}`);
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await wb?.close();
});

const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 100 });
const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
const text = (selector: string) => page.locator(selector).first().textContent().then((t) => t ?? '');

async function openFile(path: string): Promise<void> {
  await page.click(`[data-testid=file][data-path="${path}"]`);
  await poll(() => text('[data-testid=current-path]')).toBe(path);
}

/** Dates in the panel are YYYY-MM-DD: no locale forms (3/1/2023, 2023/3/1, 2023年3月1日). */
async function expectIsoDates(): Promise<void> {
  const shown = await page.locator('.panel').innerText();
  expect(shown).not.toMatch(/\b\d{1,2}\/\d{1,2}\/\d{2,4}\b|\b\d{4}\/\d{1,2}\/\d{1,2}\b|\d{4}年\d{1,2}月\d{1,2}日/);
}

describe('changing the quota in the browser, as docs/workbench.md tells it', () => {
  it('has the ten steps', () => {
    expect([...STEPS.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('1. opens version 2021 with the example province and takes the date as YYYY-MM-DD', async () => {
    await page.goto(wb.url);
    await poll(() => text('[data-testid=status]')).toContain('检查通过');
    expect(await page.inputValue('[data-testid=policy-select]')).toBe(quoted(1, '2021'));
    expect(await page.inputValue('[data-testid=facts-select]')).toBe(quoted(1, 'examples/province.yaml'));
    const asOf = page.locator('[data-testid=as-of]');
    // A date picker would show the browser's locale (this page runs in en-US): the field is text.
    expect(await asOf.getAttribute('type')).toBe('text');
    await asOf.fill('2023/3/1');
    await asOf.dispatchEvent('change');
    expect(await asOf.getAttribute('class')).toContain('invalid');
    // Typed, then straight on to the next step: leaving the field takes the date (its `change`
    // redraws the panel), and the click that left it still lands on the tab.
    await asOf.fill(quoted(1, '2023-03-01'));
  });

  it('2. runs the tests before the change: all pass', async () => {
    await page.click('[data-testid=tab-test]');
    await poll(() => page.getAttribute('[data-testid=tab-test]', 'aria-selected')).toBe('true');
    const asOf = page.locator('[data-testid=as-of]');
    expect(await asOf.getAttribute('class')).not.toContain('invalid');
    expect(await asOf.inputValue()).toBe('2023-03-01');
    await page.click('[data-testid=run-tests]');
    await poll(() => text('[data-testid=test-summary]')).toBe(quoted(2, '测试：1 个文件，42 个用例，176 项断言：通过 176，失败 0'));
    expect(await page.locator('[data-testid=test-case][data-result=fail]').count()).toBe(0);
    expect(await page.locator('[data-testid=test-case][data-result=pass]').count()).toBe(42);
    await expectIsoDates();
    await shot('02-tests-pass');
  });

  it('3. hovers the parameter: 70% in force on the date', async () => {
    await openFile('2021/10-params.clause');
    await page.locator('.cm-line', { hasText: 'param civil_affairs_share' }).getByText('civil_affairs_share').hover();
    await page.locator('[data-testid=hover]').waitFor();
    expect(await text('[data-testid=hover]')).toContain(quoted(3, '2023-03-01 时的取值：70%'));
  });

  it('4. compares with the saved files: nothing changes yet', async () => {
    await page.click('[data-testid=tab-diff]');
    expect(await page.inputValue('[data-testid=diff-base]')).toBe('saved');
    await poll(() => text('[data-testid=impact-count]')).toContain(quoted(4, '状态改变的对象：0 个'));
  });

  it('5. raises 70% to 75%: the diff and the impact change', async () => {
    await page.locator('.cm-line', { hasText: 'param civil_affairs_share' }).getByText('70%').dblclick();
    await page.keyboard.type('75');
    await poll(() => text('[data-testid=impact-count]')).toContain(quoted(5, '状态改变的对象：3 个（共 186 个）'));
    expect(await text('[data-testid=diff-text]')).toContain(quoted(5, '取值：70% → 75%'));
    const transitions = await page.locator('[data-testid=transition]').allTextContents();
    expect(transitions).toHaveLength(1);
    expect(transitions[0]).toContain(quoted(5, '符合'));
    expect(transitions[0]).toContain(quoted(5, '违规'));
    await shot('05-impact');
  });

  it('6. shows the stale-title warning C0311 and follows it to the title', async () => {
    const warning = page.locator(`[data-testid=problem][data-code=${quoted(6, 'C0311')}]`);
    await warning.waitFor();
    expect(await warning.getAttribute('class')).toContain('sev-warning');
    expect(await warning.textContent()).toContain(quoted(6, '30-posts.clause:10:31'));
    await warning.click();
    await poll(() => text('[data-testid=current-path]')).toBe('2021/30-posts.clause');
    await poll(() => text('.cm-activeLine')).toContain('rule civil-affairs-post-share');
  });

  it('7. runs the tests again: four failures, on the rule they check', async () => {
    await page.click('[data-testid=tab-test]');
    expect(await text('[data-testid=tests-stale]')).toContain(quoted(7, '规则已修改'));
    await page.click('[data-testid=run-tests]');
    await poll(() => text('[data-testid=test-summary]')).toContain(quoted(7, '通过 172，失败 4'));
    const failures = page.locator('[data-testid=test-failure]');
    expect(await failures.count()).toBe(4);
    const rule = quoted(7, 'civil-affairs-post-share');
    for (const r of await failures.evaluateAll((els) => els.map((e) => e.getAttribute('data-rule')))) expect(r).toBe(rule);
    const first = (await failures.first().textContent()) ?? '';
    expect(first).toContain(quoted(7, '预期：符合'));
    expect(first).toContain(quoted(7, '实际：待达标'));
    expect(first).toContain('2021/tests.yaml:86:9');
    // The place opens the lines of the test file there (tests.yaml is not in the editor).
    await failures.first().locator('[data-testid=failure-where]').click();
    const lines = failures.first().locator('[data-testid=failure-source]');
    await lines.waitFor();
    expect(await lines.locator('.at').textContent()).toBe(`86${readFileSync(join(root, '2021/tests.yaml'), 'utf8').split('\n')[85]}`);
    await expectIsoDates();
    // The rule is marked in the editor (30-posts.clause is open), with the failure on hover.
    await poll(() => page.locator('.cm-lintRange-error').count()).toBeGreaterThan(0);
    await page.locator('.cm-lintRange-error').first().hover();
    await page.locator('.cm-tooltip-lint').waitFor();
    expect(await text('.cm-tooltip-lint')).toContain('测试失败');
    await openFile('2021/10-params.clause');
    await failures.first().locator('[data-testid=failure-goto]').click();
    await poll(() => text('[data-testid=current-path]')).toBe(`2021/${quoted(7, '30-posts.clause')}`);
    await poll(() => text('.cm-activeLine')).toContain(`rule ${rule}`);
    await shot('07-tests-fail');
  });

  it('8. a typo shows C0001 at its line, and goes away when fixed', async () => {
    const must = 'must i.posts.social_work >= civil_affairs_share';
    await page.locator('.cm-line', { hasText: must }).getByText(quoted(8, 'civil_affairs_share')).dblclick();
    await page.keyboard.type(quoted(8, 'civil_affairs_shar'));
    const problem = page.locator(`[data-testid=problem][data-code=${quoted(8, 'C0001')}]`);
    await problem.waitFor();
    const line = readFileSync(join(root, '2021/30-posts.clause'), 'utf8').split('\n').findIndex((l) => l.includes(must)) + 1;
    expect(await problem.getAttribute('data-line')).toBe(String(line));
    await page.locator('.cm-line', { hasText: 'must i.posts.social_work >= civil_affairs_shar' }).getByText('civil_affairs_shar').dblclick();
    await page.keyboard.type('civil_affairs_share');
    await poll(() => page.locator('[data-testid=problem][data-code=C0001]').count()).toBe(0);
  });

  it('9. saves: the file on disk has 75%, and the diff against disk is empty again', async () => {
    await openFile('2021/10-params.clause');
    await page.click('[data-testid=save]');
    await poll(() => text('[data-testid=status]')).toContain('已保存');
    expect(readFileSync(join(root, '2021/10-params.clause'), 'utf8')).toMatch(/param civil_affairs_share:[^\n]*= 75%/);
    await page.click('[data-testid=tab-diff]');
    await poll(() => text('[data-testid=impact-count]')).toContain(quoted(9, '状态改变的对象：0 个'));
  });

  it('10. rewrites tests.yaml as the guide\'s step 7 does, runs it unsaved (all pass) and saves it', async () => {
    const tests = '2021/tests.yaml';
    const before = readFileSync(join(root, tests), 'utf8');
    // The change of docs/guide/change-a-quota.md step 7, applied to the version at hand.
    const guide = readFileSync('docs/guide/change-a-quota.md', 'utf8');
    const start = guide.indexOf('```diff\n--- a/policies/yunnan-social-work/2023-draft/tests.yaml');
    expect(start).toBeGreaterThan(0);
    const diff = guide.slice(start, guide.indexOf('```', start + 7));
    const hunks = [...diff.matchAll(/^@@[^\n]*\n((?:[ +-][^\n]*\n|\n)*)/gm)].map((m) => m[1].split('\n').filter((l) => l !== ''));
    let after = before;
    for (const lines of hunks) {
      const side = (keep: string) => lines.filter((l) => l[0] === ' ' || l[0] === keep).map((l) => l.slice(1)).join('\n');
      expect(after, 'the guide\'s diff applies to 2021/tests.yaml').toContain(side('-'));
      after = after.replace(side('-'), side('+'));
    }
    expect(after).not.toBe(before);
    await openFile(quoted(10, 'tests.yaml') && tests);
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(after);
    await page.click('[data-testid=tab-test]');
    await page.click('[data-testid=run-tests]');
    await poll(() => text('[data-testid=test-summary]')).toContain(quoted(10, '通过 176，失败 0'));
    expect(readFileSync(join(root, tests), 'utf8')).toBe(before);
    await page.click('[data-testid=save]');
    await poll(() => text('[data-testid=status]')).toContain('已保存');
    expect(readFileSync(join(root, tests), 'utf8')).toBe(after);
    await shot('10-tests-rewritten');
  });

  it('shows the test tab in English too', async () => {
    await page.click('[data-testid=tab-test]');
    await page.click('[data-testid=lang-toggle]');
    await poll(() => text('[data-testid=tab-test]')).toBe('Tests');
    // The run was in Chinese: its explanations are run again in English.
    expect([...STEPS_EN.keys()]).toEqual([...STEPS.keys()]);
    expect(STEPS_EN.get(7)).toContain('`172 passed, 4 failed`');
    expect(STEPS_EN.get(10)).toContain('`176 passed, 0 failed`');
    await poll(() => text('[data-testid=test-summary]')).toBe('tests: 1 file, 42 cases, 176 checks: 176 passed, 0 failed');
    await shot('10-english');
    await page.click('[data-testid=lang-toggle]');
  });

  it('logged no errors in the page', () => {
    expect(problems).toEqual([]);
  });
});
