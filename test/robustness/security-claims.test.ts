/**
 * Claims of SECURITY.md that no other test shows: an unexpected internal error is one line and
 * exit 70 (the stack only with CLAUSAL_DEBUG), and a code frame is left out for a line longer
 * than 400 characters, so a one-line hostile file cannot flood the terminal through a frame.
 */
import { describe, expect, it } from 'vitest';
import { registerCommand } from '../../src/cli/main.js';
import { runCli } from '../helpers/policy.js';
import { put, tempDir } from './harness.js';

const dir = tempDir('claims');

// A command that fails as a bug would: the CLI must not let the exception out.
registerCommand('internal-error-probe', {
  options: {},
  usage: 'clausal internal-error-probe',
  run() {
    throw new Error('probe failure');
  },
});

describe('SECURITY.md claims', () => {
  it('an internal error prints one line and exits 70; the stack only with CLAUSAL_DEBUG', async () => {
    const plain = await runCli(['internal-error-probe']);
    expect(plain.code).toBe(70);
    expect(plain.stderr).toBe('clausal: internal error: probe failure\n');
    const debug = await runCli(['internal-error-probe'], '2022-06-01', { CLAUSAL_DEBUG: '1' });
    expect(debug.code).toBe(70);
    expect(debug.stderr).toMatch(/^clausal: internal error: probe failure\nError: probe failure\n\s+at /);
  });

  it('a code frame shows lines up to 400 characters and leaves longer ones out', async () => {
    const short = put(dir, 'short/p.clause', `policy t version "1"\nkind unit from units { n: integer }\nparam p: integer = ${'1 + '.repeat(50)}§\n`).replace(/\/p\.clause$/, '');
    const long = put(dir, 'long/p.clause', `policy t version "1"\nkind unit from units { n: integer }\nparam p: integer = ${'1 + '.repeat(200)}§\n`).replace(/\/p\.clause$/, '');
    const a = await runCli(['check', short, '--lang', 'en']);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/^3 \| param p/m);
    const b = await runCli(['check', long, '--lang', 'en']);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/p\.clause:3:\d+: error S0001/);
    expect(b.stderr).not.toMatch(/^3 \| /m);
  });
});
