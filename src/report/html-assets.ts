/**
 * The fixed parts of the HTML report: its style sheet and the small script that pages through
 * the embedded data. Both are constants (no data is ever spliced into them), so the script's
 * SHA-256 can be pinned in the page's Content-Security-Policy: the browser then runs nothing
 * else and fetches nothing at all, whatever the facts contain.
 */

/** Style sheet: system CJK fonts, quiet colours, and a print layout for A4. */
export const HTML_STYLE = String.raw`
:root{--ink:#1f2328;--muted:#5b6570;--faint:#8a939c;--line:#dde2e7;--soft:#f5f7f9;--accent:#b3261e;
--violation:#c62828;--pending:#e08a00;--unknown:#98a2ad;--advisory:#4a74c9;--compliant:#2f8a46;
--eligible:#138a7e;--ineligible:#c3cad1;--not_applicable:#e3e7eb;
--good-bg:#e5f3e8;--good:#1d6b32;--fair-bg:#fbf3d7;--fair:#7d5a00;--weak-bg:#fde6d3;--weak:#9a4300;--poor-bg:#fbe0df;--poor:#a3201b}
*{box-sizing:border-box}
html{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","Hiragino Sans GB",sans-serif;
color:var(--ink);background:#fff;font-size:15px;line-height:1.65;-webkit-text-size-adjust:100%;text-rendering:optimizeLegibility}
body{margin:0}
.page{max-width:1120px;margin:0 auto;padding:36px 40px 56px}
.num,td.n,th.n{font-variant-numeric:tabular-nums}
.mast{border-bottom:3px solid var(--accent);padding-bottom:18px;margin-bottom:8px}
.eyebrow{margin:0 0 6px;color:var(--accent);font-size:13px;font-weight:600;letter-spacing:.12em}
h1{margin:0 0 14px;font-size:27px;line-height:1.35;font-weight:700;letter-spacing:.01em}
.meta{display:flex;flex-wrap:wrap;gap:4px 30px;margin:0;font-size:14px;color:var(--muted)}
.meta div{display:flex;gap:8px}.meta dt{margin:0}.meta dd{margin:0;color:var(--ink);font-weight:600}.meta .kinds{font-weight:400;color:var(--muted)}
h2{margin:40px 0 14px;font-size:20px;line-height:1.3;font-weight:700}
h3{margin:26px 0 10px;font-size:16px}
.lede{margin:0 0 18px;font-size:16px;max-width:58em}
.lede b{font-weight:700}.lede .v{color:var(--violation)}.lede .p{color:var(--pending)}
.note{margin:10px 0 0;font-size:13px;color:var(--muted)}
.cards{display:grid;grid-template-columns:repeat(8,1fr);gap:10px}
.card{display:block;padding:10px 12px 9px;border:1px solid var(--line);border-top:4px solid var(--c);border-radius:6px;
background:#fff;font:inherit;color:inherit;text-align:left;cursor:pointer}
.card:hover{background:var(--soft)}.card:focus-visible{outline:2px solid var(--advisory);outline-offset:2px}
.card .n{display:block;font-size:24px;font-weight:700;line-height:1.25;font-variant-numeric:tabular-nums}
.card .l{display:block;font-size:13px;color:var(--muted)}
.card.zero .n{color:var(--faint)}
.chart{display:block;width:100%;height:auto;font-size:13px}
.chart text{fill:var(--ink)}.chart .cite{font-weight:700}.chart .dim{fill:var(--muted)}.chart .track{fill:var(--soft)}
.chart .row{cursor:pointer}.chart .row:hover .track{fill:#e9edf1}
.chart .grid{stroke:var(--line);stroke-width:1}
.s-violation{--c:var(--violation);fill:var(--violation)}.s-pending{--c:var(--pending);fill:var(--pending)}
.s-unknown{--c:var(--unknown);fill:var(--unknown)}.s-advisory{--c:var(--advisory);fill:var(--advisory)}
.s-compliant{--c:var(--compliant);fill:var(--compliant)}.s-eligible{--c:var(--eligible);fill:var(--eligible)}
.s-ineligible{--c:var(--ineligible);fill:var(--ineligible)}.s-not_applicable{--c:var(--not_applicable);fill:var(--not_applicable)}
.t-value{fill:var(--advisory)}.t-shortfall{fill:var(--pending)}.chart .thead{font-weight:700}
.r-good{fill:var(--compliant)}.r-fair{fill:#c9a227}.r-weak{fill:#e07b2a}.r-poor{fill:var(--violation)}
.legend{display:flex;flex-wrap:wrap;gap:4px 18px;margin:8px 0 0;padding:0;list-style:none;font-size:13px;color:var(--muted)}
.legend i{display:inline-block;width:10px;height:10px;margin-right:6px;border-radius:2px;background:var(--c);vertical-align:-1px}
table{width:100%;border-collapse:collapse;font-size:14px}
th{font-weight:600;text-align:left;color:var(--muted);font-size:13px;border-bottom:1.5px solid #c5ccd3;padding:7px 10px;white-space:nowrap}
td{padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th.n,td.n{text-align:right}
td.zero{color:var(--faint)}
tr.pref td{font-weight:600;background:var(--soft)}tr.county td:first-child{padding-left:28px}
.rate{display:inline-block;min-width:4.6em;padding:1px 8px;border-radius:4px;text-align:right;font-weight:600;font-variant-numeric:tabular-nums}
.rate.good{background:var(--good-bg);color:var(--good)}.rate.fair{background:var(--fair-bg);color:var(--fair)}
.rate.weak{background:var(--weak-bg);color:var(--weak)}.rate.poor{background:var(--poor-bg);color:var(--poor)}.rate.none{color:var(--faint)}
.two{display:grid;grid-template-columns:minmax(0,5fr) minmax(0,6fr);gap:28px;align-items:start}.sticky{position:sticky;top:12px}.sticky h3{margin-top:6px}
td.num{white-space:nowrap}
.chips{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0 0}
.filters{display:flex;flex-wrap:wrap;gap:10px 16px;align-items:flex-end;margin:0 0 12px;padding:12px 14px;background:var(--soft);border-radius:6px}
.filters label{display:flex;flex-direction:column;gap:3px;font-size:12px;color:var(--muted)}
select,input{font:inherit;font-size:14px;color:var(--ink);padding:5px 8px;border:1px solid #c5ccd3;border-radius:4px;background:#fff;min-width:9em}
input[type=search]{min-width:14em}#f-clause{max-width:20em}#f-region{max-width:14em}
.count{margin:0 0 6px;font-size:14px;color:var(--muted)}.count b{color:var(--ink)}
.list td.who{min-width:11em}.list td.what{min-width:12em}.list td.ex{color:#3a424a}
.who button,.linkish{padding:0;border:0;background:none;font:inherit;font-weight:600;color:#1d4f91;cursor:pointer;text-align:left}
.who button:hover{text-decoration:underline}
.sub{display:block;font-size:12px;color:var(--muted);font-weight:400}
.badge{display:inline-block;padding:0 7px;border-radius:10px;font-size:12px;line-height:20px;white-space:nowrap;color:#fff;background:var(--c)}
.badge.s-ineligible,.badge.s-not_applicable,.badge.s-unknown{color:var(--ink)}
.overdue{color:var(--violation);font-weight:600}
.pager{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:center;justify-content:flex-end;margin:12px 0 0;font-size:14px;color:var(--muted)}
.pager button{font:inherit;font-size:14px;padding:4px 12px;border:1px solid #c5ccd3;border-radius:4px;background:#fff;color:var(--ink);cursor:pointer}
.pager button:disabled{color:var(--faint);cursor:default}
.pager input{width:5em;min-width:0;text-align:right}.pager select{min-width:0}
.empty{padding:24px;text-align:center;color:var(--muted)}
dialog{width:min(980px,94vw);max-height:88vh;padding:0;border:0;border-radius:8px;box-shadow:0 12px 48px rgba(0,0,0,.25)}
dialog::backdrop{background:rgba(20,24,28,.45)}
.dlg-head{position:sticky;top:0;display:flex;justify-content:space-between;gap:16px;padding:18px 22px 12px;background:#fff;border-bottom:1px solid var(--line)}
.dlg-head h3{margin:0;font-size:19px}.dlg-head p{margin:2px 0 0;font-size:13px;color:var(--muted)}
.dlg-body{padding:6px 22px 20px}.dlg-body tr.na td{color:var(--faint)}
.dlg-head button{align-self:flex-start;font:inherit;font-size:14px;padding:4px 14px;border:1px solid #c5ccd3;border-radius:4px;background:#fff;cursor:pointer}
footer{margin-top:44px;padding-top:14px;border-top:1px solid var(--line);font-size:12px;color:var(--muted)}
.print-only{display:none}
@media (max-width:900px){.page{padding:20px 16px}.cards{grid-template-columns:repeat(4,1fr)}.two{grid-template-columns:1fr}}
@media print{
@page{size:A4;margin:14mm 12mm}
html{font-size:12px;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.page{max-width:none;padding:0}
.filters,.pager button,.pager label,.no-print{display:none!important}
.print-only{display:block}
h2,h3{break-after:avoid}.cards,tr,svg{break-inside:avoid}
.cards{grid-template-columns:repeat(8,1fr);gap:6px}.card{padding:6px 8px}.card .n{font-size:18px}
.two{grid-template-columns:1fr}.sticky{position:static}.sticky svg{max-width:125mm}
.who button{color:var(--ink)}
.list td.who,.list td.what{min-width:0;width:22%}.list td.ex{width:40%}
dialog{display:none}
body.detail-open .page{display:none}
body.detail-open dialog[open]{display:block;position:static;width:auto;max-height:none;box-shadow:none}
}
`;

/**
 * The page's script. It reads the JSON data block once, pages through results with filters by
 * status, clause, region and subject, and opens a subject's drill-down. Everything is built
 * with `textContent`, never `innerHTML`, so no datum is ever parsed as markup.
 * INVARIANT: plain ASCII, no backticks or `${` (it lives in a template literal), no `</script`.
 */
export const HTML_SCRIPT = String.raw`(function () {
'use strict';
var doc = document, root = doc.documentElement;
// Marks let a test (or a reader's devtools) see where the time to interactive goes.
performance.mark('clausal-start');
var D = JSON.parse(doc.getElementById('clausal-data').textContent);
performance.mark('clausal-parsed');
var W = D.words;
var CODE = new Int8Array(128);
for (var c = 0; c < D.alphabet.length; c++) CODE[D.alphabet.charCodeAt(c)] = c;
function unpack(p, n) {
  var out = new Int32Array(n), s = p.s, w = p.w, i, k, v;
  if (w === 1) { for (i = 0; i < n; i++) out[i] = CODE[s.charCodeAt(i)]; return out; }
  for (i = 0; i < n; i++) { v = 0; for (k = 0; k < w; k++) v = v * 64 + CODE[s.charCodeAt(i * w + k)]; out[i] = v; }
  return out;
}
// Subjects (see htmlData in html.ts): each has a pattern, the list of (rule, outcome) pairs of
// its results, and an outcome is (status, explanation template, deadline). Nothing is expanded
// per result: filters work on the few hundred patterns, then on subjects.
var S = D.subjects, nS = S.count, O = D.outcomes, PT = D.patterns;
var sKind = new Int32Array(nS), sPat = unpack(S.pattern, nS), sName = unpack(S.name, nS), sReg = unpack(S.region, nS);
var sStart = new Int32Array(nS + 1), s, x, y;
for (x = 0, s = 0; x < S.kindRuns.length; x += 2) sKind.fill(S.kindRuns[x], s, s += S.kindRuns[x + 1]);
for (s = 0; s < nS; s++) { sReg[s] -= 1; sStart[s + 1] = sStart[s] + PT[sPat[s]].length / 2; }
// Ids: prefix and width per template, numbers as differences (see IdCoder in html.ts). Only the
// numbers are summed here, by hand rather than with split(), which would make 165,000 strings
// before the first paint; an id's text is made when it is shown.
var idT = unpack(S.idTemplate, nS), idNum = new Float64Array(nS), idLast = [], idText = new Array(nS), ds = S.idDeltas, pos = 0;
for (s = 0; s < nS; s++) {
  var it = idT[s];
  if (it === 0) continue;
  var neg = ds.charCodeAt(pos) === 45, v0 = 0, ch0;
  if (neg) pos++;
  while (pos < ds.length && (ch0 = ds.charCodeAt(pos)) !== 44) { v0 = v0 * 10 + ch0 - 48; pos++; }
  pos++;
  idNum[s] = idLast[it] = (idLast[it] || 0) + (neg ? -v0 : v0);
}
var idWhole = new Map();
for (x = 0; x < S.idWhole.length; x += 2) idWhole.set(S.idWhole[x], S.idWhole[x + 1]);
function idOf(s) {
  var v = idText[s];
  if (v === undefined) {
    var t = idT[s] === 0 ? null : S.idTemplates[idT[s] - 1];
    v = idText[s] = t ? t[0] + String(idNum[s]).padStart(t[1], '0') : idWhole.get(s);
  }
  return v;
}
var shortfall = new Map();
for (x = 0; x < D.short.length; x += 2) shortfall.set(D.short[x], D.short[x + 1]);
var R = D.regions;
function areaOf(s, level) { var g = sReg[s]; return g < 0 ? -1 : level === 1 ? R.a1[g] : R.a2[g]; }
var V = D.statuses.indexOf('violation'), P = D.statuses.indexOf('pending'), NA = D.statuses.indexOf('not_applicable');
performance.mark('clausal-indexed');

function ruleAt(s, r) { return PT[sPat[s]][(r - sStart[s]) * 2]; }
function outcomeAt(s, r) { return PT[sPat[s]][(r - sStart[s]) * 2 + 1]; }
function statusOf(o) { return O[o * 3]; }
function dueOf(o) { return O[o * 3 + 2]; }

// Explanations are templates with their numbers cut out (see html.ts). Where each subject's
// cut-out numbers start is summed on first use, so opening the page pays nothing for it.
var tplArgs = D.tpl.map(function (t) { var n = 0; for (var i = 0; i < t.length; i++) if (t.charCodeAt(i) === 1) n++; return t.charCodeAt(0) === 0 ? 0 : n; });
var argOff = null, args = null;
function explanation(s, r) {
  var i, p = PT[sPat[s]];
  if (!args) {
    args = D.args === '' ? [] : D.args.split(',');
    var patArgs = PT.map(function (q) { var n = 0; for (var j = 1; j < q.length; j += 2) n += tplArgs[O[q[j] * 3 + 1]]; return n; });
    argOff = new Int32Array(nS + 1);
    for (i = 0; i < nS; i++) argOff[i + 1] = argOff[i] + patArgs[sPat[i]];
  }
  var t = D.tpl[O[outcomeAt(s, r) * 3 + 1]];
  if (t.charCodeAt(0) === 0) return t.slice(1);
  var a = argOff[s], out = '', id = idOf(s);
  for (i = 1; i < (r - sStart[s]) * 2; i += 2) a += tplArgs[O[p[i] * 3 + 1]];
  for (i = 0; i < t.length; i++) {
    var ch = t.charCodeAt(i);
    out += ch === 1 ? args[a++] : ch === 2 ? id : t[i];
  }
  return out;
}
function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
function el(tag, cls, text) {
  var e = doc.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}
function badge(code) { return el('span', 'badge s-' + D.statuses[code], D.statusLabels[code]); }
function regionLine(s) {
  // A region subject is not shown as lying in itself.
  var parts = [], self = sReg[s] >= 0 && R.id[sReg[s]] === idOf(s) ? sReg[s] : -1, a1 = areaOf(s, 1), a2 = areaOf(s, 2);
  if (a1 >= 0 && a1 !== self) parts.push(R.name[a1]);
  if (a2 >= 0 && a2 !== self) parts.push(R.name[a2]);
  return parts.join(' \u00b7 ');
}
// Names are templates in which the subject's own regions stand as marks U+E000 + k, k counting
// from the nearest region up (see nameTemplate in html.ts).
function nameOf(s) {
  if (!sName[s]) return idOf(s);
  var t = D.names[sName[s] - 1], out = '', i, c;
  if (t.charCodeAt(0) === 0) return t.slice(1);
  for (i = 0; i < t.length; i++) {
    c = t.charCodeAt(i) - 0xe000;
    if (c < 0 || c >= 32) { out += t[i]; continue; }
    for (var g = sReg[s]; c > 0 && g >= 0; c--) g = R.parent[g];
    out += R.name[g];
  }
  return out;
}

var fStatus = doc.getElementById('f-status'), fClause = doc.getElementById('f-clause');
var fRegion = doc.getElementById('f-region'), fQuery = doc.getElementById('f-q');
var tbody = doc.getElementById('rows'), countEl = doc.getElementById('count');
var prev = doc.getElementById('p-prev'), next = doc.getElementById('p-next');
var pageIn = doc.getElementById('p-page'), pagesEl = doc.getElementById('p-pages'), sizeSel = doc.getElementById('p-size');
var printPage = doc.getElementById('p-print');
var lowerIds = null, lowerNames = null;
var fR = [], fS = [], page = 0;

function apply() {
  var sv = fStatus.value, want = new Uint8Array(D.statuses.length), i, j;
  if (sv === 'attention') { want[V] = 1; want[P] = 1; }
  else if (sv === 'all') { for (i = 0; i < want.length; i++) want[i] = 1; }
  else want[D.statuses.indexOf(sv)] = 1;
  var cite = fClause.value;
  // Per pattern, the positions that pass the status and clause filters.
  var hits = PT.map(function (p) {
    var h = null;
    for (var j = 0; j < p.length; j += 2) {
      if (!want[O[p[j + 1] * 3]]) continue;
      if (cite !== '' && D.rules[p[j]][1] !== cite) continue;
      (h || (h = [])).push(j / 2);
    }
    return h;
  });
  var rg = fRegion.value === '' ? -1 : +fRegion.value, q = fQuery.value.trim().toLowerCase();
  if (q && !lowerIds) {
    lowerIds = []; for (var u = 0; u < nS; u++) lowerIds.push(idOf(u).toLowerCase());
    lowerNames = []; for (var u2 = 0; u2 < nS; u2++) lowerNames.push(sName[u2] ? nameOf(u2).toLowerCase() : '');
  }
  // One pass into a bucket per status, so the list reads most urgent first.
  var bR = D.statuses.map(function () { return []; }), bS = D.statuses.map(function () { return []; });
  for (s = 0; s < nS; s++) {
    var h = hits[sPat[s]];
    if (!h) continue;
    if (rg >= 0 && areaOf(s, 1) !== rg && areaOf(s, 2) !== rg) continue;
    if (q && lowerIds[s].indexOf(q) < 0 && lowerNames[s].indexOf(q) < 0) continue;
    var p = PT[sPat[s]];
    for (j = 0; j < h.length; j++) {
      var sc = O[p[h[j] * 2 + 1] * 3];
      bR[sc].push(sStart[s] + h[j]);
      bS[sc].push(s);
    }
  }
  // Pending items: nearest deadline first (dates are numbered in calendar order).
  if (bR[P].length) {
    var order = bR[P].map(function (r, k) { return k; });
    var dues = bR[P].map(function (r, k) { return dueOf(outcomeAt(bS[P][k], r)); });
    order.sort(function (a, b) { return dues[a] - dues[b] || a - b; });
    bR[P] = order.map(function (k) { return bR[P][k]; });
    bS[P] = order.map(function (k) { return bS[P][k]; });
  }
  fR = [].concat.apply([], bR);
  fS = [].concat.apply([], bS);
  page = 0;
}

function render() {
  var size = +sizeSel.value, total = fR.length, pages = Math.max(1, Math.ceil(total / size));
  if (page >= pages) page = pages - 1;
  if (page < 0) page = 0;
  countEl.textContent = '';
  countEl.appendChild(doc.createTextNode(W.countBefore));
  countEl.appendChild(el('b', null, fmt(total)));
  countEl.appendChild(doc.createTextNode(W.countAfter));
  var frag = doc.createDocumentFragment();
  if (total === 0) {
    var tr0 = el('tr'), td0 = el('td', 'empty', W.empty);
    td0.colSpan = 6; tr0.appendChild(td0); frag.appendChild(tr0);
  }
  var end = Math.min(total, (page + 1) * size);
  for (var i = page * size; i < end; i++) {
    var r = fR[i], s = fS[i], o = outcomeAt(s, r), rule = D.rules[ruleAt(s, r)], sc = statusOf(o), d = dueOf(o);
    var tr = el('tr');
    var who = el('td', 'who'), btn = el('button', null, nameOf(s));
    btn.type = 'button'; btn.setAttribute('data-subject', String(s));
    who.appendChild(btn);
    who.appendChild(el('span', 'sub', idOf(s) + ' \u00b7 ' + D.kinds[sKind[s]]));
    var place = regionLine(s);
    if (place) who.appendChild(el('span', 'sub', place));
    tr.appendChild(who);
    var what = el('td', 'what');
    what.appendChild(el('b', null, rule[1]));
    what.appendChild(doc.createTextNode(' ' + rule[2]));
    tr.appendChild(what);
    var tds = el('td'); tds.appendChild(badge(sc)); tr.appendChild(tds);
    tr.appendChild(el('td', 'num' + (sc === V ? ' overdue' : ''), d ? D.dates[d - 1] : ''));
    var sf = shortfall.get(r);
    tr.appendChild(el('td', 'n', sf === undefined ? '' : fmt(sf)));
    tr.appendChild(el('td', 'ex', explanation(s, r)));
    frag.appendChild(tr);
  }
  tbody.textContent = '';
  tbody.appendChild(frag);
  pageIn.value = String(page + 1);
  pageIn.max = String(pages);
  pagesEl.textContent = fmt(pages);
  printPage.textContent = W.printPage.replace('{p}', fmt(page + 1)).replace('{n}', fmt(pages));
  prev.disabled = page === 0;
  next.disabled = page >= pages - 1;
}

var dlg = doc.getElementById('detail');
function openSubject(s) {
  doc.getElementById('d-title').textContent = nameOf(s);
  var path = [], g = sReg[s], guard = 0;
  while (g >= 0 && guard++ < 32) { path.unshift(R.name[g] || R.id[g]); g = R.parent[g]; }
  doc.getElementById('d-sub').textContent = [idOf(s), D.kinds[sKind[s]], path.join(' \u203a ')].filter(Boolean).join(' \u00b7 ');
  var body = doc.getElementById('d-rows'), frag = doc.createDocumentFragment();
  // Rules that apply come first, in policy order; the not-applicable ones follow, greyed.
  var order = [], counts = D.statuses.map(function () { return 0; }), r;
  for (r = sStart[s]; r < sStart[s + 1]; r++) { var sc = statusOf(outcomeAt(s, r)); counts[sc]++; if (sc !== NA) order.push(r); }
  for (r = sStart[s]; r < sStart[s + 1]; r++) if (statusOf(outcomeAt(s, r)) === NA) order.push(r);
  var chips = doc.getElementById('d-chips');
  chips.textContent = '';
  counts.forEach(function (n, code) { if (n) { var b = badge(code); b.textContent += ' ' + n; chips.appendChild(b); } });
  for (var k = 0; k < order.length; k++) {
    r = order[k];
    var o = outcomeAt(s, r), rule = D.rules[ruleAt(s, r)], st = statusOf(o), d = dueOf(o);
    var tr = el('tr', st === NA ? 'na' : null);
    tr.appendChild(el('td', null, rule[1]));
    var t = el('td'); t.appendChild(el('b', null, rule[2])); t.appendChild(el('span', 'sub', rule[3])); tr.appendChild(t);
    var bd = el('td'); bd.appendChild(badge(st)); tr.appendChild(bd);
    tr.appendChild(el('td', 'num' + (st === V ? ' overdue' : ''), d ? D.dates[d - 1] : ''));
    var sf = shortfall.get(r);
    tr.appendChild(el('td', 'n', sf === undefined ? '' : fmt(sf)));
    tr.appendChild(el('td', null, explanation(s, r)));
    frag.appendChild(tr);
  }
  body.textContent = '';
  body.appendChild(frag);
  doc.body.classList.add('detail-open');
  if (typeof dlg.showModal === 'function') dlg.showModal(); else dlg.setAttribute('open', '');
}
dlg.addEventListener('close', function () { doc.body.classList.remove('detail-open'); });
doc.getElementById('d-close').addEventListener('click', function () { dlg.close(); });

function refresh() { apply(); render(); }
[fStatus, fClause, fRegion].forEach(function (e) { e.addEventListener('change', refresh); });
var timer = 0;
fQuery.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(refresh, 180); });
sizeSel.addEventListener('change', function () { page = 0; render(); });
prev.addEventListener('click', function () { page--; render(); });
next.addEventListener('click', function () { page++; render(); });
pageIn.addEventListener('change', function () { var p = parseInt(pageIn.value, 10); if (p > 0) { page = p - 1; render(); } });
tbody.addEventListener('click', function (e) {
  var b = e.target.closest ? e.target.closest('button[data-subject]') : null;
  if (b) openSubject(+b.getAttribute('data-subject'));
});
function focusList() { doc.getElementById('explore').scrollIntoView({ behavior: 'smooth', block: 'start' }); }
function onActivate(node, fn) {
  node.addEventListener('click', fn);
  node.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); fn(); } });
}
Array.prototype.forEach.call(doc.querySelectorAll('[data-status]'), function (card) {
  card.addEventListener('click', function () { fStatus.value = card.getAttribute('data-status'); refresh(); focusList(); });
});
Array.prototype.forEach.call(doc.querySelectorAll('[data-cite]'), function (row) {
  onActivate(row, function () { fClause.value = row.getAttribute('data-cite'); refresh(); focusList(); });
});
Array.prototype.forEach.call(doc.querySelectorAll('[data-region]'), function (row) {
  onActivate(row, function () { fRegion.value = row.getAttribute('data-region'); refresh(); focusList(); });
});
refresh();
root.setAttribute('data-ready-ms', String(Math.round(performance.now())));
root.setAttribute('data-ready', '');
})();
`;

// SHA-256 (FIPS 180-4), only to pin the constant script above in the page's CSP. Written out
// because the renderer must run in a browser too, where node:crypto is absent and Web Crypto
// is asynchronous.
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** SHA-256 of an ASCII string, as base64 (the form CSP hashes take). */
export function sha256Base64(ascii: string): string {
  const n = ascii.length;
  const words = new Uint32Array((((n + 9 + 63) >> 6) << 4));
  for (let i = 0; i < n; i++) {
    const c = ascii.charCodeAt(i);
    if (c > 0x7f) throw new Error('sha256Base64: input must be ASCII');
    words[i >> 2] |= c << (24 - (i % 4) * 8);
  }
  words[n >> 2] |= 0x80 << (24 - (n % 4) * 8);
  words[words.length - 1] = n * 8; // INVARIANT: inputs are far below 2^29 bytes
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  const rotr = (x: number, r: number) => (x >>> r) | (x << (32 - r));
  for (let off = 0; off < words.length; off += 16) {
    for (let t = 0; t < 16; t++) w[t] = words[off + t];
    for (let t = 16; t < 64; t++) {
      const s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >>> 3);
      const s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >>> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let t = 0; t < 64; t++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t]) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      hh = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
  const bytes: number[] = [];
  for (const x of h) bytes.push(x >>> 24, (x >>> 16) & 255, (x >>> 8) & 255, x & 255);
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const v = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[v >> 18] + B64[(v >> 12) & 63] + (i + 1 < bytes.length ? B64[(v >> 6) & 63] : '=') + (i + 2 < bytes.length ? B64[v & 63] : '=');
  }
  return out;
}
