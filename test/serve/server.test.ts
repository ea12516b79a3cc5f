/**
 * The workbench server (`clausal serve`) at the HTTP level: it reads nothing outside the policy
 * directory whatever the path looks like, refuses oversized bodies without reading them, binds
 * only loopback unless told, answers only its own Host and Origin, and saves only rule files
 * that parse, only over the version the client saw. Runs on a copy of the bundled policy, on
 * a free port (listen on 0), with stand-in app files (the real app is tested in the browser test).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAssetsDir, isLoopback, startWorkbench, WorkbenchStartError, type RunningWorkbench } from '../../src/serve/server.js';
import { isSafeRelativePath } from '../../src/serve/paths.js';
import { scanWorkspace } from '../../src/serve/workspace.js';
import { runCli } from '../helpers/policy.js';

const work = mkdtempSync(join(tmpdir(), 'clausal-serve-'));
const root = join(work, 'yunnan-social-work');
const assets = join(work, 'assets');
const outside = join(work, 'outside.clause');
let wb: RunningWorkbench;

beforeAll(async () => {
  // Never the committed policy: every test that writes works on this copy.
  cpSync('policies/yunnan-social-work', root, { recursive: true });
  mkdirSync(assets);
  writeFileSync(join(assets, 'index.html'), '<!doctype html><title>stand-in</title>');
  writeFileSync(join(assets, 'app.js'), '/* stand-in */');
  writeFileSync(join(assets, 'app.css'), '/* stand-in */');
  writeFileSync(outside, '# outside the root\n');
  symlinkSync('/etc', join(root, 'etc-link'));
  symlinkSync(outside, join(root, '2021', '99-link.clause'));
  wb = await startWorkbench({ root, port: 0, assetsDir: assets, maxBodyBytes: 1024 * 1024 });
});

afterAll(async () => {
  await wb?.close();
});

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** A raw request: the path goes out exactly as written (fetch would normalise `..` away). */
function raw(method: string, path: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: wb.port, method, path, headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function save(body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return raw('PUT', '/api/file', { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers } });
}

async function diskHash(path: string): Promise<string> {
  const r = await raw('GET', `/api/file?path=${encodeURIComponent(path)}`);
  return (JSON.parse(r.body) as { hash: string }).hash;
}

describe('paths outside the policy directory are refused', () => {
  const attempts = [
    '/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    '/..%2f..%2f..%2fetc%2fpasswd',
    '/%252e%252e/%252e%252e/etc/passwd',
    '/..%5c..%5cetc%5cpasswd',
    '/api/file?path=../../etc/passwd',
    '/api/file?path=..%2F..%2F..%2Fetc%2Fpasswd',
    '/api/file?path=%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/api/file?path=%252e%252e%252f%252e%252e%252fetc%252fpasswd',
    '/api/file?path=/etc/passwd',
    '/api/file?path=%2Fetc%2Fpasswd',
    '/api/file?path=2021/../../../../etc/passwd',
    '/api/file?path=2021%5C..%5C..%5C..%5Cetc%5Cpasswd',
    '/api/file?path=etc-link/passwd',
    '/api/file?path=2021/99-link.clause',
    '/api/file?path=2021/00-policy.clause%00.txt',
    '/api/file?path=2021/./00-policy.clause',
    '/api/file?path=2021//00-policy.clause',
    '/api/file?path=2021',
  ];
  it.each(attempts)('GET %s', async (path) => {
    const r = await raw('GET', path);
    expect([403, 404]).toContain(r.status);
    expect(r.body).not.toMatch(/root:|outside the root/);
  });

  it('names the refusal with X0009 in both languages', async () => {
    const r = await raw('GET', '/api/file?path=../../etc/passwd');
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error).toEqual({
      code: 'X0009',
      message: {
        zh: '`../../etc/passwd` 不是政策目录中可读写的文件',
        en: '`../../etc/passwd` is not a file the workbench may read or write in the policy directory',
      },
    });
  });

  it.each(['../outside.clause', '2021/99-link.clause', '/etc/passwd', 'examples/province.yaml', '2021/tests.yaml', '2021/source.txt'])('PUT %s is refused and nothing is written', async (path) => {
    const before = readFileSync(outside, 'utf8');
    const r = await save({ path, text: 'policy x version "1"\n', hash: '0' });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error.code).toBe('X0009');
    expect(readFileSync(outside, 'utf8')).toBe(before);
  });

  it('reads files that are inside', async () => {
    const r = await raw('GET', '/api/file?path=2021%2F10-params.clause');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).text).toContain('param civil_affairs_share');
  });

  it.each([
    ['ordinary', '2021/10-params.clause', true],
    ['parent segment', 'a/../b', false],
    ['dot segment', './a', false],
    ['hidden name', '2021/.env.json', false],
    ['absolute', '/a', false],
    ['backslash', 'a\\b', false],
    ['drive letter', 'C:x', false],
    ['NUL', 'a\0b', false],
    ['empty segment', 'a//b', false],
    ['empty', '', false],
  ] as const)('isSafeRelativePath: %s', (_note, path, ok) => {
    expect(isSafeRelativePath(path)).toBe(ok);
  });
});

describe('request bodies are limited', () => {
  it('refuses a 100 MB body by its Content-Length, before reading it', async () => {
    const r = await new Promise<Reply>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1', port: wb.port, method: 'PUT', path: '/api/file',
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(100 * 1024 * 1024) },
      }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      });
      req.on('error', reject);
      // Send only the first megabyte: the answer must come without the rest.
      req.write(Buffer.alloc(1024 * 1024, 0x20));
    });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).error.code).toBe('X0010');
  });

  it('refuses a chunked body once it passes the limit, having read no more than that', async () => {
    let sent = 0;
    let answered = false;
    const r = await new Promise<Reply>((resolve) => {
      const req = request({ host: '127.0.0.1', port: wb.port, method: 'PUT', path: '/api/file', headers: { 'Content-Type': 'application/json' } }, (res) => {
        answered = true;
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      });
      req.on('error', () => resolve({ status: -1, body: '', headers: {} }));
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      const pump = () => {
        // Bounded: stops at 100 MB even if the server never answered.
        while (sent < 100 * 1024 * 1024 && !req.destroyed && !answered) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(r.status).toBe(413);
    expect(sent).toBeLessThan(100 * 1024 * 1024);
  });

  it('still answers afterwards', async () => {
    expect((await raw('GET', '/api/workspace')).status).toBe(200);
  });
});

describe('other sites and other hosts', () => {
  it('answers only its own Host names (DNS rebinding)', async () => {
    expect((await raw('GET', '/api/workspace', { headers: { Host: `attacker.example:${wb.port}` } })).status).toBe(421);
    expect((await raw('GET', '/api/workspace', { headers: { Host: `localhost:${wb.port}` } })).status).toBe(200);
  });

  it('refuses writes from another origin or without a JSON content type', async () => {
    const hash = await diskHash('2021/10-params.clause');
    const text = readFileSync(join(root, '2021/10-params.clause'), 'utf8');
    expect((await save({ path: '2021/10-params.clause', text, hash }, { Origin: 'http://attacker.example' })).status).toBe(403);
    expect((await save({ path: '2021/10-params.clause', text, hash }, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    const plain = await raw('PUT', '/api/file', { body: JSON.stringify({ path: '2021/10-params.clause', text, hash }), headers: { 'Content-Type': 'text/plain' } });
    expect(plain.status).toBe(415);
  });

  it('serves the app page with a Content-Security-Policy and no framing', async () => {
    const r = await raw('GET', '/');
    expect(r.status).toBe(200);
    expect(String(r.headers['content-security-policy'])).toMatch(/default-src 'none'; script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(String(r.headers['content-security-policy'])).not.toContain('unsafe-eval');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect((await raw('GET', '/app.js')).headers['content-type']).toMatch(/javascript/);
    expect((await raw('GET', '/nothing-here')).status).toBe(404);
    expect((await raw('DELETE', '/api/file?path=2021/10-params.clause')).status).toBe(405);
  });

  it.each([
    ['127.0.0.1', true], ['127.1.2.3', true], ['localhost', true], ['::1', true], ['[::1]', true],
    ['0.0.0.0', false], ['192.168.1.10', false], ['::', false], ['example.org', false],
  ] as const)('isLoopback(%s) is %s', (host, want) => {
    expect(isLoopback(host)).toBe(want);
  });

  it('refuses a non-loopback bind unless it is allowed explicitly (X0008)', async () => {
    const e = await startWorkbench({ root, port: 0, host: '0.0.0.0', assetsDir: assets }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WorkbenchStartError);
    expect((e as WorkbenchStartError).diagnostic.code).toBe('X0008');
  });
});

describe('saving', () => {
  const path = '2021/10-params.clause';

  it('writes a file that parses, over the version the client saw', async () => {
    const before = readFileSync(join(root, path), 'utf8');
    const hash = await diskHash(path);
    const text = before.replace('= 70%', '= 75%');
    const r = await save({ path, text, hash });
    expect(r.status).toBe(200);
    expect(readFileSync(join(root, path), 'utf8')).toBe(text);
    expect(JSON.parse(r.body).hash).toBe(await diskHash(path));
  });

  it('does not overwrite a file changed on disk meanwhile (X0011), and hands back what is there', async () => {
    const seen = await diskHash(path);
    const theirs = `${readFileSync(join(root, path), 'utf8')}# edited elsewhere\n`;
    writeFileSync(join(root, path), theirs);
    const r = await save({ path, text: theirs.replace('= 75%', '= 80%'), hash: seen });
    expect(r.status).toBe(409);
    const body = JSON.parse(r.body);
    expect(body.error.code).toBe('X0011');
    expect(body.current.text).toBe(theirs);
    expect(readFileSync(join(root, path), 'utf8')).toBe(theirs);
    // Overwriting is a second, explicit request naming the version now on disk.
    const again = await save({ path, text: theirs.replace('= 75%', '= 80%'), hash: body.current.hash });
    expect(again.status).toBe(200);
  });

  it('does not write a file that does not parse (X0012), and says where', async () => {
    const before = readFileSync(join(root, path), 'utf8');
    const r = await save({ path, text: `${before}\nparam broken: percent = \n`, hash: await diskHash(path) });
    expect(r.status).toBe(422);
    const body = JSON.parse(r.body);
    expect(body.error.code).toBe('X0012');
    expect(body.diagnostics[0]).toMatchObject({ severity: 'error' });
    expect(body.diagnostics[0].line).toBeGreaterThan(1);
    expect(readFileSync(join(root, path), 'utf8')).toBe(before);
  });

  it('refuses a malformed save request', async () => {
    expect((await save({ path })).status).toBe(400);
    expect((await raw('PUT', '/api/file', { body: '{', headers: { 'Content-Type': 'application/json' } })).status).toBe(400);
  });
});

describe('the workspace', () => {
  it('finds the versions, their files, the sources and the facts', () => {
    const ws = scanWorkspace(root, 'yunnan-social-work');
    expect(ws.policies.map((p) => p.dir)).toEqual(['2021', '2025-draft', 'supplements/kunming']);
    expect(ws.policies[0].files).toContain('2021/40-grading.yaml');
    expect(ws.policies[0].files).not.toContain('2021/tests.yaml');
    expect(ws.files.filter((f) => f.role === 'source').map((f) => f.path)).toEqual(['2021/source.txt', '2025-draft/source.txt']);
    expect(ws.facts.map((f) => f.path)).toEqual(['examples/kunming-schools.yaml', 'examples/province.yaml']);
  });
});

describe('clausal serve', () => {
  it('starts, serves, and stops on SIGINT with exit 0', async () => {
    // The command serves dist/workbench/, which `npm ci` builds; build it when a checkout has not.
    if (!existsSync(join(defaultAssetsDir(), 'index.html'))) {
      const build = spawnSync(process.execPath, ['scripts/build-workbench.js'], { encoding: 'utf8' });
      expect(build.status, build.stderr).toBe(0);
    }
    const before = new Set(process.listeners('SIGINT'));
    let stdout = '';
    const { main } = await import('../../src/cli/main.js');
    const running = main(['serve', root, '--port', '0'], {
      stdout: { write: (c: string) => (stdout += c) }, stderr: { write: () => true }, cwd: work, env: {}, today: '2023-03-01',
    });
    // Wait for the address line, then fetch the workspace from it.
    for (let i = 0; i < 200 && !stdout.includes('http://'); i++) await new Promise((r) => setTimeout(r, 25));
    const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout)?.[0];
    expect(stdout).toContain('政策工作台已启动');
    expect(url).toBeDefined();
    expect((await fetch(`${url}api/workspace`)).status).toBe(200);
    // Call the command's own SIGINT handler rather than signal the test process.
    const added = process.listeners('SIGINT').filter((l) => !before.has(l));
    expect(added).toHaveLength(1);
    (added[0] as () => void)();
    expect(await running).toBe(0);
  });

  it.each([
    ['a bad port', ['serve', 'policies/yunnan-social-work', '--port', 'http'], 2, 'X0004'],
    ['two directories', ['serve', 'a', 'b'], 2, 'X0004'],
    ['a missing directory', ['serve', 'no/such/dir', '--port', '0'], 1, 'X0006'],
  ])('%s: exit code and diagnostic', async (_note, argv, code, diag) => {
    const r = await runCli(argv);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(diag);
  });

  it('warns that an explicit non-loopback --host opens the workbench (X0013), and reports a failed bind (X0008)', async () => {
    // 192.0.2.1 (TEST-NET-1) is never assigned here: the bind fails locally and nothing is sent.
    const r = await runCli(['serve', root, '--port', '0', '--host', '192.0.2.1', '--lang', 'en']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('warning X0013');
    expect(r.stderr).toContain('error X0008');
  });
});
