/**
 * HTTP pieces shared by the workbench (`clausal serve`) and the decision API (`clausal api`):
 * errors as diagnostics in both languages, a body reader that refuses oversized bodies from
 * Content-Length before reading and while reading, a lingering close after a 413 so the client
 * reads the answer instead of a reset, the loopback test, the Host check that stops DNS
 * rebinding on loopback binds, and the server itself (`serveHttp`); the checks every request
 * meets are in guard.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { CATALOGUE, error, fillTemplate, messageOf, type DiagnosticArgs, type DiagnosticCode } from '../model/diagnostics.js';

/** After refusing a body: how long and how much more of it is read and dropped before hanging up. */
const LINGER_MS = 1000;
const LINGER_BYTES = 16 * 1024 * 1024;

/** A request refused with an HTTP status and, when there is one, a catalogue code. */
export class HttpError extends Error {
  /** `extra` is merged into the JSON body (e.g. the current text of a file on a conflict). */
  /** `headers` go on the answer (e.g. `Retry-After` on a 503). */
  constructor(readonly status: number, readonly code: DiagnosticCode | undefined, readonly args: DiagnosticArgs = {}, readonly extra: Record<string, unknown> = {}, readonly headers: Record<string, string> = {}) {
    super(code ? fillTemplate(CATALOGUE[code].en, args, 'en') : `HTTP ${status}`);
  }
}

/** Headers every answer carries, streamed or not. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Sends a complete response with the security headers every answer carries. */
export function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': String(Buffer.byteLength(body)),
    ...SECURITY_HEADERS,
    ...headers,
  });
  res.end(body);
}

/** Sends a JSON body. */
export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value), headers);
}

/** The JSON body of a refused request: `{ error: { code, message: { zh, en } }, …extra }`. */
export function problemBody(e: HttpError): Record<string, unknown> {
  const d = e.code ? error(e.code, undefined, e.args) : undefined;
  return {
    error: d ? { code: d.code, message: { zh: messageOf(d, 'zh'), en: messageOf(d, 'en') } } : { code: null, message: { zh: e.message, en: e.message } },
    ...e.extra,
  };
}

/** Sends a refusal; after a 413 the rest of the body is drained for a moment before the connection closes. */
export function sendProblem(req: IncomingMessage, res: ServerResponse, he: HttpError): void {
  // A streamed answer that fails midway cannot change its status: cut it, so the client sees an error.
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const close = he.status === 413;
  sendJson(res, he.status, problemBody(he), { ...he.headers, ...(close ? { Connection: 'close' } : {}) });
  if (close) {
    // Lingering close: drop what the client is still sending for a moment, then hang up. Ending
    // the connection with unread data in it would reset it, and the client could lose the answer.
    res.on('finish', () => {
      let dropped = 0;
      req.on('data', (c: Buffer) => {
        dropped += c.length;
        if (dropped > LINGER_BYTES) req.destroy();
      });
      req.resume();
      setTimeout(() => req.destroy(), LINGER_MS).unref();
    });
  }
}

/** Reads a request body up to `limit` bytes; rejects (413) as soon as it is known to be larger. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) return Promise.reject(new HttpError(413, 'X0010', { limit }));
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        reject(new HttpError(413, 'X0010', { limit }));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!done) resolveBody(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (e) => {
      if (!done) reject(e);
      done = true;
    });
  });
}

/** Whether a host name or address is the local machine's loopback. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1' || h === '0:0:0:0:0:0:0:1';
}

/**
 * On a loopback bind, whether the request's Host names this machine and port: a name that
 * resolves to 127.0.0.1 from another site (DNS rebinding) carries its own Host and is refused.
 */
export function loopbackHostAllowed(req: IncomingMessage, host: string, port: number): boolean {
  const h = (req.headers.host ?? '').toLowerCase();
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${host}:${port}`].includes(h);
}

/** Timeouts that stop slow clients from holding connections (slowloris). */
export function applyTimeouts(server: Server, limits: { headersMs?: number; requestMs?: number; keepAliveMs?: number } = {}): void {
  server.headersTimeout = limits.headersMs ?? 20_000;
  server.requestTimeout = limits.requestMs ?? 60_000;
  server.keepAliveTimeout = limits.keepAliveMs ?? 5_000;
}

/** A running HTTP server of this package. */
export interface RunningHttp {
  readonly server: Server;
  readonly port: number;
  /** `http://host:port/`. */
  readonly url: string;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

/** Largest request head (request line and headers): beyond it Node answers 431 itself. */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Starts a server whose handler's failures become answers ({@link HttpError} as its status and
 * code, anything else as 500), with the slow-client timeouts and a bounded request head. Shared
 * by the workbench and the decision API, which differ only in their routes. `startError` turns
 * a failed listen (port in use, address not here) into the caller's own start error.
 */
export async function serveHttp(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  options: { host: string; port: number; timeouts?: Parameters<typeof applyTimeouts>[1]; startError: (e: NodeJS.ErrnoException) => Error },
): Promise<RunningHttp> {
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      const he = e instanceof HttpError ? e : new HttpError(500, undefined);
      if (!(e instanceof HttpError)) he.extra.detail = (e as Error).message;
      sendProblem(req, res, he);
    });
  });
  applyTimeouts(server, options.timeouts);
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(options.startError(e)));
    server.listen(options.port, options.host, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  const shown = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    server,
    port,
    url: `http://${shown}:${port}/`,
    close: () => new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    }),
  };
}
