/**
 * Renderings of `clausal trend`: Markdown tables and an HTML page whose charts are inline SVG
 * (one line per clause or prefecture across the runs' as-of dates), plus JSON.
 */
import type { Lang } from '../model/diagnostics.js';
import type { Trend, TrendSeries } from '../records/trend.js';
import { formatRate } from './report-data.js';

const WORDS = {
  zh: {
    title: '达标率变化', overall: '总体', byClause: '按条款', byPrefecture: '按州（市）', clause: '条款', prefecture: '州（市）',
    def: '达标率 = 符合 ÷（符合 + 违规 + 待达标 + 建议改进）；信息不全、待遇类和不适用的结果不计入。',
    noRuns: '没有该政策的检查记录。', runs: (n: number) => `依据 ${n} 次检查。`,
  },
  en: {
    title: 'Compliance over time', overall: 'Overall', byClause: 'By clause', byPrefecture: 'By prefecture', clause: 'Clause', prefecture: 'Prefecture',
    def: 'Compliance = compliant ÷ (compliant + violation + pending + advisory); unknown, entitlement and not-applicable results are left out.',
    noRuns: 'No runs of this policy are recorded.', runs: (n: number) => `From ${n} recorded runs. `,
  },
} as const;

const rate = (r: number | null) => formatRate(r ?? undefined);
const md = (s: string) => s.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`);

function mdTable(first: string, rows: readonly TrendSeries[], t: Trend): string {
  const head = `| ${first} | ${t.runs.map((r) => `${r.asOf} (#${r.run})`).join(' | ')} |\n|---|${t.runs.map(() => '---:').join('|')}|\n`;
  return head + rows.map((s) => `| ${md(s.key)} | ${s.points.map((p) => rate(p.rate)).join(' | ')} |\n`).join('');
}

/** Markdown. */
export function trendToMarkdown(t: Trend, lang: Lang): string {
  const w = WORDS[lang];
  if (t.runs.length === 0) return `# ${w.title} · ${md(t.policyId)}\n\n${w.noRuns}\n`;
  return `# ${w.title} · ${md(t.policyId)}\n\n${w.runs(t.runs.length)}${w.def}\n\n`
    + `## ${w.byClause}\n\n${mdTable(w.clause, [{ ...t.overall, key: w.overall }, ...t.byClause], t)}\n`
    + `## ${w.byPrefecture}\n\n${mdTable(w.prefecture, [{ ...t.overall, key: w.overall }, ...t.byPrefecture], t)}`;
}

/** JSON. */
export function trendToJson(t: Trend): string {
  return `${JSON.stringify(t, null, 2)}\n`;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const COLOURS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#0a7b83', '#6e7781', '#953800', '#116329'];

/** One inline SVG line chart: x = the runs in as-of order, y = 0–100 %. */
export function trendChartSvg(series: readonly TrendSeries[], t: Trend, label: string): string {
  const W = 720;
  const H = 260;
  const L = 48;
  const R = 170;
  const T = 12;
  const B = 36;
  const n = t.runs.length;
  const x = (i: number) => L + (n <= 1 ? (W - L - R) / 2 : (i * (W - L - R)) / (n - 1));
  const y = (r: number) => T + (1 - r) * (H - T - B);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((g) => `<line x1="${L}" x2="${W - R}" y1="${y(g)}" y2="${y(g)}" stroke="#e5e7eb"/><text x="${L - 6}" y="${y(g) + 4}" text-anchor="end" font-size="11">${g * 100}%</text>`).join('');
  const ticks = t.runs.map((r, i) => `<text x="${x(i)}" y="${H - B + 16}" text-anchor="middle" font-size="11">${esc(r.asOf)}</text>`).join('');
  const lines = series.slice(0, COLOURS.length).map((s, k) => {
    const c = COLOURS[k];
    const pts = s.points.map((p, i) => (p.rate === null ? undefined : [x(i), y(p.rate)] as const));
    const path = pts.map((p, i) => (p ? `${i === 0 || !pts[i - 1] ? 'M' : 'L'}${p[0].toFixed(1)},${p[1].toFixed(1)}` : '')).join('');
    const dots = pts.map((p, i) => (p ? `<circle cx="${p[0].toFixed(1)}" cy="${p[1].toFixed(1)}" r="3" fill="${c}"><title>${esc(`${s.key} ${t.runs[i].asOf}: ${rate(s.points[i].rate)}`)}</title></circle>` : '')).join('');
    const legend = `<rect x="${W - R + 12}" y="${T + k * 18}" width="10" height="10" fill="${c}"/><text x="${W - R + 28}" y="${T + k * 18 + 9}" font-size="12">${esc(s.key)}</text>`;
    return `<path d="${path}" fill="none" stroke="${c}" stroke-width="2"/>${dots}${legend}`;
  }).join('');
  return `<svg role="img" aria-label="${esc(label)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">${grid}${ticks}${lines}</svg>`;
}

function htmlTable(first: string, rows: readonly TrendSeries[], t: Trend): string {
  return `<table><thead><tr><th>${esc(first)}</th>${t.runs.map((r) => `<th class="n">${esc(r.asOf)}<br>#${r.run}</th>`).join('')}</tr></thead><tbody>${rows.map((s) => `<tr><td>${esc(s.key)}</td>${s.points.map((p) => `<td class="n">${rate(p.rate)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** A self-contained HTML page with the charts (no script). */
export function trendToHtml(t: Trend, lang: Lang): string {
  const w = WORDS[lang];
  const body = t.runs.length === 0 ? `<p>${esc(w.noRuns)}</p>` : `<p>${esc(w.runs(t.runs.length))}${esc(w.def)}</p>
<section id="by-clause"><h2>${esc(w.byClause)}</h2>${trendChartSvg([{ ...t.overall, key: w.overall }, ...t.byClause], t, w.byClause)}${htmlTable(w.clause, [{ ...t.overall, key: w.overall }, ...t.byClause], t)}</section>
<section id="by-prefecture"><h2>${esc(w.byPrefecture)}</h2>${trendChartSvg([{ ...t.overall, key: w.overall }, ...t.byPrefecture], t, w.byPrefecture)}${htmlTable(w.prefecture, [{ ...t.overall, key: w.overall }, ...t.byPrefecture], t)}</section>`;
  return `<!DOCTYPE html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="clausal">
<title>${esc(`${w.title} · ${t.policyId}`)}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:2rem;color:#1d2330}table{border-collapse:collapse;margin:1rem 0}th,td{border-bottom:1px solid #d8dce4;padding:.3rem .6rem;text-align:left}.n{text-align:right}svg{max-width:100%;height:auto}</style>
</head>
<body>
<h1>${esc(w.title)} · ${esc(t.policyId)}</h1>
${body}
</body>
</html>
`;
}
