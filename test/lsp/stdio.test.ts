/**
 * The built command as an editor starts it: `clausal lsp --stdio` in a child process, spoken to
 * over its stdin/stdout; it answers, publishes diagnostics in the language asked for, and exits
 * 0 after `shutdown` + `exit`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAMILY, spawnedServer, uriOf } from './lsp-client.js';

describe('clausal lsp --stdio', () => {
  it('initializes, checks an edited buffer and shuts down cleanly', async () => {
    const client = spawnedServer(['--lang', 'en']);
    const init = await client.initialize();
    expect(init.serverInfo?.name).toBe('clausal');
    const rel = '2021/10-params.clause';
    const uri = await client.open(rel);
    expect(await client.waitForDiagnostics(uri)).toEqual([]);
    await client.change(uri, readFileSync(resolve(FAMILY, rel), 'utf8').replace('= 70%', '= 70'));
    const [d] = await client.waitForDiagnostics(uri, (ds) => ds.length > 0);
    expect(d.code).toBe('C0003');
    expect(d.message).toMatch(/^type mismatch: expected percent/);
    await client.close();
    expect(client.exitCode).toBe(0);
  });
});
