#!/usr/bin/env node
// Core evaluation: every rule of the bundled policy over generated subjects, status only (no
// explanations), in evaluations per second, against
//   (a) the same rules written by hand in plain JS (bench/lib/handwritten-rules.js),
//   (b) json-logic-js running the JSON Logic export of the policy (exportJsonLogic),
//   (c) json-rules-engine with the same conditions (bench/lib/jre-rules.js).
// An evaluation is one (subject, rule) decision. Engine and hand-written code run in
// alternation in the same process, best of three rounds each; the slower libraries run on a
// sample of the subjects (their rate per evaluation is what is compared).
//
//   node bench/core.js [--subjects N] [--json]

import { readFileSync } from 'node:fs';
import jsonLogic from 'json-logic-js';
import { loadPolicy } from '../dist/loader/load-policy.js';
import { loadFactsText } from '../dist/facts/parse-facts.js';
import { decideStatus, prepareRun } from '../dist/eval/evaluate.js';
import { exportJsonLogic } from '../dist/export/jsonlogic.js';
import { AS_OF, POLICY, province, timed } from './lib/common.js';
import { descendantsIndex, handwrittenRules } from './lib/handwritten-rules.js';
import { jreEngines, jreStatuses, JRE_RULES } from './lib/jre-rules.js';

const argv = process.argv.slice(2);
const TARGET = Number(argv[argv.indexOf('--subjects') + 1]) || 1_000_000;
const json = argv.includes('--json');
const log = (...a) => { if (!json) console.log(...a); };

// About 215,000 subjects (15,545 regions, 133,334 institutions, 66,667 workers): evaluated
// repeatedly until TARGET subjects have been, so the figures are over a million subjects.
const file = province('core-133k.json', ['--institutions', '133334']);
const text = readFileSync(file, 'utf8');
const { policy } = loadPolicy(POLICY);
const facts = loadFactsText(policy, file, text, 'json', { maxSubjects: 10_000_000, maxErrors: 50, maxWarnings: 20, maxFileSize: 1 << 30 }).facts;
if (!facts) throw new Error('facts did not load');
const raw = JSON.parse(text);
const rawLists = [['region', 'regions', raw.regions], ['institution', 'institutions', raw.institutions], ['worker', 'workers', raw.workers]];
const passes = Math.max(1, Math.round(TARGET / facts.subjects.length));

const exported = exportJsonLogic(policy, { asOf: AS_OF });
const exportable = new Set(exported.rules.map((r) => r.id));
const jreIds = new Set(JRE_RULES.map((r) => r[1]));

// ── engine ──
const ctx = prepareRun(policy, { asOf: AS_OF, explain: false });
function enginePass(only) {
  let n = 0;
  const tally = new Map();
  for (const s of facts.subjects) {
    const rules = ctx.compiled.rulesByKind.get(s.kind);
    if (!rules) continue;
    for (const rule of rules) {
      if (only && !only.has(rule.info.id)) continue;
      const status = decideStatus(ctx, rule, s);
      n++;
      const key = `${rule.info.id}:${status}`;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
  }
  return { n, tally };
}
// The timed loops do nothing but decide; tallies for the equality check come from one extra pass.
const ruleLists = new Map();
function rulesOf(kind, only) {
  const key = only;
  let byKind = ruleLists.get(key);
  if (!byKind) ruleLists.set(key, (byKind = new Map()));
  let list = byKind.get(kind);
  if (!list) byKind.set(kind, (list = (ctx.compiled.rulesByKind.get(kind) ?? []).filter((r) => only === undefined || only.has(r.info.id))));
  return list;
}
function enginePassFast(only) {
  let n = 0;
  let kind;
  let rules;
  for (const s of facts.subjects) {
    if (s.kind !== kind) rules = rulesOf((kind = s.kind), only);
    for (let k = 0; k < rules.length; k++) decideStatus(ctx, rules[k], s);
    n += rules.length;
  }
  return n;
}

// ── hand-written ──
const hand = handwrittenRules(AS_OF);
const below = descendantsIndex(raw.regions);
const missing = [];
function handPassFast(only) {
  let n = 0;
  for (const [kind, listKey, list] of rawLists) {
    const rules = hand.byKind[kind].filter((r) => only === undefined || only.has(r[0]));
    for (const s of list) {
      const path = `${listKey}[${s.id}]`;
      for (const r of rules) {
        missing.length = 0;
        r[3](s, path, missing, below);
        n++;
      }
    }
  }
  return n;
}
function handTally() {
  const tally = new Map();
  for (const [kind, listKey, list] of rawLists) {
    for (const s of list) {
      for (const r of hand.byKind[kind]) {
        missing.length = 0;
        const status = r[3](s, `${listKey}[${s.id}]`, missing, below);
        const key = `${r[0]}:${status}`;
        tally.set(key, (tally.get(key) ?? 0) + 1);
      }
    }
  }
  return tally;
}

function rate(fnPass, only) {
  const t = timed(() => {
    let n = 0;
    for (let p = 0; p < passes; p++) n += fnPass(only);
    return n;
  });
  return { evals: t.value, wall: t.wall, cpu: t.cpu, perSec: t.value / (t.wall / 1000) };
}

function best(runs) {
  return runs.reduce((a, b) => (b.perSec > a.perSec ? b : a));
}

const results = {};
for (const [name, only] of [['all rules', undefined], ['rules JSON Logic can express', exportable]]) {
  const engine = [];
  const handRuns = [];
  for (let round = 0; round < 3; round++) {
    engine.push(rate(enginePassFast, only));
    handRuns.push(rate(handPassFast, only));
  }
  const e = best(engine);
  const h = best(handRuns);
  results[name] = { engine: e, handwritten: h, ratio: h.perSec / e.perSec };
  log(`${name}: engine ${(e.perSec / 1e6).toFixed(2)}M evals/s, hand-written ${(h.perSec / 1e6).toFixed(2)}M/s, ratio ${(h.perSec / e.perSec).toFixed(2)}x`);
}

// Same decisions? (status counts per rule over one pass)
const engineTally = enginePass(undefined).tally;
const handTallied = handTally();
let mismatches = 0;
for (const key of new Set([...engineTally.keys(), ...handTallied.keys()])) mismatches += Math.abs((engineTally.get(key) ?? 0) - (handTallied.get(key) ?? 0));

// ── json-logic-js: data objects built from the raw facts as docs/embedding/jsonlogic.md says ──
const index = new Map(rawLists.map(([kind, , list]) => [kind, new Map(list.map((s) => [String(s.id), s]))]));
function dataOf(kind, item) {
  const subject = { ...item };
  for (const [path, target] of Object.entries(exported.references[kind] ?? {})) {
    const id = subject[path];
    if (id === undefined || id === null) continue;
    subject[path] = { ...index.get(target).get(String(id)) };
  }
  return { subject, asOf: AS_OF };
}
const truthy = jsonLogic.truthy;
function jlStatus(rule, data) {
  if (!truthy(jsonLogic.apply(rule.where, data))) return 'not_applicable';
  const holds = truthy(jsonLogic.apply(rule.condition, data));
  const due = rule.deadline === null ? null : jsonLogic.apply(rule.deadline, data);
  if (rule.type === 'entitlement') return holds ? 'eligible' : 'ineligible';
  if (holds) return 'compliant';
  if (rule.modality !== 'must') return 'advisory';
  if (rule.deadline !== null && due === null) return 'unknown';
  return due !== null && data.asOf <= due ? 'pending' : 'violation';
}
const SAMPLE_JL = 8; // every 8th subject
const jlData = [];
rawLists.forEach(([kind, , list]) => list.forEach((s, i) => { if (i % SAMPLE_JL === 0) jlData.push([exported.rules.filter((r) => r.kind === kind), dataOf(kind, s)]); }));
const jl = timed(() => {
  let n = 0;
  for (const [rules, data] of jlData) for (const r of rules) { jlStatus(r, data); n++; }
  return n;
});
const jlRate = { evals: jl.value, wall: jl.wall, cpu: jl.cpu, perSec: jl.value / (jl.wall / 1000) };
const exportableEngine = results['rules JSON Logic can express'].engine;
log(`json-logic-js: ${(jlRate.perSec / 1e6).toFixed(3)}M evals/s on ${jlData.length} subjects; engine is ${(exportableEngine.perSec / jlRate.perSec).toFixed(1)}x faster`);

// ── json-rules-engine (asynchronous: one engine.run per subject) ──
const engines = jreEngines();
const SAMPLE_JRE = 100;
const jreData = [];
rawLists.forEach(([kind, , list]) => list.forEach((s, i) => { if (i % SAMPLE_JRE === 0) jreData.push([kind, s]); }));
const t0 = performance.now();
let jreEvals = 0;
for (const [kind, s] of jreData) {
  const engine = engines.get(kind);
  if (!engine) continue;
  const { events } = await engine.run({ subject: s });
  jreEvals += jreStatuses(kind, events, AS_OF).length;
}
const jreWall = performance.now() - t0;
const jreRate = { evals: jreEvals, wall: jreWall, perSec: jreEvals / (jreWall / 1000) };
// The engine on exactly json-rules-engine's rules, for a like-for-like ratio.
const engineOnJre = best([rate(enginePassFast, jreIds), rate(enginePassFast, jreIds)]);
log(`json-rules-engine: ${(jreRate.perSec / 1e6).toFixed(4)}M evals/s on ${jreData.length} subjects; engine on the same rules is ${(engineOnJre.perSec / jreRate.perSec).toFixed(0)}x faster`);

const out = {
  subjects: facts.subjects.length,
  passes,
  subjectsEvaluated: facts.subjects.length * passes,
  rules: policy.rules.length,
  exportableRules: exportable.size,
  jreRules: jreIds.size,
  results,
  statusMismatchesVsHandwritten: mismatches,
  jsonLogic: { ...jlRate, sampleSubjects: jlData.length, engineRatio: exportableEngine.perSec / jlRate.perSec },
  jsonRulesEngine: { ...jreRate, sampleSubjects: jreData.length, engineOnSameRules: engineOnJre.perSec, engineRatio: engineOnJre.perSec / jreRate.perSec },
};
if (json) process.stdout.write(JSON.stringify(out));
else log(`status mismatches vs hand-written: ${mismatches}`);
