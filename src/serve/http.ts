/**
 * HTTP pieces shared by the workbench (`clausal serve`) and the decision API (`clausal api`):
 * errors as diagnostics in both languages, a body reader that refuses oversized bodies from
 * Content-Length before reading and while reading, a lingering close after a 413 so the client
 * reads the answer instead of a reset, the loopback test, the Host check that stops DNS
 * rebinding on loopback binds, and a constant-time bearer-token check for non-loopback binds.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { CATALOGUE, error, fillTemplate, messageOf, type DiagnosticArgs, type DiagnosticCode } from '../model/diagnostics.js';

/** After refusing a body: how long and how much more of it is read and dropped before hanging up. */
const LINGER_MS = 1000;
const LINGER_BYTES = 16 * 1024 * 1024;

/** A request refused with an HTTP status and, when there is one, a catalogue code. */
export class HttpError extends Error {
  /** `extra` is merged into the JSON body (e.g. the current text of a file on a conflict). */
  constructor(readonly status: number, readonly code: DiagnosticCode | undefined, readonly args: DiagnosticArgs = {}, readonly extra: Record<string, unknown> = {}) {
    super(code ? fillTemplate(CATALOGUE[code].en, args, 'en') : `HTTP ${status}`);
  }
}

/** Sends a complete response with the security headers every answer carries. */
export function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'same-origin',
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
  const close = he.status === 413;
  sendJson(res, he.status, problemBody(he), close ? { Connection: 'close' } : {});
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

/** Whether the request carries `Authorization: Bearer <token>` (compared in constant time). */
export function bearerTokenMatches(req: IncomingMessage, token: string): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
  if (!m) return false;
  // Hashing first gives equal lengths, as timingSafeEqual requires, without revealing the token's length.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]), digest(token));
}

/** Timeouts that stop slow clients from holding connections (slowloris). */
export function applyTimeouts(server: Server, limits: { headersMs?: number; requestMs?: number; keepAliveMs?: number } = {}): void {
  server.headersTimeout = limits.headersMs ?? 20_000;
  server.requestTimeout = limits.requestMs ?? 60_000;
  server.keepAliveTimeout = limits.keepAliveMs ?? 5_000;
}
