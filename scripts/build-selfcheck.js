#!/usr/bin/env node
// Builds the code of the offline self-check page (`clausal bundle`) into dist/selfcheck/:
// page.js (the engine, the spreadsheet intake with exceljs, the report renderers and the UI, as
// one classic script) and page.css. `clausal bundle` inlines both into one HTML file together
// with the policy. Part of `npm run build`.
//
//   node scripts/build-selfcheck.js [--out DIR] [--no-minify]
//
// The page runs under a Content-Security-Policy without 'unsafe-eval'. It never parses rule
// files (the policy arrives parsed), so ajv, which compiles schemas with `new Function`, must
// not be in the bundle at all: resolving it fails the build. exceljs comes as its prebuilt
// browser build without polyfills (exceljs.bare.min.js): its Node entry needs Node's streams.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const noAjv = {
  name: 'no-ajv',
  setup(build) {
    build.onResolve({ filter: /^ajv(\/|$)/ }, (args) => ({ errors: [{ text: `ajv must not reach the self-check page (imported by ${path.relative(root, args.importer)})` }] }));
  },
};

/** Builds the page's code into `outDir`; returns the sizes of what it wrote and the time taken. */
export async function buildSelfCheck({ outDir = path.join(root, 'dist/selfcheck'), minify = true } = {}) {
  const started = performance.now();
  fs.mkdirSync(outDir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: { page: path.join(root, 'src/selfcheck/page/main.ts') },
    outdir: outDir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    minify,
    // ASCII output: the script's CSP hash is computed over its characters, and the page may be
    // saved by tools that do not keep UTF-8.
    charset: 'ascii',
    legalComments: 'none',
    alias: { exceljs: path.join(root, 'node_modules/exceljs/dist/exceljs.bare.min.js') },
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [noAjv],
    metafile: true,
    logLevel: 'warning',
  });
  await esbuild.build({
    entryPoints: { page: path.join(root, 'src/selfcheck/page/page.css') },
    outdir: outDir,
    bundle: true,
    minify,
    charset: 'utf8',
    logLevel: 'warning',
  });
  let js = fs.readFileSync(path.join(outDir, 'page.js'), 'utf8');
  // esbuild leaves non-ASCII characters inside regular expression literals; \uXXXX means the
  // same character there as in strings and identifiers.
  js = js.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  fs.writeFileSync(path.join(outDir, 'page.js'), js);
  // INVARIANT: the script is inlined in a <script> element, which `</script` would end.
  if (/<\/script/i.test(js)) throw new Error('page.js contains </script: it cannot be inlined');
  const sizes = Object.fromEntries(['page.js', 'page.css'].map((f) => [f, fs.statSync(path.join(outDir, f)).size]));
  const inputs = Object.keys(result.metafile.inputs);
  return { outDir, sizes, inputs, ms: Math.round(performance.now() - started) };
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const result = await buildSelfCheck({ outDir: outIndex >= 0 ? path.resolve(args[outIndex + 1]) : undefined, minify: !args.includes('--no-minify') });
  const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(`self-check page: ${path.relative(root, result.outDir) || '.'} (page.js ${kb(result.sizes['page.js'])}, page.css ${kb(result.sizes['page.css'])}) in ${result.ms} ms`);
}
