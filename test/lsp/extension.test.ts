/**
 * The VS Code extension's manifest agrees with the server and with itself: every file it names
 * exists, its settings are the ones the server reads, the schemas it associates are the ones
 * docs/schema publishes, and its packaging stays out of the repository's own dependencies.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const EXT = 'editors/vscode';
const manifest = JSON.parse(readFileSync(join(EXT, 'package.json'), 'utf8'));
const extension = readFileSync(join(EXT, 'extension.js'), 'utf8');
const packager = readFileSync(join(EXT, 'scripts/package.mjs'), 'utf8');
const server = readFileSync('src/lsp/server.ts', 'utf8');

describe('editors/vscode', () => {
  it('names files that exist', () => {
    const paths = [manifest.main, ...manifest.contributes.languages.map((l: { configuration: string }) => l.configuration), ...manifest.contributes.grammars.map((g: { path: string }) => g.path)];
    for (const p of paths) expect(existsSync(join(EXT, p)), p).toBe(true);
    expect(() => JSON.parse(readFileSync(join(EXT, 'language-configuration.json'), 'utf8'))).not.toThrow();
  });

  it('offers the settings the server reads (lang, asOf) with the values it accepts', () => {
    const props = manifest.contributes.configuration.properties;
    expect(props['clausal.lang'].enum).toEqual(['auto', 'zh', 'en']);
    expect(props['clausal.asOf'].pattern).toBe('^(\\d{4}-\\d{2}-\\d{2})?$');
    for (const key of ['lang', 'asOf']) expect(server).toContain(`r.${key}`);
    expect(extension).toContain("configurationSection: 'clausal'");
    expect(extension).toContain("args: ['lsp', '--stdio']");
  });

  it('packages the schemas docs/schema publishes, with dependencies of its own', () => {
    for (const name of ['policy.schema.json', 'policy-tests.schema.json']) {
      expect(existsSync(join('docs/schema', name))).toBe(true);
      expect(packager).toContain(name);
      expect(extension).toContain(name);
    }
    expect(Object.keys(manifest.devDependencies)).toContain('@vscode/vsce');
    const root = JSON.parse(readFileSync('package.json', 'utf8'));
    expect({ ...root.dependencies, ...root.devDependencies }).not.toHaveProperty('@vscode/vsce');
    expect({ ...root.dependencies, ...root.devDependencies }).not.toHaveProperty('vscode-languageclient');
  });
});
