/**
 * SECURITY.md and docs/dependencies.md stay true: the limits table names each default the code
 * uses, with its code, and every runtime dependency in package.json has its section.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FACTS_LIMITS } from '../../src/facts/facts.js';
import { DEFAULT_PARSE_LIMITS } from '../../src/syntax/parse.js';
import { DEFAULT_YAML_LIMITS } from '../../src/yaml/load-yaml.js';
import { DEFAULT_MAX_COMPILED_SIZE } from '../../src/check/checker.js';
import { DEFAULT_MAX_RUN_STEPS, DEFAULT_MAX_STEPS } from '../../src/compile/budget.js';

const security = readFileSync('SECURITY.md', 'utf8');
const rows = security.split('\n').filter((l) => l.startsWith('|'));
const fmt = (n: number) => n.toLocaleString('en-US');

describe('SECURITY.md', () => {
  const LIMITS: [string, number, string][] = [
    ['rule file size', DEFAULT_PARSE_LIMITS.maxFileSize, 'S0009'],
    ['tokens', DEFAULT_PARSE_LIMITS.maxTokens!, 'S0015'],
    ['nesting of brackets', DEFAULT_PARSE_LIMITS.maxDepth, 'S0010'],
    ['expression depth', DEFAULT_PARSE_LIMITS.maxExprDepth, 'S0010'],
    ['errors per file', DEFAULT_PARSE_LIMITS.maxErrors, 'S0012'],
    ['YAML rule nesting', DEFAULT_YAML_LIMITS.maxYamlDepth, 'S0010'],
    ['alias expansion', DEFAULT_YAML_LIMITS.maxAliasExpansion, 'Y0004'],
    ['JSON facts size', DEFAULT_FACTS_LIMITS.maxFileSize!, 'F0016'],
    ['YAML facts size', DEFAULT_FACTS_LIMITS.maxYamlFileSize!, 'F0016'],
    ['subjects', DEFAULT_FACTS_LIMITS.maxSubjects, 'F0012'],
    ['YAML facts nesting', DEFAULT_FACTS_LIMITS.maxDepth!, 'F0017'],
    ['reference chains', DEFAULT_FACTS_LIMITS.maxChainDepth!, 'F0021'],
    ['facts errors', DEFAULT_FACTS_LIMITS.maxErrors, 'S0012'],
    ['compiled size', DEFAULT_MAX_COMPILED_SIZE, 'C0101'],
    ['steps per subject', DEFAULT_MAX_STEPS, 'E0100'],
    ['steps per run', DEFAULT_MAX_RUN_STEPS, 'E0101'],
  ];

  it.each(LIMITS)('the limits table states %s: %d (%s)', (_what, value, code) => {
    const row = rows.find((r) => r.includes(`| ${code} |`) && new RegExp(`(^|[^\\d,])${fmt(value)}([^\\d,]|$)`).test(r));
    expect(row, `a row of SECURITY.md with ${fmt(value)} and ${code}`).toBeDefined();
  });

  it('names the reporting route and what is trusted', () => {
    expect(security).toMatch(/## What the engine trusts\s+Nothing in its input/);
    expect(security).toContain('## Reporting a problem');
  });
});

describe('docs/dependencies.md', () => {
  it('has a section for every runtime dependency in package.json', () => {
    const deps = Object.keys((JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {});
    const page = readFileSync('docs/dependencies.md', 'utf8');
    const sections = [...page.matchAll(/^## (\S+)\s*$/gm)].map((m) => m[1]);
    expect(deps.filter((d) => !sections.includes(d)), 'document them in docs/dependencies.md').toEqual([]);
  });
});
