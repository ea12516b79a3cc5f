#!/usr/bin/env node
// Regenerates the parser-derived grammar documents under grammar/:
//
//   grammar/diagrams.html            railroad diagrams of every parser rule
//   grammar/serialized-grammar.json  the parser's serialized GAST
//   grammar/diagrams/...             Chevrotain's diagram scripts and stylesheet, copied
//                                    from node_modules so the page works offline
//
//   npm run grammar        (= node scripts/gen-grammar.js)
//
// The generation itself lives in src/syntax/grammar-doc.ts, so test/grammar/grammar.test.ts
// can regenerate in memory and fail when these files are stale. This script runs the built
// copy in dist/; when dist/ is missing or older than the grammar sources it builds first
// (`tsc -p tsconfig.build.json`), so a fresh clone needs nothing but `npm ci`.
// grammar/clause.ebnf and grammar/README.md are hand-written and not touched here.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const grammarDir = path.join(root, 'grammar');

// The built modules the generation needs, and the sources they come from: a stale dist/
// would silently document the previous grammar, and the staleness test would then keep
// failing however often the script is run.
const BUILT_FROM = {
  'dist/syntax/grammar-doc.js': 'src/syntax/grammar-doc.ts',
  'dist/syntax/parser.js': 'src/syntax/parser.ts',
  'dist/syntax/tokens.js': 'src/syntax/tokens.ts',
};

function mtime(rel) {
  try {
    return fs.statSync(path.join(root, rel)).mtimeMs;
  } catch {
    return undefined;
  }
}

function ensureBuilt() {
  const stale = Object.entries(BUILT_FROM).filter(([out, src]) => {
    const built = mtime(out);
    return built === undefined || built < (mtime(src) ?? Infinity);
  });
  if (stale.length === 0) return;
  process.stderr.write(`gen-grammar: building dist/ (${stale.map(([out]) => out).join(', ')} missing or stale)\n`);
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  // tsc still emits when some unrelated file has a type error; only a missing output is fatal.
  const missing = Object.keys(BUILT_FROM).filter((out) => mtime(out) === undefined);
  if (missing.length > 0) {
    process.stderr.write(`gen-grammar: build failed, ${missing.join(', ')} not emitted\n`);
    process.exit(1);
  }
  if (run.status !== 0) process.stderr.write('gen-grammar: tsc reported errors; generating from what it emitted\n');
}

/** The installed chevrotain package folder (its main file sits a few levels below). */
function chevrotainRoot() {
  let dir = path.dirname(createRequire(import.meta.url).resolve('chevrotain'));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'chevrotain') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('gen-grammar: cannot find the chevrotain package folder');
    dir = parent;
  }
}

/** Writes only when the content differs, so an unchanged grammar leaves mtimes (and git) alone. */
function write(rel, content) {
  const file = path.join(grammarDir, rel);
  const old = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
  const next = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
  if (old && old.equals(next)) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, next);
  return true;
}

ensureBuilt();
const { grammarArtifacts, DIAGRAM_ASSETS } = await import(pathToFileURL(path.join(root, 'dist/syntax/grammar-doc.js')).href);

const { html, serialized } = grammarArtifacts();
const changed = [];
if (write('diagrams.html', html)) changed.push('diagrams.html');
if (write('serialized-grammar.json', serialized)) changed.push('serialized-grammar.json');
const chevrotain = chevrotainRoot();
for (const { from, to } of DIAGRAM_ASSETS) {
  const rel = path.join('diagrams', to);
  if (write(rel, fs.readFileSync(path.join(chevrotain, from)))) changed.push(rel);
}
process.stdout.write(changed.length ? `gen-grammar: wrote ${changed.map((f) => `grammar/${f}`).join(', ')}\n` : 'gen-grammar: grammar/ is up to date\n');
