/**
 * `POST /api/test`, the workbench's test tab on the server: it runs a version's tests as
 * `clausal test` does (same JSON and text, paths relative to the served folder), on the rule
 * files as the browser holds them (unsaved edits sent along, nothing written), and refuses any
 * directory or file that is not a policy's own under the root.
 */
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkbench, type RunningWorkbench } from '../../src/serve/server.js';
import { runCli } from '../helpers/policy.js';

const work = mkdtempSync(join(tmpdir(), 'clausal-serve-tests-'));
const root = join(work, 'yunnan-social-work');
const assets = join(work, 'assets');
let wb: RunningWorkbench;

const PARAMS = '2021/10-params.clause';
const params = () => readFileSync(join(root, PARAMS), 'utf8');
const raised = () => params().replace(/(param civil_affairs_share:[^\n]*= )70%/, '$175%');

beforeAll(async () => {
  cpSync('policies/yunnan-social-work', root, { recursive: true });
  // A draft whose rule file is a link to a file outside the served folder.
  cpSync('policies/yunnan-social-work/2021', join(root, 'linked'), { recursive: true });
  writeFileSync(join(work, 'elsewhere.clause'), '# outside the root\n');
  symlinkSync(join(work, 'elsewhere.clause'), join(root, 'linked', '99-elsewhere.clause'));
  // Facts a test could name outside the served folder: beside it, and through a link inside it.
  writeFileSync(join(work, 'secret.yaml'), 'institutions:\n  - { id: SECRET-LEAK, category: social_welfare_home }\n');
  symlinkSync(join(work, 'secret.yaml'), join(root, 'examples', 'leak.yaml'));
  cpSync('policies/yunnan-social-work/2021', join(root, 'draft'), { recursive: true });
  cpSync('src/workbench/index.html', join(assets, 'index.html'));
  writeFileSync(join(assets, 'app.js'), '/* stand-in */');
  writeFileSync(join(assets, 'app.css'), '/* stand-in */');
  wb = await startWorkbench({ root, port: 0, assetsDir: assets });
});

afterAll(async () => {
  await wb?.close();
});

function post(body: unknown, type = 'application/json', method = 'POST', path = '/api/test'): Promise<{ status: number; json: Record<string, any> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: wb.port, method, path, headers: { 'Content-Type': type } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as Record<string, any>) : {} }));
    });
    req.on('error', reject);
    req.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
}

/** `clausal test --format json` of a directory, with its paths as the workbench names them. */
async function cli(dir: string, lang: 'zh' | 'en', format: 'json' | 'text') {
  const r = await runCli(['test', join(root, dir), '--format', format, '--lang', lang]);
  const text = r.stdout.split(`${root}/`).join('');
  return { code: r.code, out: format === 'json' ? (JSON.parse(text) as Record<string, unknown>) : text };
}

describe('the test tab runs the tests on the server', () => {
  it('gives what `clausal test` gives for the saved files', async () => {
    const r = await post({ dir: '2021', lang: 'zh', edits: [] });
    expect(r.status).toBe(200);
    expect(r.json.ok).toBe(true);
    expect(r.json.report.summary.failed).toBe(0);
    expect(r.json.report.cases.length).toBeGreaterThan(10);
    expect(r.json.report).toEqual((await cli('2021', 'zh', 'json')).out);
    expect(r.json.text).toBe((await cli('2021', 'zh', 'text')).out);
    expect(r.json.testDiagnostics).toEqual([]);
  });

  it('runs on the unsaved edit (75%), fails where `clausal test` fails on that change, and writes nothing', async () => {
    const before = params();
    const r = await post({ dir: '2021', lang: 'zh', edits: [{ path: PARAMS, text: raised() }] });
    expect(params()).toBe(before);
    expect(r.json.ok).toBe(true);
    const failures = r.json.report.failures as { rule: string; file: string; line: number; actual: { status: string } }[];
    expect(failures.length).toBe(4);
    expect(new Set(failures.map((f) => f.rule))).toEqual(new Set(['civil-affairs-post-share']));
    expect(failures.every((f) => f.file === '2021/tests.yaml' && f.line > 0)).toBe(true);
    expect(r.json.text).toContain('预期：');
    // The same change made on disk gives the same report from the command line.
    writeFileSync(join(root, PARAMS), raised());
    try {
      const c = await cli('2021', 'zh', 'json');
      expect(c.code).toBe(1);
      expect(r.json.report).toEqual(c.out);
    } finally {
      writeFileSync(join(root, PARAMS), before);
    }
  });

  it('answers in English when asked', async () => {
    const r = await post({ dir: '2021', lang: 'en', edits: [{ path: PARAMS, text: raised() }] });
    expect(r.json.text).toContain('expected');
    expect(r.json.text).toMatch(/tests: 1 file, \d+ cases, \d+ checks: \d+ passed, 4 failed/);
  });

  it('names the errors of an edit that breaks the policy, by file, line and column', async () => {
    const broken = params().replace(/(param civil_affairs_share:[^\n]*= )70%/, '$175');
    const r = await post({ dir: '2021', lang: 'zh', edits: [{ path: PARAMS, text: broken }] });
    expect(r.status).toBe(200);
    expect(r.json.ok).toBe(false);
    const d = r.json.policyDiagnostics[0];
    expect(d).toMatchObject({ code: 'C0003', file: PARAMS, line: 4 });
    expect(d.message.zh).toContain('类型不符');
  });

  it('says so when a version has no tests, and applies an edited base to the version that extends it', async () => {
    const none = await post({ dir: 'supplements/kunming', lang: 'zh', edits: [] });
    expect(none.json.ok).toBe(true);
    expect(none.json.testDiagnostics.map((d: { code: string }) => d.code)).toEqual(['T0001']);
    expect(none.json.testDiagnostics[0].message.zh).toContain('没有测试文件');
    expect(none.json.testDiagnostics[0].message.zh).not.toContain(root);
    const broken = params().replace(/(param civil_affairs_share:[^\n]*= )70%/, '$175');
    const viaBase = await post({ dir: 'supplements/kunming', lang: 'zh', edits: [{ path: PARAMS, text: broken }] });
    expect(viaBase.json.ok).toBe(false);
    expect(viaBase.json.policyDiagnostics[0]).toMatchObject({ code: 'C0003', file: PARAMS, line: 4 });
  });

  it.each([
    { dir: '..', edits: [] },
    { dir: '../..', edits: [] },
    { dir: '/etc', edits: [] },
    { dir: 'examples', edits: [] },
    { dir: 'linked', edits: [] },
    { dir: '2021', edits: [{ path: 'examples/province.yaml', text: 'x' }] },
    // A test file is replaced only for the version run, never another version's.
    { dir: '2021', edits: [{ path: 'linked/tests.yaml', text: 'x' }] },
    { dir: '2021', edits: [{ path: '../outside.clause', text: 'x' }] },
    { dir: '2021', edits: [{ path: 'linked/99-elsewhere.clause', text: 'x' }] },
  ])('refuses $dir with edits $edits (X0009)', async (body) => {
    const r = await post({ ...body, lang: 'zh' });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('X0009');
    expect(JSON.stringify(r.json)).not.toContain('outside the root');
  });

  it('refuses malformed requests', async () => {
    expect((await post('{')).status).toBe(400);
    expect((await post({ dir: '2021', lang: 'fr', edits: [] })).status).toBe(400);
    expect((await post({ dir: '2021', lang: 'zh', edits: [{ path: PARAMS }] })).status).toBe(400);
    expect((await post({ dir: '2021', lang: 'zh', edits: [] }, 'text/plain')).status).toBe(415);
    expect((await post('', 'application/json', 'GET')).status).toBe(405);
  });
});

describe('tests.yaml is edited and saved in the workbench, and reads facts only inside the served folder', () => {
  const TESTS = 'draft/tests.yaml';
  const tests = () => readFileSync(join(root, TESTS), 'utf8');
  const hash = (t: string) => createHash('sha256').update(t).digest('hex');
  /** The draft's tests with one more case whose facts are the file `facts`. */
  const naming = (facts: string) => `${tests()}\n  - name: facts from a file\n    facts: ${facts}\n    expect:\n      - { subject: SECRET-LEAK, rule: post-duties-defined, status: unknown }\n`;

  it('lists the test files of each version, with their text and hash', async () => {
    const ws = await post('', 'application/json', 'GET', '/api/workspace');
    const draft = (ws.json.policies as { dir: string; tests: string[] }[]).find((p) => p.dir === 'draft');
    expect(draft?.tests).toEqual([TESTS]);
    expect((ws.json.files as { path: string; role: string; hash: string }[]).find((f) => f.path === TESTS)).toMatchObject({ role: 'test', hash: hash(tests()) });
  });

  it('runs the unsaved tests.yaml of the version, and writes nothing', async () => {
    const before = tests();
    const changed = before.replace('{ subject: DUTY-YES, rule: post-duties-defined, status: compliant, due: null }', '{ subject: DUTY-YES, rule: post-duties-defined, status: violation }');
    expect(changed).not.toBe(before);
    const r = await post({ dir: 'draft', lang: 'en', edits: [{ path: TESTS, text: changed }] });
    expect(r.json.ok).toBe(true);
    expect(r.json.report.failures).toEqual([expect.objectContaining({ subject: expect.objectContaining({ id: 'DUTY-YES' }), rule: 'post-duties-defined', file: TESTS })]);
    expect(tests()).toBe(before);
  });

  it.each([
    ['beside the served folder', '../../secret.yaml', '../secret.yaml'],
    ['through a link inside it', '../examples/leak.yaml', 'examples/leak.yaml'],
  ])('refuses a facts file %s (X0009)', async (_what, facts, shown) => {
    const r = await post({ dir: 'draft', lang: 'zh', edits: [{ path: TESTS, text: naming(facts) }] });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('X0009');
    expect(r.json.error.message.en).toContain(shown);
    expect(JSON.stringify(r.json)).not.toContain('SECRET-LEAK');
  });

  it('reads a facts file inside the served folder', async () => {
    const r = await post({ dir: 'draft', lang: 'en', edits: [{ path: TESTS, text: naming('../examples/province.yaml') }] });
    expect(r.status).toBe(200);
    expect(r.json.ok).toBe(true);
    // province.yaml has no SECRET-LEAK: the case is read and fails on that, not refused.
    expect(r.json.testDiagnostics.map((d: { code: string }) => d.code)).toContain('T0003');
  });

  it('saves tests.yaml when it is well-formed YAML, and refuses it (422 Y0001 at line:col) when not', async () => {
    const before = tests();
    const bad = await post({ path: TESTS, text: 'tests: [\n  - a\n', hash: hash(before) }, 'application/json', 'PUT', '/api/file');
    expect(bad.status).toBe(422);
    expect(bad.json.error.code).toBe('X0012');
    expect(bad.json.diagnostics[0]).toMatchObject({ code: 'Y0001', line: expect.any(Number), column: expect.any(Number) });
    expect(tests()).toBe(before);
    const text = before.replace('as_of: 2022-06-01', 'as_of: 2022-07-01');
    const ok = await post({ path: TESTS, text, hash: hash(before) }, 'application/json', 'PUT', '/api/file');
    expect(ok.status).toBe(200);
    expect(ok.json.hash).toBe(hash(text));
    expect(tests()).toBe(text);
    // Over a version it has not seen: the usual conflict.
    expect((await post({ path: TESTS, text: before, hash: hash(before) }, 'application/json', 'PUT', '/api/file')).status).toBe(409);
  });

  it.each(['examples/tests.yaml', 'examples/province.yaml', '../draft/tests.yaml'])('still refuses to save %s (X0009)', async (path) => {
    if (path === 'examples/tests.yaml') writeFileSync(join(root, path), 'as_of: 2022-06-01\ntests: []\n');
    const r = await post({ path, text: 'tests: []\n', hash: 'x' }, 'application/json', 'PUT', '/api/file');
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('X0009');
  });
});
