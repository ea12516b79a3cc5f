#!/usr/bin/env node
// The json-logic-js baseline of `bench/run.js --only four`: the four rules exported as JSON Logic
// (`clausal export --to jsonlogic`, exportJsonLogic from the build), run by json-logic-js on data
// objects built as docs/embedding/jsonlogic.md says (references inlined one level), from the same
// facts JSON to the same NDJSON line shape. JSON Logic is two-valued: where the engine says
// `unknown` (a fact absent) this baseline says what `null` gives, and `missing` is always `[]`;
// bench/run.js counts the lines that differ.
//
//   node bench/baselines/four-jsonlogic.js FACTS.json AS-OF OUT.ndjson RULE,RULE,…

import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import jsonLogic from 'json-logic-js';
import { POLICY, ROOT } from '../lib/common.js';

const [file, asOf, outFile, only] = process.argv.slice(2);
const keep = new Set(only.split(','));
const { loadPolicy } = await import(join(ROOT, 'dist/loader/load-policy.js'));
const { exportJsonLogic } = await import(join(ROOT, 'dist/export/jsonlogic.js'));
const exported = exportJsonLogic(loadPolicy(POLICY).policy, { asOf });
const rules = exported.rules.filter((r) => keep.has(r.id));
if (rules.length !== keep.size) throw new Error(`four-jsonlogic: not exportable: ${[...keep].filter((id) => !rules.some((r) => r.id === id)).join(', ')}`);

const facts = JSON.parse(readFileSync(file, 'utf8'));
const index = new Map(Object.entries(exported.lists).map(([kind, list]) => [kind, new Map((facts[list] ?? []).map((s) => [String(s.id), s]))]));
const truthy = jsonLogic.truthy;
function status(rule, data) {
  if (!truthy(jsonLogic.apply(rule.where, data))) return ['not_applicable', null];
  const holds = truthy(jsonLogic.apply(rule.condition, data));
  const due = rule.deadline === null ? null : jsonLogic.apply(rule.deadline, data);
  if (rule.type === 'entitlement') return [holds ? 'eligible' : 'ineligible', due];
  if (holds) return ['compliant', due];
  if (rule.modality !== 'must') return ['advisory', due];
  if (rule.deadline !== null && due === null) return ['unknown', due];
  return [due !== null && data.asOf <= due ? 'pending' : 'violation', due];
}

const fd = openSync(outFile, 'w');
let buffer = '';
for (const [kind, list] of Object.entries(exported.lists)) {
  const mine = rules.filter((r) => r.kind === kind).map((r) => ({ rule: r, tail: `},"rule":${JSON.stringify(r.id)},"cite":${JSON.stringify(r.cite)},"modality":"${r.modality}","status":"` }));
  if (!mine.length) continue;
  const refs = Object.entries(exported.references[kind] ?? {});
  for (const item of facts[list] ?? []) {
    const subject = { ...item };
    for (const [path, target] of refs) {
      const id = subject[path];
      if (id !== undefined && id !== null) subject[path] = { ...index.get(target).get(String(id)) };
    }
    const data = { subject, asOf };
    const head = `{"subject":{"kind":"${kind}","id":${JSON.stringify(String(item.id))}`;
    for (const { rule, tail } of mine) {
      const [s, due] = status(rule, data);
      buffer += `${head}${tail}${s}","due":${due === null ? 'null' : JSON.stringify(due)},"missing":[]}\n`;
      if (buffer.length > 1 << 20) {
        writeSync(fd, buffer);
        buffer = '';
      }
    }
  }
}
writeSync(fd, buffer);
closeSync(fd);
