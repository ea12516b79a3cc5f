/**
 * What a request must meet before a route of the workbench (`clausal serve`) or the decision API
 * (`clausal api`) sees it. Each check answers with its own status and catalogue code:
 *
 * - shape: a URL longer than 8 KiB is 414 (X0114); a body on GET/HEAD/DELETE is 413 (X0010), so
 *   a GET cannot make the server read (or drain) gigabytes; a request head over 16 KiB is
 *   answered 431 by Node itself (`MAX_HEADER_BYTES`);
 * - Host: only the names of this server (DNS rebinding: a page on `attacker.example` that
 *   resolves its name to this machine still sends `Host: attacker.example`), 421 (X0118). On a
 *   loopback bind those are the loopback names; on any other bind the machine's interface
 *   addresses and the names given with `--allow-host`;
 * - other sites: an `Origin` that is not one of those hosts, or a `Sec-Fetch-Site` other than
 *   `same-origin`/`none`, is 403 (X0117), on every API route, reads included: an `<img>` on any
 *   web page would otherwise make the server load files;
 * - a token: when the server has one (always on a non-loopback workbench), every API request
 *   carries it as `Authorization: Bearer …` or in the `clausal_token` cookie, else 401 (X0116);
 * - concurrency: at most `maxConcurrent` API requests at once; more get 503 with `Retry-After`
 *   (X0115) instead of queueing until memory runs out.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { networkInterfaces } from 'node:os';
import { HttpError, isLoopback, loopbackHostAllowed } from './http.js';

/** Longest request URL (path and query), in bytes. */
export const MAX_URL_BYTES = 8 * 1024;
/** API requests served at once, by default. */
export const DEFAULT_MAX_CONCURRENT = 8;
/** Name of the cookie that carries the workbench's token after the first visit. */
export const TOKEN_COOKIE = 'clausal_token';

/** Options of a {@link RequestGuard}. */
export interface GuardOptions {
  /** The address the server is bound to. */
  readonly host: string;
  /** Required on API routes when set. */
  readonly token?: string;
  /** More Host names a non-loopback bind answers to (`--allow-host`), with or without `:port`. */
  readonly allowHosts?: readonly string[];
  /** Whether a non-loopback bind checks Host (the workbench: yes; the token-guarded API: no). */
  readonly remoteHostCheck?: boolean;
  readonly maxUrlBytes?: number;
  readonly maxConcurrent?: number;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Host names with port, as a `Host` header carries them. */
function hostPort(name: string, port: number): string[] {
  const h = name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
  // A browser leaves the port out of Host for port 80.
  return port === 80 ? [`${h}:${port}`, h] : [`${h}:${port}`];
}

/** The checks of one server; `port` is known once it listens. */
export class RequestGuard {
  private inFlight = 0;
  private hosts: Set<string> | undefined;
  private readonly loopback: boolean;

  constructor(private readonly options: GuardOptions, private readonly port: () => number) {
    this.loopback = isLoopback(options.host);
  }

  /** The Host values this server answers to. */
  allowedHosts(): ReadonlySet<string> {
    if (this.hosts) return this.hosts;
    const port = this.port();
    const names = ['127.0.0.1', 'localhost', '::1'];
    if (this.options.host !== '0.0.0.0' && this.options.host !== '::') names.push(this.options.host);
    if (!this.loopback) {
      // An unspecified bind answers on every interface: each of their addresses is this server.
      for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) names.push(i.address);
    }
    const set = new Set<string>();
    for (const n of names) for (const h of hostPort(n.toLowerCase(), port)) set.add(h);
    for (const n of this.options.allowHosts ?? []) {
      const lower = n.toLowerCase();
      if (/:\d+$/.test(lower) && !/^[^[]*:.*:/.test(lower)) set.add(lower);
      else for (const h of hostPort(lower, port)) set.add(h);
    }
    this.hosts = set;
    return set;
  }

  /** Every request, assets included: its Host and its shape. */
  checkRequest(req: IncomingMessage): void {
    if (this.loopback) {
      if (!loopbackHostAllowed(req, this.options.host, this.port())) throw new HttpError(421, 'X0118', { host: String(req.headers.host ?? '') });
    } else if (this.options.remoteHostCheck && !this.allowedHosts().has(String(req.headers.host ?? '').toLowerCase())) {
      throw new HttpError(421, 'X0118', { host: String(req.headers.host ?? '') });
    }
    const url = req.url ?? '/';
    if (Buffer.byteLength(url) > (this.options.maxUrlBytes ?? MAX_URL_BYTES)) throw new HttpError(414, 'X0114', { limit: this.options.maxUrlBytes ?? MAX_URL_BYTES });
    const method = req.method ?? 'GET';
    if ((method === 'GET' || method === 'HEAD' || method === 'DELETE') && hasBody(req)) throw new HttpError(413, 'X0010', { limit: 0 });
  }

  /** API routes: same site only, the token if there is one, and a free slot (released when the answer ends). */
  checkApi(req: IncomingMessage, res: ServerResponse): void {
    this.checkSameSite(req);
    if (!this.tokenMatches(req)) throw new HttpError(401, 'X0116');
    this.enter(res);
  }

  /** Takes one of the `maxConcurrent` slots until the answer ends, or refuses with 503. */
  enter(res: ServerResponse): void {
    const max = this.options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
    if (this.inFlight >= max) throw new HttpError(503, 'X0115', { limit: max }, {}, { 'Retry-After': '1' });
    this.inFlight++;
    res.once('close', () => this.inFlight--);
  }

  /** `Origin` (when sent) names this server; `Sec-Fetch-Site` (when sent) says same-origin or none. */
  checkSameSite(req: IncomingMessage): void {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let host: string | undefined;
      try {
        const u = new URL(origin);
        host = u.protocol === 'http:' ? u.host.toLowerCase() : undefined;
      } catch {
        host = undefined;
      }
      const own = this.loopback ? String(req.headers.host ?? '').toLowerCase() : undefined;
      if (host === undefined || !(host === own || this.allowedHosts().has(host))) throw new HttpError(403, 'X0117', { site: origin });
    }
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new HttpError(403, 'X0117', { site: String(site) });
  }

  /** Whether the request carries the token, as a bearer token or in the cookie (compared in constant time). */
  tokenMatches(req: IncomingMessage): boolean {
    const token = this.options.token;
    if (token === undefined) return true;
    const given = bearerOf(req) ?? cookieOf(req, TOKEN_COOKIE);
    // Hashing first gives equal lengths, as timingSafeEqual requires, without revealing the token's length.
    return given !== undefined && timingSafeEqual(digest(given), digest(token));
  }
}

/** Whether a request announces a body (a length above zero, or chunked). */
function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

function bearerOf(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
}

/** One cookie's value from the `Cookie` header. */
export function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
