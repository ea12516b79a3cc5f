#!/usr/bin/env node
// Deterministic generator of a synthetic Yunnan province facts file for
// policies/yunnan-social-work (CONTRACT.md section 4), for benchmarks and
// scale tests.
//
//   node scripts/gen-province.js --institutions 100000 [--workers N] [--regions N]
//        [--seed S] [--format json|yaml|ndjson] [--out FILE]
//
// Defaults: --institutions 1000, --workers institutions/2, --regions 15545
// (1 province, the 16 real prefectures, the 129 real county-level divisions,
// about 1,400 synthetic townships and 14,000 synthetic villages), --seed 1,
// --format json, output to stdout.
//
// The same arguments always give byte-identical output. Regions, institutions
// and workers each draw from their own seeded PRNG stream, so the regions do
// not change when only --institutions or --workers changes.
//
// A few percent of each kind of deliberate problem (missing or late township
// stations, civil-affairs units below 70%, level/grade mismatches, missing
// social insurance, ...) and of each missing (unknown) field are mixed in.
//
// Output is written in ~1 MiB chunks to the stream, waiting for 'drain' when
// the stream asks for it, so memory stays flat however large the output.

import fs from 'node:fs';
import { once } from 'node:events';

// ───────────────────────── arguments ─────────────────────────

const USAGE = `usage: node scripts/gen-province.js [--institutions N] [--workers N] [--regions N]
                                    [--seed S] [--format json|yaml|ndjson] [--out FILE]`;

function usageError(msg) {
  process.stderr.write(`gen-province: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { institutions: 1000, workers: undefined, regions: 15545, seed: 1, format: 'json', out: undefined };
  const intOpt = (name, v, min) => {
    if (v === undefined || !/^\d+$/.test(v)) usageError(`--${name} needs a non-negative integer`);
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < min) usageError(`--${name} must be an integer >= ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let v;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) { v = a.slice(eq + 1); a = a.slice(0, eq); }
    const next = () => (v !== undefined ? v : argv[++i]);
    switch (a) {
      case '--institutions': opts.institutions = intOpt('institutions', next(), 0); break;
      case '--workers': opts.workers = intOpt('workers', next(), 0); break;
      case '--regions': opts.regions = intOpt('regions', next(), 0); break;
      case '--seed': opts.seed = intOpt('seed', next(), 0); break;
      case '--format': {
        const f = next();
        if (f !== 'json' && f !== 'yaml' && f !== 'ndjson') usageError('--format must be json, yaml or ndjson');
        opts.format = f;
        break;
      }
      case '--out': {
        const f = next();
        if (!f) usageError('--out needs a file name');
        opts.out = f;
        break;
      }
      case '-h': case '--help':
        process.stdout.write(USAGE + '\n');
        process.exit(0);
        break;
      default: usageError(`unknown argument ${a}`);
    }
  }
  if (opts.workers === undefined) opts.workers = Math.floor(opts.institutions / 2);
  if (opts.regions < MIN_REGIONS) usageError(`--regions must be at least ${MIN_REGIONS} (province, prefectures, counties, one township per county)`);
  if (opts.regions > MAX_REGIONS) usageError(`--regions must be at most ${MAX_REGIONS}`);
  return opts;
}

// ───────────────────────── PRNG ─────────────────────────

function mulberry32(a) {
  return function rng() {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Independent sub-stream seed from (seed, stream tag). */
function subSeed(seed, tag) {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ tag) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const int = (rng, lo, hi) => lo + Math.floor(rng() * (hi - lo + 1)); // inclusive
const pick = (rng, arr) => arr[Math.floor(rng() * arr.length)];

/** Distribute `total` over weights, each share >= min, largest remainder. */
function allocate(total, weights, min) {
  const n = weights.length;
  const out = new Array(n).fill(min);
  let rest = total - min * n;
  if (rest <= 0) return out;
  let sum = 0;
  for (const w of weights) sum += w;
  const frac = new Array(n);
  let given = 0;
  for (let i = 0; i < n; i++) {
    const share = (weights[i] / sum) * rest;
    const f = Math.floor(share);
    out[i] += f;
    given += f;
    frac[i] = [share - f, i];
  }
  frac.sort((x, y) => y[0] - x[0] || x[1] - y[1]);
  for (let k = 0; k < rest - given; k++) out[frac[k][1]]++;
  return out;
}

// ───────────────────────── dates ─────────────────────────

const DAY = 86400000;
const dayOf = (iso) => Date.parse(iso + 'T00:00:00Z') / DAY;
const isoOf = (d) => new Date(d * DAY).toISOString().slice(0, 10);
const dateBetween = (rng, from, to) => isoOf(int(rng, dayOf(from), dayOf(to)));

// ───────────────────────── regions ─────────────────────────

// The 16 prefecture-level and 129 county-level divisions of Yunnan (GB/T 2260).
// `hard`: share of the prefecture's counties treated as hard-to-staff areas.
const PREFECTURES = [
  { id: '530100', name: '昆明市', abbr: 'KM', hard: 0.15, counties: '530102 五华区|530103 盘龙区|530111 官渡区|530112 西山区|530113 东川区|530114 呈贡区|530115 晋宁区|530124 富民县|530125 宜良县|530126 石林彝族自治县|530127 嵩明县|530128 禄劝彝族苗族自治县|530129 寻甸回族彝族自治县|530181 安宁市' },
  { id: '530300', name: '曲靖市', abbr: 'QJ', hard: 0.3, counties: '530302 麒麟区|530303 沾益区|530304 马龙区|530322 陆良县|530323 师宗县|530324 罗平县|530325 富源县|530326 会泽县|530381 宣威市' },
  { id: '530400', name: '玉溪市', abbr: 'YX', hard: 0.25, counties: '530402 红塔区|530403 江川区|530423 通海县|530424 华宁县|530425 易门县|530426 峨山彝族自治县|530427 新平彝族傣族自治县|530428 元江哈尼族彝族傣族自治县|530481 澄江市' },
  { id: '530500', name: '保山市', abbr: 'BS', hard: 0.5, counties: '530502 隆阳区|530521 施甸县|530523 龙陵县|530524 昌宁县|530581 腾冲市' },
  { id: '530600', name: '昭通市', abbr: 'ZT', hard: 0.8, counties: '530602 昭阳区|530621 鲁甸县|530622 巧家县|530623 盐津县|530624 大关县|530625 永善县|530626 绥江县|530627 镇雄县|530628 彝良县|530629 威信县|530681 水富市' },
  { id: '530700', name: '丽江市', abbr: 'LJ', hard: 0.6, counties: '530702 古城区|530721 玉龙纳西族自治县|530722 永胜县|530723 华坪县|530724 宁蒗彝族自治县' },
  { id: '530800', name: '普洱市', abbr: 'PE', hard: 0.8, counties: '530802 思茅区|530821 宁洱哈尼族彝族自治县|530822 墨江哈尼族自治县|530823 景东彝族自治县|530824 景谷傣族彝族自治县|530825 镇沅彝族哈尼族拉祜族自治县|530826 江城哈尼族彝族自治县|530827 孟连傣族拉祜族佤族自治县|530828 澜沧拉祜族自治县|530829 西盟佤族自治县' },
  { id: '530900', name: '临沧市', abbr: 'LC', hard: 0.8, counties: '530902 临翔区|530921 凤庆县|530922 云县|530923 永德县|530924 镇康县|530925 双江拉祜族佤族布朗族傣族自治县|530926 耿马傣族佤族自治县|530927 沧源佤族自治县' },
  { id: '532300', name: '楚雄彝族自治州', abbr: 'CX', hard: 0.4, counties: '532301 楚雄市|532302 禄丰市|532322 双柏县|532323 牟定县|532324 南华县|532325 姚安县|532326 大姚县|532327 永仁县|532328 元谋县|532329 武定县' },
  { id: '532500', name: '红河哈尼族彝族自治州', abbr: 'HH', hard: 0.6, counties: '532501 个旧市|532502 开远市|532503 蒙自市|532504 弥勒市|532523 屏边苗族自治县|532524 建水县|532525 石屏县|532527 泸西县|532528 元阳县|532529 红河县|532530 金平苗族瑶族傣族自治县|532531 绿春县|532532 河口瑶族自治县' },
  { id: '532600', name: '文山壮族苗族自治州', abbr: 'WS', hard: 0.75, counties: '532601 文山市|532622 砚山县|532623 西畴县|532624 麻栗坡县|532625 马关县|532626 丘北县|532627 广南县|532628 富宁县' },
  { id: '532800', name: '西双版纳傣族自治州', abbr: 'BN', hard: 0.6, counties: '532801 景洪市|532822 勐海县|532823 勐腊县' },
  { id: '532900', name: '大理白族自治州', abbr: 'DL', hard: 0.45, counties: '532901 大理市|532922 漾濞彝族自治县|532923 祥云县|532924 宾川县|532925 弥渡县|532926 南涧彝族自治县|532927 巍山彝族回族自治县|532928 永平县|532929 云龙县|532930 洱源县|532931 剑川县|532932 鹤庆县' },
  { id: '533100', name: '德宏傣族景颇族自治州', abbr: 'DH', hard: 0.7, counties: '533102 瑞丽市|533103 芒市|533122 梁河县|533123 盈江县|533124 陇川县' },
  { id: '533300', name: '怒江傈僳族自治州', abbr: 'NJ', hard: 1, counties: '533301 泸水市|533323 福贡县|533324 贡山独龙族怒族自治县|533325 兰坪白族普米族自治县' },
  { id: '533400', name: '迪庆藏族自治州', abbr: 'DQ', hard: 1, counties: '533401 香格里拉市|533422 德钦县|533423 维西傈僳族自治县' },
].map((p) => ({ ...p, counties: p.counties.split('|').map((s) => { const [id, name] = s.split(' '); return { id, name }; }) }));

const N_COUNTIES = PREFECTURES.reduce((n, p) => n + p.counties.length, 0); // 129
const FIXED_REGIONS = 1 + PREFECTURES.length + N_COUNTIES; // 146
const MIN_REGIONS = FIXED_REGIONS + N_COUNTIES;
const MAX_REGIONS = 10_000_000;
const MAX_VILLAGES_PER_TOWNSHIP = 600; // average; codes allow 999

// Characters for synthetic place names.
const PLACE = '安宝北碧白草长大德东凤福官古海河和黑红花华黄鸡甲江金景九兰乐鲁龙马麻勐明那南平坡清仁瑞沙山石松塘太田湾旺文西仙新兴岩阳依永玉元云寨者中竹箐坝哨营铺冲河湖桥林';
const BRAND = ['同心', '阳光', '连心', '爱心', '启明', '彩云', '春城', '益民', '惠民', '和谐', '心桥', '暖阳', '善德', '仁爱', '长青'];

function placeName(rng, used) {
  for (let attempt = 0; ; attempt++) {
    let s = PLACE[Math.floor(rng() * PLACE.length)] + PLACE[Math.floor(rng() * PLACE.length)];
    if (attempt > 20) s += PLACE[Math.floor(rng() * PLACE.length)];
    if (!used.has(s)) { used.add(s); return s; }
  }
}

/** Region plan: township and village counts. */
function planRegions(total) {
  const avail = total - FIXED_REGIONS;
  let t = Math.min(1400, Math.max(N_COUNTIES, Math.round(avail / 11)));
  if (avail - t > MAX_VILLAGES_PER_TOWNSHIP * t) t = Math.ceil(avail / (MAX_VILLAGES_PER_TOWNSHIP + 1));
  return { townships: t, villages: avail - t };
}

// ───────────────────────── categories ─────────────────────────

// [id, clause group, abbreviation, weight ‰, where it sits, zh label]
// where: T township, C county, P prefecture-or-county, S school (township or county), U township or county
const CATEGORIES = [
  ['township_party_service_center', 1, 'PSC', 70, 'T', '党群服务中心'],
  ['township_governance_center', 1, 'GOV', 60, 'T', '综治中心（网格化服务管理中心）'],
  ['township_social_affairs_office', 1, 'SAO', 60, 'T', '社会事务办'],
  ['township_public_service_platform', 1, 'PSP', 50, 'T', null],
  ['social_welfare_home', 2, 'SWH', 25, 'P', '社会福利院'],
  ['children_welfare_home', 2, 'CWH', 15, 'P', '儿童福利院'],
  ['relief_station', 2, 'RS', 20, 'P', '救助管理站'],
  ['minor_relief_center', 2, 'MRC', 10, 'P', '流浪未成年人救助保护中心'],
  ['rural_elderly_home', 2, 'REH', 100, 'T', '敬老院'],
  ['sanwu_placement', 2, 'SWP', 10, 'C', '“三无”人员安置中心'],
  ['social_assistance_agency', 2, 'SAA', 40, 'C', '社会救助服务中心'],
  ['adoption_service', 2, 'ADP', 10, 'P', '收养服务中心'],
  ['marriage_family_service', 2, 'MFS', 30, 'C', '婚姻家庭服务中心'],
  ['funeral_service', 2, 'FUN', 30, 'C', '殡仪馆'],
  ['hospital', 3, 'HOS', 30, 'C', '人民医院'],
  ['disabled_welfare_institution', 3, 'DWI', 10, 'P', '残疾人福利院'],
  ['community_drug_rehab', 4, 'CDR', 15, 'C', '社区戒毒社区康复工作办公室'],
  ['community_rehabilitation', 4, 'CRH', 10, 'C', '社区康复服务站'],
  ['community_correction', 4, 'CCR', 15, 'C', '社区矫正中心'],
  ['resettlement_education', 4, 'RED', 8, 'C', '安置帮教工作站'],
  ['custodial_facility', 4, 'CUS', 7, 'C', '看守所'],
  ['drug_control_department', 5, 'DCD', 8, 'P', '禁毒委员会办公室'],
  ['administrative_detention', 5, 'ADT', 5, 'C', '行政拘留所'],
  ['compulsory_isolation_rehab', 5, 'CIR', 2, 'P', '强制隔离戒毒所'],
  ['drug_rehab_facility', 5, 'DRF', 3, 'P', '戒毒康复中心'],
  ['drug_maintenance_clinic', 5, 'DMC', 5, 'C', '美沙酮维持治疗门诊'],
  ['voluntary_rehab_clinic', 5, 'VRC', 2, 'P', '自愿戒毒医疗中心'],
  ['school', 6, 'SCH', 200, 'S', null],
  ['trade_union_service', 7, 'TUS', 20, 'U', '职工服务中心'],
  ['minor_protection', 8, 'MPR', 6, 'P', '未成年人保护中心'],
  ['youth_center', 8, 'YTH', 5, 'P', '青少年宫'],
  ['women_children_rights', 8, 'WCR', 5, 'P', '妇女儿童维权服务中心'],
  ['women_children_training', 8, 'WCT', 4, 'P', '妇女儿童活动中心'],
  ['disabled_rights', 8, 'DRT', 4, 'P', '残疾人权益维护中心'],
  ['disabled_education_rehab', 8, 'DER', 5, 'P', '残疾人康复中心'],
  ['veterans_service', 8, 'VET', 16, 'C', '退役军人服务中心'],
  ['social_work_agency', 9, 'SWA', 35, 'C', '社会工作服务中心'],
  ['private_elderly_care', 9, 'PEC', 25, 'C', '养老服务中心'],
  ['disabled_care_service', 9, 'DCS', 8, 'C', '残疾人托养中心'],
  ['worker_service_org', 9, 'WSO', 5, 'C', '职工互助服务协会'],
  ['other_social_org', 9, 'OSO', 12, 'C', '志愿服务协会'],
].map(([id, clause, abbr, weight, where, label]) => ({ id, clause, abbr, weight, where, label }));

const CAT_CUM = (() => {
  const out = [];
  let s = 0;
  for (const c of CATEGORIES) { s += c.weight; out.push(s); }
  return out;
})();
const CAT_TOTAL = CAT_CUM[CAT_CUM.length - 1];

function drawCategory(rng) {
  const x = rng() * CAT_TOTAL;
  let lo = 0, hi = CAT_CUM.length - 1;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (CAT_CUM[mid] > x) hi = mid; else lo = mid + 1; }
  return lo;
}

const PLATFORM_LABELS = ['劳动就业和社会保障服务所', '文化服务中心', '农业服务中心', '人民调解委员会', '应急救援服务站', '社区事务服务中心'];
const MUST_SET_POSTS = new Set([1, 3, 4, 6]); // 三（一）（三）（四）（六）: 应…设置/配备

// ───────────────────────── emitters ─────────────────────────

const PLAIN = /^(?:\d{4}-\d{2}-\d{2}|[A-Za-z\u3400-\u9fff][A-Za-z0-9_\-\u3400-\u9fff\uff08\uff09\u201c\u201d]*)$/u;
const RESERVED = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n']);

function yamlScalar(v) {
  if (v === null) return 'null';
  if (typeof v !== 'string') return String(v);
  return PLAIN.test(v) && !RESERVED.has(v.toLowerCase()) ? v : JSON.stringify(v);
}

function yamlFlow(o) {
  let s = '';
  for (const k in o) {
    const v = o[k];
    if (v === undefined) continue;
    s += (s ? ', ' : '') + k + ': ' + (v !== null && typeof v === 'object' ? yamlFlow(v) : yamlScalar(v));
  }
  return s ? '{ ' + s + ' }' : '{}';
}

const CHUNK = 1 << 20;

class Output {
  constructor(stream, format) {
    this.stream = stream;
    this.format = format;
    this.parts = [];
    this.size = 0;
    this.first = true;
    this.section = 0;
  }

  push(s) {
    this.parts.push(s);
    this.size += s.length;
    return this.size >= CHUNK;
  }

  async flush() {
    if (this.size === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  /** Start list `name` (regions, institutions, workers). */
  begin(name, empty) {
    this.first = true;
    if (this.format === 'json') this.push((this.section++ === 0 ? '{' : ',') + JSON.stringify(name) + ':[');
    else if (this.format === 'yaml') this.push(name + ':' + (empty ? ' []\n' : '\n'));
  }

  end() {
    if (this.format === 'json') this.push(this.first ? ']' : '\n]');
  }

  finish() {
    if (this.format === 'json') this.push('}\n');
  }

  /** Add one subject; returns true when a flush is due. */
  item(kind, o) {
    switch (this.format) {
      case 'json': {
        const s = (this.first ? '\n' : ',\n') + JSON.stringify(o);
        this.first = false;
        return this.push(s);
      }
      case 'ndjson':
        return this.push(JSON.stringify({ kind, ...o }) + '\n');
      default:
        return this.push('  - ' + yamlFlow(o) + '\n');
    }
  }
}

// ───────────────────────── generation ─────────────────────────

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const stream = opts.out ? fs.createWriteStream(opts.out) : process.stdout;
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(0);
    process.stderr.write(`gen-province: ${e.message}\n`);
    process.exit(1);
  });
  const out = new Output(stream, opts.format);
  if (opts.format === 'yaml') {
    out.push(`# Generated by scripts/gen-province.js --institutions ${opts.institutions} --workers ${opts.workers} --regions ${opts.regions} --seed ${opts.seed}\n` +
      '# Synthetic data: real prefecture and county codes (GB/T 2260), synthetic townships, villages, institutions and workers.\n');
  }

  // ── regions ──
  const rr = mulberry32(subSeed(opts.seed, 0x5245));
  const plan = planRegions(opts.regions);
  const counties = [];
  for (let p = 0; p < PREFECTURES.length; p++) {
    for (const c of PREFECTURES[p].counties) {
      counties.push({ id: c.id, name: c.name, pref: p, hard: rr() < PREFECTURES[p].hard, weight: 0.5 + rr() });
    }
  }
  const twpPerCounty = allocate(plan.townships, counties.map((c) => c.weight), 1);
  const twpWeights = new Array(plan.townships);
  for (let i = 0; i < plan.townships; i++) twpWeights[i] = 0.5 + rr();
  const vilPerTwp = allocate(plan.villages, twpWeights, plan.villages >= plan.townships ? 1 : 0);

  const townships = []; // { id, name, county }
  out.begin('regions', false);
  out.item('region', { id: '530000', name: '云南省', level: 'province' });
  let twpIndex = 0;
  let ci = 0;
  for (let p = 0; p < PREFECTURES.length; p++) {
    const pref = PREFECTURES[p];
    if (out.item('region', { id: pref.id, name: pref.name, level: 'prefecture', parent: '530000' })) await out.flush();
    for (let k = 0; k < pref.counties.length; k++, ci++) {
      const county = counties[ci];
      if (out.item('region', { id: county.id, name: county.name, level: 'county', parent: pref.id })) await out.flush();
      // Street (0xx), town (1xx) and township (2xx) blocks, as in the statistical division codes.
      const n = twpPerCounty[ci];
      const urban = county.name.endsWith('区') ? [0.6, 0.9] : county.name.endsWith('市') ? [0.3, 0.85] : [0.05, 0.65];
      const counts = [0, 0, 0];
      for (let j = 0; j < n; j++) { const u = rr(); counts[u < urban[0] ? 0 : u < urban[1] ? 1 : 2]++; }
      for (let b = 0; b < 2; b++) if (counts[b] > 99) { counts[b + 1] += counts[b] - 99; counts[b] = 99; }
      if (counts[2] > 99) throw new Error(`too many townships in county ${county.id}; lower --regions`);
      const usedTwp = new Set();
      for (let b = 0; b < 3; b++) {
        for (let j = 1; j <= counts[b]; j++) {
          const id = county.id + String(b * 100 + j).padStart(3, '0');
          const name = placeName(rr, usedTwp) + (b === 0 ? '街道' : b === 1 ? '镇' : '乡');
          const t = { id, name, level: 'township', parent: county.id };
          const u = rr();
          if (u < 0.01) t.sw_station = { established: '2021-06-30' }; // on the deadline
          else if (u < 0.86) t.sw_station = { established: dateBetween(rr, '2019-06-01', '2021-06-29') };
          else if (u < 0.91) t.sw_station = { established: dateBetween(rr, '2021-07-01', '2022-03-31') }; // late
          else if (u < 0.975) t.sw_station = null; // none
          // else: sw_station absent (unknown)
          if (out.item('region', t)) await out.flush();
          townships.push({ id, name, county: ci });
          const nv = vilPerTwp[twpIndex++];
          const usedVil = new Set();
          for (let v = 1; v <= nv; v++) {
            const community = b === 0 ? rr() < 0.9 : b === 1 ? v <= 2 && rr() < 0.7 : rr() < 0.05;
            const vil = {
              id: id + String(v).padStart(3, '0'),
              name: placeName(rr, usedVil) + (community ? '社区' : '村'),
              level: 'village',
              parent: id,
            };
            const s = rr();
            if (s < 0.45) vil.sw_station = { established: dateBetween(rr, '2020-03-01', '2021-12-31') };
            else if (s < 0.5) vil.sw_station = { established: dateBetween(rr, '2022-01-01', '2023-06-30') }; // late
            else if (s < 0.97) vil.sw_station = null;
            // else absent
            const c = rr();
            if (c < 0.97) vil.conditions_permit = c < (community ? 0.75 : 0.45);
            if (out.item('region', vil)) await out.flush();
          }
        }
      }
    }
  }
  out.end();

  // ── institutions ──
  const ri = mulberry32(subSeed(opts.seed, 0x494e));
  const nInst = opts.institutions;
  const width = Math.max(2, String(nInst).length);
  const serial = new Map();
  const instIds = new Array(nInst);
  const instMeta = new Uint8Array(nInst); // bit0 hard area, bits1-4 clause
  const staffed = []; // indices of institutions with social_work > 0
  out.begin('institutions', nInst === 0);
  for (let i = 0; i < nInst; i++) {
    const cat = CATEGORIES[i < CATEGORIES.length ? i : drawCategory(ri)];
    // where
    let where = cat.where;
    if (where === 'S') where = ri() < 0.7 ? 'T' : 'C';
    else if (where === 'U') where = ri() < 0.5 ? 'T' : 'C';
    else if (where === 'P') where = ri() < 0.3 ? 'PP' : 'C';
    let regionId, regionName, county, prefIdx;
    if (where === 'T') {
      const t = townships[Math.floor(ri() * townships.length)];
      county = counties[t.county];
      regionId = t.id;
      regionName = county.name.replace(/(彝族|回族|苗族|哈尼族|傣族|纳西族|拉祜族|佤族|布朗族|瑶族|白族|傈僳族|独龙族|怒族|普米族|藏族|壮族|景颇族)+自治县$/, '县') + t.name;
      prefIdx = county.pref;
    } else if (where === 'C') {
      county = counties[Math.floor(ri() * counties.length)];
      regionId = county.id;
      regionName = county.name;
      prefIdx = county.pref;
    } else {
      prefIdx = Math.floor(ri() * PREFECTURES.length);
      county = undefined;
      regionId = PREFECTURES[prefIdx].id;
      regionName = PREFECTURES[prefIdx].name;
    }
    const pref = PREFECTURES[prefIdx];
    const key = pref.abbr + '-' + cat.abbr;
    const n = (serial.get(key) || 0) + 1;
    serial.set(key, n);
    const id = key + '-' + String(n).padStart(width, '0');

    let name;
    if (cat.id === 'school') {
      name = regionName + (where === 'T' ? pick(ri, ['中心小学', '中学', '九年一贯制学校', '中心学校']) : '第' + '一二三四五六七八'[int(ri, 0, 7)] + pick(ri, ['中学', '小学', '完全中学']));
    } else if (cat.id === 'township_public_service_platform') {
      name = regionName + pick(ri, PLATFORM_LABELS);
    } else if (cat.clause === 9) {
      name = regionName + pick(ri, BRAND) + cat.label;
    } else {
      name = regionName + cat.label;
    }

    // posts
    const posts = {};
    let total, prof, sw;
    const u = ri();
    if (cat.clause === 2) {
      total = cat.id === 'rural_elderly_home' ? int(ri, 3, 15) : int(ri, 8, 150);
      prof = Math.max(1, Math.round(total * (0.5 + 0.4 * ri())));
      if (u < 0.02) { prof = 0; sw = 0; } // no professional posts at all
      else if (u < 0.04) { sw = int(ri, 0, prof); prof = undefined; } // professional unknown
      else if (u < 0.07) { const k = Math.max(1, Math.floor(prof / 10)); prof = 10 * k; total = Math.max(total, prof); sw = 7 * k; } // exactly 70%
      else if (u < 0.17) { const need = Math.ceil((7 * prof) / 10); sw = Math.min(need - 1, Math.floor(prof * (0.1 + 0.55 * ri()))); } // below 70%
      else { const need = Math.ceil((7 * prof) / 10); sw = int(ri, need, prof); }
    } else if (cat.id === 'social_work_agency') {
      total = int(ri, 5, 60);
      const need = () => Math.ceil((7 * total) / 10);
      if (u < 0.03) { const k = Math.max(1, Math.round(total / 10)); total = 10 * k; sw = 7 * k; } // exactly 70% of total
      else if (u < 0.13) sw = Math.min(need() - 1, Math.floor(total * (0.2 + 0.45 * ri()))); // below
      else sw = int(ri, need(), total);
      prof = int(ri, sw, total);
    } else {
      total = cat.id === 'hospital' ? int(ri, 100, 3000) : cat.id === 'school' ? int(ri, 20, 300) : cat.clause === 1 ? int(ri, 4, 20) : int(ri, 4, 150);
      prof = Math.max(1, Math.round(total * (0.3 + 0.6 * ri())));
      const zeroShare = MUST_SET_POSTS.has(cat.clause) ? 0.08 : 0.25;
      if (u < zeroShare) sw = 0;
      else sw = Math.min(prof, int(ri, 1, Math.max(1, Math.ceil(prof * (cat.clause === 1 || cat.clause === 9 ? 0.4 : 0.05)))));
    }
    // a few unknowns
    const m = ri();
    if (!(m < 0.015 && cat.id === 'social_work_agency')) posts.total = total;
    if (prof !== undefined) posts.professional = prof;
    if (!(m > 0.99 && cat.clause !== 2 && cat.id !== 'social_work_agency')) posts.social_work = sw;

    const inst = { id, name, category: cat.id, region: regionId, posts };
    const a = ri();
    if (a < 0.98) inst.sw_in_professional_track = ri() < (sw > 0 ? 0.92 : 0.25);
    const b = ri();
    if (b < 0.98) inst.post_duties_defined = ri() < (sw > 0 ? 0.88 : 0.2);
    if (cat.id === 'school') {
      if (ri() < 0.985) inst.students = 150 + Math.round(ri() * ri() * 4850);
    } else if (cat.clause === 4) {
      if (ri() < 0.98) inst.service_subjects = int(ri, 10, 1500);
    }
    if (cat.id === 'school') {
      const s = ri();
      if (s < 0.98) inst.sw_room = ri() < (sw > 0 ? 0.6 : 0.15);
    }
    if (out.item('institution', inst)) await out.flush();

    instIds[i] = id;
    const hard = county ? county.hard : pref.hard >= 1;
    instMeta[i] = (hard ? 1 : 0) | (cat.clause << 1);
    if (sw > 0) staffed.push(i);
  }
  out.end();

  // ── workers ──
  const rw = mulberry32(subSeed(opts.seed, 0x574b));
  const nWork = nInst === 0 ? 0 : opts.workers;
  const wWidth = Math.max(4, String(nWork).length);
  const TIERS = ['assistant', 'intermediate', 'senior'];
  const LEVELS = { assistant: [11, 12], intermediate: [8, 9, 10], senior: [5, 6, 7] };
  out.begin('workers', nWork === 0);
  for (let i = 0; i < nWork; i++) {
    const idx = staffed.length ? staffed[Math.floor(rw() * staffed.length)] : Math.floor(rw() * nInst);
    const meta = instMeta[idx];
    const clause = meta >> 1;
    const w = { id: 'W-' + String(i + 1).padStart(wWidth, '0'), institution: instIds[idx] };

    const q = rw();
    const qual = q < 0.06 ? 'none' : q < 0.56 ? 'assistant' : q < 0.9 ? 'intermediate' : q < 0.98 ? 'senior' : undefined;
    if (qual !== undefined) w.qualification = qual;
    let tier;
    if (qual === undefined || qual === 'none') tier = qual === 'none' ? 'assistant' : TIERS[rw() < 0.55 ? 0 : rw() < 0.85 ? 1 : 2];
    else if (rw() < 0.04) tier = TIERS[Math.min(2, TIERS.indexOf(qual) + 1)]; // qualification may be below the post
    else tier = qual;
    const levels = LEVELS[tier];
    const grade = int(rw, 1, levels.length);
    const post = { tier, grade };
    const l = rw();
    if (l < 0.95) post.level = levels[grade - 1];
    else if (l < 0.98) post.level = levels[grade - 1] + (grade < levels.length ? 1 : -1); // wrong level for the grade
    // else level absent
    w.post = post;

    const cw = rw() < (clause === 1 ? 0.7 : 0.05);
    w.community_worker = cw;
    const oa = rw();
    if (cw && qual !== 'none') { if (oa < 0.97) w.occupational_allowance = rw() < 0.87; }
    else w.occupational_allowance = false;

    const hard = (meta & 1) === 1;
    const h = rw();
    if (h < 0.98) w.hard_area_years = hard ? int(rw, 0, 12) : 0;

    const inEst = rw() < (clause === 9 ? 0 : cw ? 0.1 : 0.6);
    const si = rw();
    const hf = rw();
    if (inEst) { w.social_insurance = true; w.housing_fund = true; }
    else {
      if (si < 0.98) w.social_insurance = si < 0.94;
      if (hf < 0.98) w.housing_fund = hf < 0.93;
    }
    if (rw() < 0.98) w.in_establishment = inEst;
    if (h < 0.98 || rw() < 0.5) w.hard_area = hard;
    if (out.item('worker', w)) await out.flush();
  }
  out.end();
  out.finish();
  await out.flush();
  if (opts.out) {
    stream.end();
    await once(stream, 'finish');
  }
}

main().catch((e) => {
  process.stderr.write(`gen-province: ${e && e.message ? e.message : e}\n`);
  process.exit(1);
});
