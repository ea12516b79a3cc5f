#!/usr/bin/env node
// Time to interactive of a generated HTML report in Debian's Chromium: three loads from file://,
// each timed by the page's own clock (navigation start to the result list drawn and wired, the
// `data-ready-ms` attribute the report sets) and by the renderer's main-thread CPU time (CDP
// ThreadTime), which does not grow when other processes share the machine. Also times showing
// every result and one search. Prints JSON with --json.
//
//   node bench/html-tti.js REPORT.html [--json]

import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const [report] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!report || !existsSync(report)) {
  console.error('usage: node bench/html-tti.js REPORT.html [--json]');
  process.exit(2);
}
if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing (apt-get install -y chromium)`);
  process.exit(3);
}

const countShown = async (page) => Number((await page.textContent('#count b')).replace(/,/g, ''));
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
try {
  const loads = [];
  let page;
  for (let i = 0; i < 3; i++) {
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(pathToFileURL(report).href, { waitUntil: 'commit', timeout: 120_000 });
    await page.waitForSelector('html[data-ready]', { timeout: 120_000 });
    const readyMs = Number(await page.getAttribute('html', 'data-ready-ms'));
    const { metrics } = await cdp.send('Performance.getMetrics');
    const mainThreadCpuMs = Math.round(1000 * (metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN));
    loads.push({ readyMs, mainThreadCpuMs });
    if (i < 2) await page.close();
  }
  let t = performance.now();
  await page.selectOption('#f-status', 'all');
  const showAllMs = Math.round(performance.now() - t);
  const total = await countShown(page);
  t = performance.now();
  await page.fill('#f-q', 'KM-CWH');
  while ((await countShown(page)) >= total) await new Promise((r) => setTimeout(r, 20));
  const searchMs = Math.round(performance.now() - t);
  const out = { loads, fastestReadyMs: Math.min(...loads.map((l) => l.readyMs)), fastestCpuMs: Math.min(...loads.map((l) => l.mainThreadCpuMs)), results: total, showAllMs, searchMs };
  console.log(process.argv.includes('--json') ? JSON.stringify(out) : out);
} finally {
  await browser.close();
}
