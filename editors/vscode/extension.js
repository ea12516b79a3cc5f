// The Clausal extension: starts `clausal lsp --stdio` for .clause and YAML rule files, and tells
// the YAML extension (redhat.vscode-yaml, if installed) which schema a rule file or a policy
// test file follows, so that YAML keys complete and validate as in docs/schema/.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

/** The command that runs the server: the setting, the workspace's own install, or the PATH. */
function serverExecutable() {
  const configured = vscode.workspace.getConfiguration('clausal').get('server.path');
  if (configured) return configured;
  const bin = process.platform === 'win32' ? 'clausal.cmd' : 'clausal';
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const local = path.join(folder.uri.fsPath, 'node_modules', '.bin', bin);
    if (fs.existsSync(local)) return local;
  }
  return bin;
}

function initializationOptions() {
  const cfg = vscode.workspace.getConfiguration('clausal');
  return { lang: cfg.get('lang'), asOf: cfg.get('asOf') };
}

/** Whether a YAML file is a rule file: a `policy:` header, or a `.clause` file beside it. */
function isRuleFile(file) {
  const name = path.basename(file);
  if (!/\.ya?ml$/.test(name) || /^tests\.ya?ml$|\.tests\.ya?ml$/.test(name)) return false;
  try {
    if (fs.readdirSync(path.dirname(file)).some((n) => n.endsWith('.clause'))) return true;
    return /^policy:/m.test(fs.readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}

const SCHEMES = { policy: 'clausal-schema://policy', tests: 'clausal-schema://policy-tests' };

async function associateSchemas(context) {
  const yaml = vscode.extensions.getExtension('redhat.vscode-yaml');
  if (!yaml) return;
  const api = await yaml.activate();
  if (!api || typeof api.registerContributor !== 'function') return;
  api.registerContributor(
    'clausal',
    (resource) => {
      const file = vscode.Uri.parse(resource).fsPath;
      if (/(^|[\\/])(tests\.ya?ml|[^\\/]+\.tests\.ya?ml)$/.test(file)) return SCHEMES.tests;
      return isRuleFile(file) ? SCHEMES.policy : undefined;
    },
    (uri) => {
      const name = uri === SCHEMES.tests ? 'policy-tests.schema.json' : 'policy.schema.json';
      return fs.readFileSync(context.asAbsolutePath(path.join('schemas', name)), 'utf8');
    },
  );
}

async function activate(context) {
  const command = serverExecutable();
  const serverOptions = {
    command,
    args: ['lsp', '--stdio'],
    // npm's .cmd shims need a shell on Windows.
    options: { shell: process.platform === 'win32' && command.endsWith('.cmd') },
  };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'clause' },
      { scheme: 'file', language: 'yaml' },
    ],
    initializationOptions: initializationOptions(),
    synchronize: {
      configurationSection: 'clausal',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{clause,yaml,yml,txt}'),
    },
  };
  client = new LanguageClient('clausal', 'Clausal', serverOptions, clientOptions);
  await client.start();
  await associateSchemas(context).catch((e) => client?.warn(`YAML schema association: ${e.message}`));
}

async function deactivate() {
  if (client) await client.stop();
}

module.exports = { activate, deactivate };
