/**
 * The diagnostic catalogue: every code has zh and en wording with the same placeholders, codes
 * are never declared twice, the stage letter is one of the documented ones, and every code is
 * exercised somewhere in the test suite (named in a test or a test case file).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/model/diagnostics.js';

function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? (name === 'artifacts' ? [] : filesUnder(path)) : [path];
  });
}

describe('diagnostic catalogue', () => {
  const codes = Object.keys(CATALOGUE) as (keyof typeof CATALOGUE)[];

  it.each(codes)('%s has zh and en with the same placeholders', (code) => {
    const t = CATALOGUE[code];
    expect(t.zh.length).toBeGreaterThan(0);
    expect(t.en.length).toBeGreaterThan(0);
    expect(placeholders(t.zh)).toEqual(placeholders(t.en));
    expect(code).toMatch(/^[SYCEFXTR]\d{4}$/);
  });

  it('declares no code twice (a duplicate key would silently replace the first wording)', () => {
    const source = readFileSync('src/model/diagnostics.ts', 'utf8');
    const declared = [...source.matchAll(/^\s+([SYCEFXTR]\d{4}):/gm)].map((m) => m[1]);
    expect(declared.length).toBe(new Set(declared).size);
  });

  it('every code is exercised by at least one test or test case', () => {
    const corpus = filesUnder('test').filter((f) => /\.(ts|ya?ml|json|txt|md)$/.test(f)).map((f) => readFileSync(f, 'utf8')).join('\n');
    const unexercised = codes.filter((c) => !corpus.includes(c));
    expect(unexercised).toEqual([]);
  });
});
