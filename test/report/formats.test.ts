/**
 * `eval --format markdown|csv|html`: golden markdown and CSV for a small policy whose facts carry
 * what reports must escape; cell rules table by table; structural checks of the HTML, including
 * a node-side decoder proving the compact data block is lossless on the example province.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../helpers/golden.js';
import { runCli } from '../helpers/policy.js';
import { csvCell, csvRow } from '../../src/report/csv.js';
import { mdEscape, reportToMarkdown } from '../../src/report/markdown.js';
import { escapeHtml, jsonForScript } from '../../src/report/html.js';
import { HTML_SCRIPT, sha256Base64 } from '../../src/report/html-assets.js';
import { formatRate, complianceRate } from '../../src/report/report-data.js';
import { emptySummary } from '../../src/model/result.js';

const MINI = 'test/report/fixtures/mini';
const MINI_FACTS = 'test/report/fixtures/mini-facts.yaml';
const PROVINCE_POLICY = 'policies/yunnan-social-work/2021';
const PROVINCE = 'policies/yunnan-social-work/examples/province.yaml';
const GOLDEN = 'test/report/golden';

async function render(format: string, lang = 'zh', policy = MINI, facts = MINI_FACTS, asOf = '2025-03-01'): Promise<string> {
  const r = await runCli(['eval', policy, '--facts', facts, '--as-of', asOf, '--format', format, '--lang', lang]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

describe('golden reports of the small policy', () => {
  for (const [format, ext] of [['markdown', 'md'], ['csv', 'csv']] as const) {
    for (const lang of ['zh', 'en']) {
      it(`${format} (${lang})`, async () => {
        expectGolden(join(GOLDEN, `mini.${lang}.${ext}`), await render(format, lang));
      });
    }
  }
});

describe('csv cells (RFC 4180, formula-safe)', () => {
  const cases: [string | number | null | undefined, string][] = [
    ['plain', 'plain'],
    ['中文', '中文'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['=1+2', "'=1+2"],
    ['+86 871', "'+86 871"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=cmd', "'\t=cmd"],
    ['=HYPERLINK("x"),y', '"\'=HYPERLINK(""x""),y"'],
    ['a=b', 'a=b'],
    [3, '3'],
    [2.5, '2.5'],
    [null, ''],
    [undefined, ''],
  ];
  for (const [input, want] of cases) it(JSON.stringify(input), () => expect(csvCell(input)).toBe(want));

  it('ends records with CRLF', () => expect(csvRow(['a', 'b'])).toBe('a,b\r\n'));

  it('starts with a BOM and has one row per subject and rule, then the totals', async () => {
    const csv = await render('csv');
    const json = JSON.parse(await render('json')) as { results: unknown[] };
    expect(csv.startsWith('\uFEFF')).toBe(true);
    // Records end in CRLF; a bare LF only occurs inside a quoted cell.
    const records = csv.split('\r\n').filter(Boolean);
    // Total rows (status_code `total`) follow the results.
    const totals = records.filter((r) => r.startsWith('合计,'));
    expect(totals.length).toBeGreaterThan(0);
    expect(records.length - totals.length).toBe(json.results.length + 1);
  });
});

describe('markdown escaping', () => {
  const cases: [string, string][] = [
    ['a|b', 'a\\|b'],
    ['<script>', '\\<script\\>'],
    ['*x* _y_ `z`', '\\*x\\* \\_y\\_ \\`z\\`'],
    ['[link](u)', '\\[link\\](u)'],
    ['two\nlines', 'two lines'],
    ['$x$ & ~y~', '\\$x\\$ \\& \\~y\\~'],
    ['三（二）70%', '三（二）70%'],
  ];
  for (const [input, want] of cases) it(JSON.stringify(input), () => expect(mdEscape(input)).toBe(want));

  it('cuts long lists and says how many were left out', async () => {
    const r = await runCli(['eval', PROVINCE_POLICY, '--facts', PROVINCE, '--as-of', '2022-06-01', '--format', 'json']);
    const report = JSON.parse(r.stdout) as { summary: { violation: number } };
    const { evaluate } = await import('../../src/eval/evaluate.js');
    const { loadPolicy } = await import('../../src/loader/load-policy.js');
    const { loadFacts } = await import('../../src/loader/load-facts.js');
    const policy = loadPolicy(PROVINCE_POLICY).policy!;
    const facts = loadFacts(policy, PROVINCE).facts!;
    const md = reportToMarkdown({ report: evaluate(policy, facts, { asOf: '2022-06-01', lang: 'zh' }), lang: 'zh', policy }, { limit: 5 });
    expect(md).toContain(`## 违规（${report.summary.violation}）`);
    expect(md).toContain(`另有 ${report.summary.violation - 5} 项未列出`);
  });
});

describe('rates', () => {
  const rate = (compliant: number, violation: number) => complianceRate({ ...emptySummary(), compliant, violation });
  const cases: [number | undefined, string][] = [
    [rate(0, 0), '—'],
    [rate(1, 0), '100%'],
    [rate(0, 3), '0%'],
    [rate(1, 2), '33.3%'],
    [rate(2, 1), '66.7%'],
    [rate(9999, 1), '99.9%'],
    [rate(1, 9999), '0.1%'],
    [rate(7, 3), '70.0%'],
  ];
  for (const [input, want] of cases) it(`${input} -> ${want}`, () => expect(formatRate(input)).toBe(want));
});

describe('html escaping and the script hash', () => {
  it('escapes markup in text and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });

  it('keeps data inside its script block and reads back unchanged', () => {
    const value = { name: '</script><script>alert(1)</script>', c: '<!-- x -->', sep: '\u2028\u2029', amp: 'a&b' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('hashes like node:crypto', () => {
    for (const s of ['', 'abc', 'a'.repeat(55), 'b'.repeat(56), 'c'.repeat(64), 'd'.repeat(1000), HTML_SCRIPT]) {
      expect(sha256Base64(s)).toBe(createHash('sha256').update(s, 'utf8').digest('base64'));
    }
  });

  it('keeps the inline script to plain ASCII without a closing tag', () => {
    expect(HTML_SCRIPT).toMatch(/^[\x09\x0a\x20-\x7e]*$/);
    expect(HTML_SCRIPT.toLowerCase()).not.toContain('</script');
  });
});

describe('renderers stay browser-safe', () => {
  // formats.ts is the CLI glue; every other report file must load in a browser.
  const files = readdirSync('src/report').filter((f) => f.endsWith('.ts') && f !== 'formats.ts');
  for (const f of files) {
    it(f, () => {
      const text = readFileSync(join('src/report', f), 'utf8');
      expect(text).not.toMatch(/from '(node:|fs|path|os|crypto)/);
      expect(text).not.toMatch(/\bprocess\./);
    });
  }
});

/** The data block of a report, parsed. */
function dataOf(html: string): Record<string, unknown> {
  const open = '<script type="application/json" id="clausal-data">';
  const start = html.indexOf(open) + open.length;
  return JSON.parse(html.slice(start, html.indexOf('</script>', start))) as Record<string, unknown>;
}

interface Packed { w: number; s: string }
interface Data {
  alphabet: string;
  statuses: string[];
  rules: [string, string, string, string][];
  subjects: { count: number; idTemplates: [string, number][]; idTemplate: Packed; idDeltas: string; idWhole: (string | number)[]; name: Packed; region: Packed; kindRuns: number[]; pattern: Packed };
  names: string[];
  patterns: number[][];
  outcomes: number[];
  tpl: string[];
  args: string;
  dates: string[];
  short: number[];
  summary: Record<string, number>;
  regions: { id: string[]; name: string[]; parent: number[] };
}

/** Subject names as the page's script makes them: region marks replaced by the region's name. */
function decodeNames(d: Data): (string | undefined)[] {
  const unpack = (p: Packed, n: number) => Array.from({ length: n }, (_, i) => [...p.s.slice(i * p.w, i * p.w + p.w)].reduce((v, c) => v * 64 + d.alphabet.indexOf(c), 0));
  const names = unpack(d.subjects.name, d.subjects.count);
  const regions = unpack(d.subjects.region, d.subjects.count);
  return names.map((n, s) => {
    if (n === 0) return undefined;
    const t = d.names[n - 1];
    if (t.startsWith('\u0000')) return t.slice(1);
    return [...t].map((ch) => {
      let k = ch.charCodeAt(0) - 0xe000;
      if (k < 0 || k >= 32) return ch;
      let g = regions[s] - 1;
      while (k-- > 0) g = d.regions.parent[g];
      return d.regions.name[g];
    }).join('');
  });
}

/** Decodes the data block the way the page's script does: one entry per result, in order. */
function decode(d: Data): { id: string; rule: string; cite: string; status: string; due: string | null; explanation: string; shortfall?: number }[] {
  const unpack = (p: Packed, n: number) => Array.from({ length: n }, (_, i) => [...p.s.slice(i * p.w, i * p.w + p.w)].reduce((v, c) => v * 64 + d.alphabet.indexOf(c), 0));
  const S = d.subjects;
  const n = S.count;
  const idT = unpack(S.idTemplate, n);
  const deltas = S.idDeltas.split(',').map(Number);
  const last = new Map<number, number>();
  const ids: string[] = [];
  let di = 0;
  idT.forEach((t, i) => {
    if (t === 0) return;
    const v = (last.get(t) ?? 0) + deltas[di++];
    last.set(t, v);
    ids[i] = S.idTemplates[t - 1][0] + String(v).padStart(S.idTemplates[t - 1][1], '0');
  });
  for (let i = 0; i < S.idWhole.length; i += 2) ids[S.idWhole[i] as number] = S.idWhole[i + 1] as string;
  const pats = unpack(S.pattern, n);
  const args = d.args === '' ? [] : d.args.split(',');
  const shortfalls = new Map<number, number>();
  for (let i = 0; i < d.short.length; i += 2) shortfalls.set(d.short[i], d.short[i + 1]);
  let a = 0;
  const out: ReturnType<typeof decode> = [];
  for (let s = 0; s < n; s++) {
    const p = d.patterns[pats[s]];
    for (let j = 0; j < p.length; j += 2) {
      const [status, tpl, due] = d.outcomes.slice(p[j + 1] * 3, p[j + 1] * 3 + 3);
      const t = d.tpl[tpl];
      let explanation = '';
      if (t.startsWith('\u0000')) explanation = t.slice(1);
      else for (const ch of t) explanation += ch === '\u0001' ? args[a++] : ch === '\u0002' ? ids[s] : ch;
      const r = d.rules[p[j]];
      const sf = shortfalls.get(out.length);
      out.push({ id: ids[s], rule: r[0], cite: r[1], status: d.statuses[status], due: due === 0 ? null : d.dates[due - 1], explanation, ...(sf === undefined ? {} : { shortfall: sf }) });
    }
  }
  return out;
}

describe('html report structure', () => {
  it('is one self-contained file: no external resource, one data block, the script pinned by the CSP', async () => {
    const html = await render('html');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<html lang="zh-CN">');
    // The only URL is the one inside a subject's name (escaped as data, never fetched).
    expect(html.replace(/HYPERLINK\((&#34;|\\")http:\/\/x/g, '')).not.toMatch(/https?:/);
    expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\bsrc=/);
    expect(html.match(/<script\b/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html.match(/<script type="application\/json" id="clausal-data">/g)).toHaveLength(1);
    expect(html).toContain(`script-src 'sha256-${createHash('sha256').update(HTML_SCRIPT).digest('base64')}'`);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain(`<script>${HTML_SCRIPT}</script>`);
  });

  it('escapes names everywhere, and the data block reads back', async () => {
    const html = await render('html');
    expect(html).not.toContain('<b>新区</b>');
    expect(html).toContain('乙县|&#60;b&#62;新区&#60;/b&#62;');
    const d = dataOf(html) as unknown as Data;
    expect(d.names).toContain('</script><script>alert(1)</script>');
    expect(d.names).toContain('=HYPERLINK("http://x")');
  });

  it('shows the policy, version, date and every status count', async () => {
    const html = await render('html');
    const json = JSON.parse(await render('json')) as { summary: Record<string, number> };
    expect(html).toContain('<dd id="m-policy">mini-stations</dd>');
    expect(html).toContain('<dd id="m-version">2024</dd>');
    expect(html).toContain('<dd id="m-asof">2025-03-01</dd>');
    for (const [status, n] of Object.entries(json.summary)) expect(html).toContain(`data-status="${status}" data-count="${n}"`);
    for (const id of ['summary', 'clauses', 'regions', 'explore']) expect(html).toContain(`<section id="${id}">`);
    for (const id of ['f-status', 'f-clause', 'f-region', 'f-q', 'rows', 'detail']) expect(html).toContain(`id="${id}"`);
    expect(html).toContain('@media print');
    expect(html).toContain('"PingFang SC","Microsoft YaHei","Noto Sans CJK SC"');
  });

  it('speaks English with --lang en', async () => {
    const html = await render('html', 'en');
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Compliance by clause');
    expect(html).not.toContain('分条款达标情况');
  });

  it('holds every result of the example province, losslessly', async () => {
    const html = await render('html', 'zh', PROVINCE_POLICY, PROVINCE, '2022-06-01');
    const json = JSON.parse(await render('json', 'zh', PROVINCE_POLICY, PROVINCE, '2022-06-01')) as { results: { subject: { id: string }; rule: string; cite: string; status: string; due: string | null; explanation: string; shortfall?: string }[]; summary: Record<string, number> };
    const d = dataOf(html) as unknown as Data;
    expect(d.summary).toEqual(json.summary);
    const decoded = decode(d);
    const { loadPolicy } = await import('../../src/loader/load-policy.js');
    const { loadFacts } = await import('../../src/loader/load-facts.js');
    const { subjectInfos } = await import('../../src/facts/subject-info.js');
    const policy = loadPolicy(PROVINCE_POLICY).policy!;
    const infos = [...subjectInfos(policy, loadFacts(policy, PROVINCE).facts!).values()];
    expect(decodeNames(d)).toEqual(infos.map((i) => i.name));
    // Names share templates: far fewer stored than subjects.
    expect(d.names.length).toBeLessThan(infos.length / 2);
    expect(decoded).toEqual(json.results.map((r) => ({ id: r.subject.id, rule: r.rule, cite: r.cite, status: r.status, due: r.due, explanation: r.explanation, ...(r.shortfall === undefined ? {} : { shortfall: Number(r.shortfall) }) })));
  });
});
