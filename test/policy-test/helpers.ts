/** Shared fixtures of the policy-test tests: the small policy, goldens, an in-process CLI. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { hasErrors } from '../../src/model/diagnostics.js';
import type { Policy } from '../../src/model/types.js';

/** This directory. */
export const HERE = dirname(fileURLToPath(import.meta.url));

/** A fixture policy directory, relative to the repository root (as a user would type it). */
export function fixtureDir(name: string): string {
  return `test/policy-test/fixtures/${name}`;
}

/** Loads a fixture policy or fails. */
export function fixturePolicy(name = 'small'): Policy {
  const loaded = loadPolicy(join(HERE, 'fixtures', name));
  if (!loaded.policy || hasErrors(loaded.diagnostics)) throw new Error(`fixture ${name} has errors: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.policy;
}

/** Compares `actual` with a golden file; `UPDATE_GOLDEN=1` rewrites it. */
export function golden(name: string, actual: string): void {
  const path = join(HERE, 'golden', name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    if (process.env.UPDATE_GOLDEN !== '1') throw new Error(`golden file ${name} is missing: run with UPDATE_GOLDEN=1`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

/** Runs `clausal` in-process with captured output and a fixed today. */
export { runCli as cli, type CliRun } from '../helpers/policy.js';
