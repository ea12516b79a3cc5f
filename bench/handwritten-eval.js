#!/usr/bin/env node
// The hand-written end-to-end baseline: read a facts JSON file, decide every rule of the
// bundled policy on every subject, write one NDJSON line per subject and rule with the
// contract's fields except the explanation:
//
//   {"subject":{"kind":…,"id":…},"rule":…,"cite":…,"modality":…,"status":…,"due":…,"missing":[…]}
//
// the same bytes as `clausal eval --format ndjson --fields status`. No validation, no
// explanations: what a programmer would write for this one policy and this one file shape.
//
//   node bench/handwritten-eval.js FACTS.json AS-OF OUT.ndjson [RULE,RULE,…]
//
// With a list of rule ids, only those rules are decided (the plain Node loop of bench/four-rules.js).

import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { descendantsIndex, handwrittenRules } from './lib/handwritten-rules.js';

const [file, asOf, outFile, only] = process.argv.slice(2);
const keep = only ? new Set(only.split(',')) : undefined;
const facts = JSON.parse(readFileSync(file, 'utf8'));
const regions = facts.regions ?? [];
const { byKind, out } = handwrittenRules(asOf);
const below = descendantsIndex(regions);
const fd = openSync(outFile, 'w');

const lists = [['region', 'regions', regions], ['institution', 'institutions', facts.institutions ?? []], ['worker', 'workers', facts.workers ?? []]];
let buffer = '';
const missing = [];
for (const [kind, listKey, subjects] of lists) {
  const rules = byKind[kind].filter(([id]) => !keep || keep.has(id)).map(([id, cite, modality, fn]) => ({ fn, tail: `},"rule":${JSON.stringify(id)},"cite":${JSON.stringify(cite)},"modality":"${modality}","status":"` }));
  const head = `{"subject":{"kind":"${kind}","id":`;
  for (const s of subjects) {
    const id = String(s.id);
    const path = `${listKey}[${id}]`;
    const start = head + JSON.stringify(id);
    for (const rule of rules) {
      missing.length = 0;
      const status = rule.fn(s, path, missing, below);
      const due = out.due === null ? 'null' : `"${out.due}"`;
      const miss = status === 'unknown' && missing.length ? JSON.stringify([...new Set(missing)]) : '[]';
      buffer += `${start}${rule.tail}${status}","due":${due},"missing":${miss}}\n`;
      if (buffer.length > 1 << 20) {
        writeSync(fd, buffer);
        buffer = '';
      }
    }
  }
}
writeSync(fd, buffer);
closeSync(fd);
