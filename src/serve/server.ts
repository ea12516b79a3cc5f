/**
 * The workbench's HTTP server (`clausal serve`): serves the prebuilt browser app from
 * dist/workbench/ and a small JSON API over one policy directory. The browser parses, checks,
 * evaluates and diffs on its own (the engine is bundled into the app); the server lists, reads
 * and saves files, and runs a version's tests as `clausal test` does (run-tests.ts: the test
 * files and the facts they name are on disk, not in the browser). Everything it does is about
 * keeping that safe:
 *
 * - paths: every file named by a client is resolved inside the root (see paths.ts); the app's
 *   own assets are an exact list of names, never a path lookup;
 * - bodies: a size limit, enforced from Content-Length before reading and while reading;
 * - saves: only rule files and a version's test files, only when they parse, only over the version the client last saw
 *   (its hash), written atomically;
 * - requests: URL, head and body sizes, Host names (DNS rebinding), other sites on every API
 *   route, a token on non-loopback binds, and a cap on concurrent API requests (guard.ts);
 *   files are streamed into their JSON answer, never held twice;
 * - writes need a JSON content type (a page elsewhere cannot post to it without a preflight).
 */
import { fsDetail } from '../model/fs-problem.js';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, readFileSync, realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { error, hasErrors, messageOf, type Diagnostic } from '../model/diagnostics.js';
import { LineIndex } from '../model/span.js';
import { isRuleFileName, parseRuleFile } from '../policy-sources.js';
import { writeFileAtomic } from '../cli/write-atomic.js';
import { OutputError } from '../pipeline/engine.js';
import { HTML_SCRIPT, sha256Base64 } from '../report/html-assets.js';
import { resolveFileInside } from './paths.js';
import { HttpError, isLoopback, readBody, SECURITY_HEADERS, send, sendJson, serveHttp } from './http.js';
import { RequestGuard, TOKEN_COOKIE } from './guard.js';
import { openRegular, readRegularFile } from '../loader/read-regular.js';
import { parseTestRequest, RefusedPath, runWorkbenchTests } from './run-tests.js';
import { isTestFileName } from '../policy-test/load-tests.js';
import { parseDocument } from 'yaml';

export { isLoopback } from './http.js';
import { DEFAULT_WORKSPACE_LIMITS, hashText, isPolicyDir, scanWorkspace, type WorkspaceLimits } from './workspace.js';

/** Options of {@link startWorkbench}. */
export interface WorkbenchOptions {
  /** The directory served: a policy version, or a family of versions with examples. */
  readonly root: string;
  /** Interface to bind (default 127.0.0.1). */
  readonly host?: string;
  /** Port (default 8080; 0 picks a free one). */
  readonly port?: number;
  /**
   * Must be true to bind anything but a loopback address: the workbench has no login and
   * writes files, so opening it to a network is a decision the user states (`--host`).
   */
  readonly allowRemote?: boolean;
  /** The built app (default: dist/workbench/ of this package). */
  readonly assetsDir?: string;
  /** Largest request body, in bytes (default 8 MiB: a rule file may be 4 MiB). */
  readonly maxBodyBytes?: number;
  /** Largest facts file served, in bytes (default 256 MiB). */
  readonly maxFactsBytes?: number;
  readonly workspaceLimits?: WorkspaceLimits;
  /**
   * Required on every API request (`Authorization: Bearer …`, or the cookie set by opening
   * `/?token=…`). A non-loopback bind always has one: made at start when not given.
   */
  readonly token?: string;
  /** Host names a non-loopback bind answers to besides the machine's addresses (`--allow-host`). */
  readonly allowHosts?: readonly string[];
  /** API requests served at once; more get 503 (default 8). */
  readonly maxConcurrent?: number;
}

/** A running workbench. */
export interface RunningWorkbench {
  /** `http://host:port/`. */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** The access token API requests need, when there is one (always on a non-loopback bind). */
  readonly token?: string;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

/** Thrown by {@link startWorkbench} for a problem the user can fix (bad root, port in use). */
export class WorkbenchStartError extends Error {
  /** Builds one from a diagnostic. */
  constructor(readonly diagnostic: Diagnostic) {
    super(messageOf(diagnostic, 'en'));
  }
}

const DEFAULT_BODY = 8 * 1024 * 1024;
const DEFAULT_FACTS = 256 * 1024 * 1024;
const READABLE = /\.(clause|ya?ml|json|ndjson|jsonl|txt)$/i;


/** Where the built app lives: dist/workbench/ beside this module's dist/serve/. */
export function defaultAssetsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // From dist/serve/ the app is ../workbench; from src/serve/ (tests, tsx) it is ../../dist/workbench.
  return basename(dirname(here)) === 'dist' ? join(here, '..', 'workbench') : join(here, '..', '..', 'dist', 'workbench');
}

/** The Content-Security-Policy of the app page: its own script, and the report's inline script by hash. */
export function appCsp(): string {
  return [
    "default-src 'none'",
    // The report (an iframe with srcdoc) inherits this policy, so its pinned script must be allowed here too.
    `script-src 'self' 'sha256-${sha256Base64(HTML_SCRIPT)}'`,
    // CodeMirror themes itself through injected style sheets; the report carries inline styles.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const ASSETS: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

/** Diagnostics of a refused save, rendered in both languages with line and column. */
function describeDiagnostics(diagnostics: readonly Diagnostic[], text: string) {
  const index = new LineIndex(text);
  return diagnostics.map((d) => {
    const at = d.span ? index.position(d.span.start) : undefined;
    return { code: d.code, severity: d.severity, line: at?.line, column: at?.column, message: { zh: messageOf(d, 'zh'), en: messageOf(d, 'en') } };
  });
}

/** Starts the workbench server. Rejects with {@link WorkbenchStartError} on user errors. */
export async function startWorkbench(options: WorkbenchOptions): Promise<RunningWorkbench> {
  const host = options.host ?? '127.0.0.1';
  const loopback = isLoopback(host);
  if (!loopback && !options.allowRemote) {
    throw new WorkbenchStartError(error('X0008', undefined, { address: host, detail: 'not a loopback address (give --host explicitly to allow it)', 'detail.zh': '不是本机回环地址（确需开放时请明确写出 --host）' }));
  }
  let root: string;
  try {
    root = realpathSync(options.root);
    if (!statSync(root).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new WorkbenchStartError(error('X0006', undefined, { path: options.root }));
  }
  const assetsDir = options.assetsDir ?? defaultAssetsDir();
  const assets = new Map<string, Buffer>();
  for (const a of new Set(Object.values(ASSETS).map((x) => x.file))) {
    try {
      assets.set(a, readFileSync(join(assetsDir, a)));
    } catch {
      throw new WorkbenchStartError(error('X0008', undefined, { address: host, detail: `the built app is missing (${join(assetsDir, a)}): run npm run build`, 'detail.zh': `工作台的程序尚未构建（缺少 ${join(assetsDir, a)}）：请先运行 npm run build` }));
    }
  }
  const maxBody = options.maxBodyBytes ?? DEFAULT_BODY;
  const maxFacts = options.maxFactsBytes ?? DEFAULT_FACTS;
  const name = basename(root);
  const csp = appCsp();
  // Anyone on the network could reach a non-loopback bind: it needs a secret, made here when none is given.
  const token = options.token ?? (loopback ? undefined : randomBytes(24).toString('base64url'));
  let port = 0;
  const guard = new RequestGuard({ host, token, allowHosts: options.allowHosts, remoteHostCheck: true, maxConcurrent: options.maxConcurrent }, () => port);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    guard.checkRequest(req);
    const url = new URL(req.url ?? '/', 'http://workbench.invalid');
    const method = req.method ?? 'GET';
    const asset = Object.prototype.hasOwnProperty.call(ASSETS, url.pathname) ? ASSETS[url.pathname] : undefined;
    if (asset && (method === 'GET' || method === 'HEAD')) {
      const given = url.searchParams.get('token');
      if (token !== undefined && given !== null) {
        // The address printed at start carries the token once: keep it in a cookie the app's
        // requests send, and take it out of the address bar (and the history) at once.
        const accepted = guard.tokenMatches({ headers: { authorization: `Bearer ${given}` } } as IncomingMessage);
        if (!accepted) throw new HttpError(401, 'X0116');
        res.writeHead(303, { ...SECURITY_HEADERS, Location: '/', 'Set-Cookie': `${TOKEN_COOKIE}=${given}; HttpOnly; SameSite=Strict; Path=/` }).end();
        return;
      }
      const headers: Record<string, string> = asset.file === 'index.html' ? { 'Content-Security-Policy': csp, 'X-Frame-Options': 'DENY' } : {};
      send(res, 200, asset.type, assets.get(asset.file)!, headers);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204, { 'Cache-Control': 'max-age=86400' }).end();
      return;
    }
    if (!url.pathname.startsWith('/api/')) throw new HttpError(asset ? 405 : 404, undefined);
    guard.checkApi(req, res);
    if (url.pathname === '/api/workspace' && method === 'GET') {
      sendJson(res, 200, scanWorkspace(root, name, options.workspaceLimits ?? DEFAULT_WORKSPACE_LIMITS));
      return;
    }
    if (url.pathname === '/api/file' && method === 'GET') {
      const rel = url.searchParams.get('path') ?? '';
      const file = READABLE.test(rel) ? resolveFileInside(root, rel) : undefined;
      if (!file) throw new HttpError(403, 'X0009', { path: rel });
      await sendFileJson(res, rel, file.abs, maxFacts);
      return;
    }
    if (url.pathname === '/api/file' && (method === 'PUT' || method === 'POST')) {
      checkWriteRequest(req);
      const body = parseSaveBody(await readBody(req, maxBody));
      // Every check applies to the real file: a rule-file name linked to `source.txt` or to a
      // facts file is refused, not written through.
      const found = resolveFileInside(root, body.path);
      // A version's test files are saved too (the quota walk-through rewrites tests.yaml).
      const isTest = isTestFileName(basename(body.path)) && found !== undefined && isTestFileName(basename(found.abs));
      const isRule = isRuleFileName(basename(body.path)) && found !== undefined && isRuleFileName(basename(found.abs));
      const file = found && (isRule || isTest) && isPolicyDir(dirname(found.abs)) ? found : undefined;
      if (!file) throw new HttpError(403, 'X0009', { path: body.path });
      const read = readRegularFile(file.abs, maxBody);
      if (!read.ok) {
        if (read.problem === 'too-large') throw new HttpError(413, 'X0119', { path: body.path, size: read.size, limit: maxBody });
        throw new HttpError(403, 'X0009', { path: body.path });
      }
      const current = read.bytes;
      const currentHash = hashText(current);
      if (currentHash !== body.hash) {
        // The client's copy is older than the file: hand it the file so it can show both.
        throw new HttpError(409, 'X0011', { path: body.path }, { current: { text: current.toString('utf8'), hash: currentHash } });
      }
      const parsed = isTest ? { diagnostics: yamlSyntaxDiagnostics(body.path, body.text) } : parseRuleFile({ path: body.path, text: body.text });
      if (hasErrors(parsed.diagnostics)) {
        throw new HttpError(422, 'X0012', { path: body.path }, { diagnostics: describeDiagnostics(parsed.diagnostics.filter((d) => d.severity === 'error'), body.text) });
      }
      // A window remains between the hash check and the rename; it is the same one every
      // editor's "file changed on disk" check has, and closing it would need file locks.
      try {
        writeFileAtomic(file.abs, [body.text], { rewrites: true });
      } catch (e) {
        // A read-only file, a file swapped for a device: refused like `--out` would refuse it.
        if (e instanceof OutputError) throw new HttpError(e.diagnostic.code === 'X0005' ? 500 : 403, e.diagnostic.code, e.diagnostic.args);
        throw e;
      }
      sendJson(res, 200, { path: body.path, hash: hashText(body.text) });
      return;
    }
    if (url.pathname === '/api/test' && method === 'POST') {
      checkWriteRequest(req);
      const request = parseTestRequest(await readBody(req, maxBody));
      if (!request) throw new HttpError(400, undefined);
      try {
        sendJson(res, 200, runWorkbenchTests(root, request));
      } catch (e) {
        if (e instanceof RefusedPath) throw new HttpError(403, 'X0009', { path: e.path });
        throw e;
      }
      return;
    }
    throw new HttpError(url.pathname === '/api/file' || url.pathname === '/api/test' ? 405 : 404, undefined);
  };

  const running = await serveHttp(handle, {
    host,
    port: options.port ?? 8080,
    startError: (e) => new WorkbenchStartError(error('X0008', undefined, { address: `${host}:${options.port ?? 8080}`, ...fsDetail(e.code ?? e.message, undefined, 'listen') })),
  });
  port = running.port;
  return { ...running, token };
}

/**
 * Answers `{ path, text, hash }` for a file without holding it twice in memory: the text is
 * streamed into the JSON string as it is read (the hash comes last, when it is known). Before,
 * 24 parallel reads of a 186 MB file ran the server out of heap inside `JSON.stringify`. The
 * file is opened once and checked by its descriptor (a regular file, at most `limit` bytes:
 * 413 X0119 above); a file that grows past the limit while streaming cuts the answer.
 */
async function sendFileJson(res: ServerResponse, rel: string, abs: string, limit: number): Promise<void> {
  const opened = openRegular(abs);
  if (!('fd' in opened)) throw new HttpError(403, 'X0009', { path: rel });
  if (opened.stats.size > limit) {
    closeSync(opened.fd);
    throw new HttpError(413, 'X0119', { path: rel, size: opened.stats.size, limit });
  }
  const hash = createHash('sha256');
  const decoder = new StringDecoder('utf8');
  let read = 0;
  const escape = (text: string) => JSON.stringify(text).slice(1, -1);
  const toJson = new Transform({
    transform(chunk: Buffer, _enc, done) {
      read += chunk.length;
      if (read > limit) return done(new Error('file grew past the limit while being read'));
      hash.update(chunk);
      done(null, escape(decoder.write(chunk)));
    },
    flush(done) {
      done(null, `${escape(decoder.end())}","hash":${JSON.stringify(hash.digest('hex'))}}`);
    },
  });
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', ...SECURITY_HEADERS });
  res.write(`{"path":${JSON.stringify(rel)},"text":"`);
  await pipeline(createReadStream('', { fd: opened.fd, highWaterMark: 256 * 1024 }), toJson, res);
}

/**
 * A test file is saved when it is well-formed YAML: what it says about rules and facts is the
 * test run's business (a case may name a rule the officer is about to write).
 */
function yamlSyntaxDiagnostics(path: string, text: string): Diagnostic[] {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  return doc.errors.map((e) => error('Y0001', { file: path, start: e.pos[0], end: e.pos[1] }, { detail: e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') }));
}

function checkWriteRequest(req: IncomingMessage): void {
  const type = String(req.headers['content-type'] ?? '');
  // A JSON content type cannot be sent cross-site without a preflight, which is never granted.
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, undefined);
}

function parseSaveBody(text: string): { path: string; text: string; hash: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new HttpError(400, undefined);
  }
  if (v === null || typeof v !== 'object') throw new HttpError(400, undefined);
  const o = v as Record<string, unknown>;
  if (typeof o.path !== 'string' || typeof o.text !== 'string' || typeof o.hash !== 'string') throw new HttpError(400, undefined);
  return { path: o.path, text: o.text, hash: o.hash };
}
