/**
 * The workbench server (`clausal serve`) at the HTTP level: it reads nothing outside the policy
 * directory whatever the path looks like, refuses oversized bodies without reading them, binds
 * only loopback unless told, answers only its own Host and Origin, and saves only rule files
 * that parse, only over the version the client saw. Runs on a copy of the bundled policy, on
 * a free port (listen on 0), with stand-in app files (the real app is tested in the browser test).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
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

  it.each(['../outside.clause', '2021/99-link.clause', '/etc/passwd', 'examples/province.yaml', 'examples/tests.yaml', '2021/source.txt'])('PUT %s is refused and nothing is written', async (path) => {
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

  it('refuses a chunked body once it passes the limit, without waiting for the rest', async () => {
    // Deterministic: the client sends a fixed 1.25 MB (over the 1 MiB limit, under what the
    // server drains after refusing) and then waits without ending the body. The answer can only
    // come from the server refusing mid-body; nothing races a timer or a byte count. (It used to
    // pump until answered, and under load the lingering close could cut the answer: status -1.)
    let req: ReturnType<typeof request> | undefined;
    const r = await new Promise<Reply>((resolve, reject) => {
      req = request({ host: '127.0.0.1', port: wb.port, method: 'PUT', path: '/api/file', headers: { 'Content-Type': 'application/json' } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      });
      req.on('error', reject);
      for (let i = 0; i < 5; i++) req.write(Buffer.alloc(256 * 1024, 0x20));
    });
    req?.destroy();
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).error.code).toBe('X0010');
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

describe('hardening (issue #15)', () => {
  it('a URL over 8 KiB is 414 (X0114), a head over 16 KiB 431, a GET with a body 413 (X0010)', async () => {
    const long = await raw('GET', `/api/file?path=${'a'.repeat(9000)}`);
    expect(long.status).toBe(414);
    expect(JSON.parse(long.body).error.code).toBe('X0114');
    expect((await raw('GET', '/api/workspace', { headers: { 'X-Filler': 'x'.repeat(20_000) } })).status).toBe(431);
    const withBody = await raw('GET', '/api/workspace', { body: 'x'.repeat(1000), headers: { 'Content-Length': '1000' } });
    expect(withBody.status).toBe(413);
    expect(JSON.parse(withBody.body).error.code).toBe('X0010');
    expect((await raw('GET', '/api/workspace')).status).toBe(200);
  });

  it('reads are refused from other sites too (X0117): an <img> elsewhere cannot make it load files', async () => {
    for (const headers of [{ 'Sec-Fetch-Site': 'cross-site' }, { 'Sec-Fetch-Site': 'same-site' }, { Origin: 'http://attacker.example' }, { Origin: 'null' }] as Record<string, string>[]) {
      for (const path of ['/api/workspace', '/api/file?path=2021%2F10-params.clause']) {
        const r = await raw('GET', path, { headers });
        expect(r.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
        expect(JSON.parse(r.body).error.code).toBe('X0117');
      }
    }
    expect((await raw('GET', '/api/workspace', { headers: { 'Sec-Fetch-Site': 'same-origin', Origin: `http://127.0.0.1:${wb.port}` } })).status).toBe(200);
  });

  it('a save through a link is judged by the real file: a rule-file name linked to the source text is refused (X0009)', async () => {
    symlinkSync('source.txt', join(root, '2021', '98-source.clause'));
    const before = readFileSync(join(root, '2021', 'source.txt'), 'utf8');
    const hash = await diskHash('2021/98-source.clause').catch(() => '0');
    const r = await save({ path: '2021/98-source.clause', text: 'policy x version "1"\n', hash });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error.code).toBe('X0009');
    expect(readFileSync(join(root, '2021', 'source.txt'), 'utf8')).toBe(before);
  });

  describe('files are streamed, bounded, and requests capped', () => {
    let small: RunningWorkbench;
    const big = join(root, 'examples', 'big.json');
    const mixed = join(root, 'examples', 'mixed.json');
    beforeAll(async () => {
      writeFileSync(big, Buffer.alloc(3 * 1024 * 1024, 0x61));
      // Multi-byte characters across every read boundary, quotes and control characters to escape.
      writeFileSync(mixed, `${'社会工作"\\\n\t'.repeat(60_000)}end`);
      small = await startWorkbench({ root, port: 0, assetsDir: assets, maxFactsBytes: 2 * 1024 * 1024, maxBodyBytes: 1024, maxConcurrent: 1 });
    });
    afterAll(async () => {
      await small?.close();
    });
    const get = (path: string) => new Promise<Reply>((resolve, reject) => {
      request({ host: '127.0.0.1', port: small.port, path }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers })).on('error', reject);
      }).on('error', reject).end();
    });

    it('a file over the limit is 413 (X0119) before anything is read', async () => {
      const r = await get('/api/file?path=examples%2Fbig.json');
      expect(r.status).toBe(413);
      expect(JSON.parse(r.body).error).toMatchObject({ code: 'X0119' });
      expect(JSON.parse(r.body).error.message.en).toContain('3145728 bytes');
    });

    it('a file under it arrives whole, escaped, with its hash', async () => {
      const r = await get('/api/file?path=examples%2Fmixed.json');
      expect(r.status).toBe(200);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      const body = JSON.parse(r.body) as { path: string; text: string; hash: string };
      const text = readFileSync(mixed, 'utf8');
      expect(body.path).toBe('examples/mixed.json');
      expect(body.text).toBe(text);
      expect(body.hash).toBe(scanHash(text));
    });

    it('more API requests than the cap get 503 with Retry-After (X0115), and a slot frees when one ends', async () => {
      // Holds the one slot: a save whose body never arrives.
      const held = request({ host: '127.0.0.1', port: small.port, method: 'PUT', path: '/api/file', headers: { 'Content-Type': 'application/json', 'Content-Length': '100' } });
      held.on('error', () => {});
      held.write('{"path"');
      let refused: Reply | undefined;
      for (let i = 0; i < 100 && refused?.status !== 503; i++) refused = await get('/api/workspace');
      expect(refused?.status).toBe(503);
      expect(refused?.headers['retry-after']).toBe('1');
      expect(JSON.parse(refused!.body).error.code).toBe('X0115');
      held.destroy();
      let after: Reply | undefined;
      for (let i = 0; i < 100 && after?.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 10));
        after = await get('/api/workspace');
      }
      expect(after?.status).toBe(200);
    });
  });

  describe('a non-loopback bind needs its token and answers only its own Host names', () => {
    let remote: RunningWorkbench;
    beforeAll(async () => {
      remote = await startWorkbench({ root, port: 0, host: '0.0.0.0', allowRemote: true, assetsDir: assets, allowHosts: ['wb.example'] });
    });
    afterAll(async () => {
      await remote?.close();
    });
    const at = (path: string, headers: Record<string, string> = {}) => new Promise<Reply>((resolve, reject) => {
      request({ host: '127.0.0.1', port: remote.port, path, headers }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      }).on('error', reject).end();
    });

    it('makes a token when none is given', () => {
      expect(remote.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    });

    it('API requests without it are 401 (X0116); with it as a bearer token or the cookie, 200', async () => {
      const none = await at('/api/workspace');
      expect(none.status).toBe(401);
      expect(JSON.parse(none.body).error.code).toBe('X0116');
      expect((await at('/api/workspace', { Authorization: 'Bearer wrong' })).status).toBe(401);
      expect((await at('/api/workspace', { Authorization: `Bearer ${remote.token}` })).status).toBe(200);
      expect((await at('/api/file?path=2021%2F10-params.clause', { Cookie: `other=1; clausal_token=${remote.token}` })).status).toBe(200);
    });

    it('the address printed at start sets the cookie and drops the token from the address', async () => {
      const r = await at(`/?token=${remote.token}`);
      expect(r.status).toBe(303);
      expect(r.headers.location).toBe('/');
      expect(String(r.headers['set-cookie'])).toMatch(new RegExp(`^clausal_token=${remote.token}; HttpOnly; SameSite=Strict; Path=/`));
      expect((await at('/?token=wrong')).status).toBe(401);
      // The page itself is not secret; what it reads is.
      expect((await at('/')).status).toBe(200);
    });

    it('a foreign Host is 421 (X0118) even with the token (DNS rebinding); --allow-host names are answered', async () => {
      const auth = { Authorization: `Bearer ${remote.token}` };
      const rebound = await at('/api/workspace', { ...auth, Host: `attacker.example:${remote.port}` });
      expect(rebound.status).toBe(421);
      expect(JSON.parse(rebound.body).error.code).toBe('X0118');
      expect((await at('/', { Host: `attacker.example:${remote.port}` })).status).toBe(421);
      expect((await at('/api/workspace', { ...auth, Host: `wb.example:${remote.port}` })).status).toBe(200);
      // An Origin must be one of those names too, not whatever Host the request carries.
      expect((await at('/api/workspace', { ...auth, Host: `wb.example:${remote.port}`, Origin: `http://attacker.example:${remote.port}` })).status).toBe(403);
      expect((await at('/api/workspace', { ...auth, Host: `wb.example:${remote.port}`, Origin: `http://wb.example:${remote.port}` })).status).toBe(200);
    });
  });
});

function scanHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
