#!/usr/bin/env node
// Packages the extension into clausal-vscode-<version>.vsix with @vscode/vsce:
//
//   cd editors/vscode && npm run package        (or: node editors/vscode/scripts/package.mjs)
//
// Copies the rule-file JSON Schemas from docs/schema/ (the YAML extension reads them from the
// package), installs the extension's own dependencies here (the language client, vsce; never
// into the repository's root), then runs `vsce package`. Needs the npm registry; not run by tests.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(here, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

mkdirSync(join(here, 'schemas'), { recursive: true });
for (const name of ['policy.schema.json', 'policy-tests.schema.json']) copyFileSync(join(repo, 'docs', 'schema', name), join(here, 'schemas', name));

execFileSync(npm, ['install', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' });
const { version } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const out = `clausal-vscode-${version}.vsix`;
execFileSync(npx, ['vsce', 'package', '--allow-missing-repository', '--skip-license', '--out', out], { cwd: here, stdio: 'inherit' });
console.log(`packaged ${join(here, out)}`);
