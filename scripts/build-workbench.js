#!/usr/bin/env node
// Builds the policy workbench (`clausal serve`) into dist/workbench/: the browser app with the
// engine bundled in (app.js), its stylesheet (app.css) and page (index.html). Part of
// `npm run build`, so `npm ci` (prepare) produces it; the server reads these files and needs
// no network at run time.
//
//   node scripts/build-workbench.js [--out DIR] [--no-minify]
//
// The engine validates YAML rule files with ajv, which compiles schemas with `new Function`.
// The page forbids that (its Content-Security-Policy has no 'unsafe-eval'), so here the schema
// is compiled ahead of time with ajv's standalone code generation, and the bundle's `ajv`
// import is replaced by a stand-in whose `compile` hands back that precompiled validator.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const SCHEMA_MODULE = path.join(root, 'src/yaml/schema.ts');

/** The rule-file schema as the engine declares it (bundled on the fly: dist/ may be stale). */
async function loadPolicySchema() {
  const built = await esbuild.build({ entryPoints: [SCHEMA_MODULE], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent' });
  const url = `data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString('base64')}`;
  const mod = await import(url);
  return mod.POLICY_SCHEMA;
}

/** ajv's standalone validator for the schema, with the options src/yaml/load-yaml.ts uses. */
async function precompiledValidator() {
  const { default: Ajv } = require('ajv');
  const { default: standaloneCode } = require('ajv/dist/standalone');
  const schema = await loadPolicySchema();
  const ajv = new Ajv({ strict: true, allErrors: true, verbose: true, allowUnionTypes: true, code: { source: true, esm: true } });
  return standaloneCode(ajv, ajv.compile(schema));
}

function ajvShim(validatorCode) {
  return {
    name: 'ajv-precompiled',
    setup(build) {
      build.onResolve({ filter: /^ajv$/ }, () => ({ path: 'ajv', namespace: 'ajv-shim' }));
      build.onResolve({ filter: /^clausal-precompiled-policy-validator$/ }, () => ({ path: 'validator', namespace: 'ajv-shim' }));
      build.onLoad({ filter: /^validator$/, namespace: 'ajv-shim' }, () => ({ contents: validatorCode, loader: 'js', resolveDir: root }));
      build.onLoad({ filter: /^ajv$/, namespace: 'ajv-shim' }, () => ({
        loader: 'js',
        resolveDir: root,
        contents: `
import validatePolicy from 'clausal-precompiled-policy-validator';
import { POLICY_SCHEMA } from ${JSON.stringify(SCHEMA_MODULE)};
export class Ajv {
  compile(schema) {
    if (schema === POLICY_SCHEMA) return validatePolicy;
    throw new Error('the workbench bundle has no precompiled validator for this schema');
  }
}
export default Ajv;
`,
      }));
    },
  };
}

/** Builds the app into `outDir`; returns the sizes of what it wrote and the time taken. */
export async function buildWorkbench({ outDir = path.join(root, 'dist/workbench'), minify = true } = {}) {
  const started = performance.now();
  fs.mkdirSync(outDir, { recursive: true });
  const validatorCode = await precompiledValidator();
  await esbuild.build({
    entryPoints: { app: path.join(root, 'src/workbench/main.ts'), },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    minify,
    charset: 'utf8',
    legalComments: 'linked',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [ajvShim(validatorCode)],
    logLevel: 'warning',
  });
  await esbuild.build({
    entryPoints: { app: path.join(root, 'src/workbench/app.css') },
    outdir: outDir,
    bundle: true,
    minify,
    charset: 'utf8',
    logLevel: 'warning',
  });
  fs.copyFileSync(path.join(root, 'src/workbench/index.html'), path.join(outDir, 'index.html'));
  const sizes = Object.fromEntries(['app.js', 'app.css', 'index.html'].map((f) => [f, fs.statSync(path.join(outDir, f)).size]));
  return { outDir, sizes, ms: Math.round(performance.now() - started) };
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const result = await buildWorkbench({ outDir: outIndex >= 0 ? path.resolve(args[outIndex + 1]) : undefined, minify: !args.includes('--no-minify') });
  const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(`workbench: ${path.relative(root, result.outDir) || '.'} (app.js ${kb(result.sizes['app.js'])}, app.css ${kb(result.sizes['app.css'])}) in ${result.ms} ms`);
}
