/**
 * The decision API (`clausal api <policy-dir>`): other systems send facts and get the
 * contract's results back as JSON. One policy, loaded and compiled once at start.
 *
 * - `POST /v1/evaluate` `{ facts, asOf?, lang? }` → `{ decision, policy, asOf, results, summary, warnings }`
 * - `GET /v1/policy[?asOf=&lang=]` → rules (clause, quote) and the parameters in force
 * - `GET /health`, `GET /openapi.json` (the OpenAPI description, also kept in docs/api/)
 *
 * Hardening is the workbench's (src/serve/http.ts, guard.ts): body limit (413), URL and head
 * limits (414, 431), no body on GET, Host check on loopback binds, a bearer token required for
 * non-loopback binds, a cap on concurrent /v1 requests (503), header and request timeouts. Every
 * decision gets an id; with a records database each is logged (table `decisions`) before the
 * answer is sent. Bad requests are 4xx with a catalogue code, and the server keeps serving.
 */
import { fsDetail } from '../model/fs-problem.js';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { error, hasErrors, messageOf, type Diagnostic, type Lang } from '../model/diagnostics.js';
import { isValidDate } from '../model/dates.js';
import type { Policy } from '../model/types.js';
import { evaluate } from '../eval/evaluate.js';
import { loadFactsText } from '../facts/parse-facts.js';
import { DEFAULT_FACTS_LIMITS, type FactsLimits } from '../facts/facts.js';
import { resultToJson } from '../report/eval-json.js';
import { HttpError, isLoopback, readBody, sendJson, serveHttp } from '../serve/http.js';
import { RequestGuard } from '../serve/guard.js';
import type { RecordsDb } from '../records/database.js';
import { ENGINE_VERSION, paramsInForce, receiptOf, sha256 } from '../records/run-record.js';
import { OPENAPI } from './openapi.js';

/** Options of {@link startDecisionApi}. */
export interface DecisionApiOptions {
  /** The checked policy served. */
  readonly policy: Policy;
  /** Hash of the policy's files (stored with each logged decision). */
  readonly policyHash: string;
  /** Interface (default 127.0.0.1). */
  readonly host?: string;
  /** Port (default 8181; 0 picks a free one). */
  readonly port?: number;
  /** Required as `Authorization: Bearer …` on /v1 routes; mandatory for non-loopback binds. */
  readonly token?: string;
  /** An open records database: every decision is logged into it. */
  readonly records?: RecordsDb;
  /** Largest request body in bytes (default 4 MiB). */
  readonly maxBodyBytes?: number;
  /** Limits on the facts of one request (default: 10,000 subjects, the body limit). */
  readonly factsLimits?: FactsLimits;
  /** Requests to /v1 served at once; more get 503 with Retry-After (default 8). */
  readonly maxConcurrent?: number;
  /** Today's date, the default `asOf` (default: the clock at each request). */
  readonly today?: () => string;
}

/** A running decision API. */
export interface RunningDecisionApi {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

/** Thrown by {@link startDecisionApi} for problems the user can fix (port in use, no token). */
export class DecisionApiStartError extends Error {
  /** Builds one from a diagnostic. */
  constructor(readonly diagnostic: Diagnostic) {
    super(messageOf(diagnostic, 'en'));
  }
}

const DEFAULT_BODY = 4 * 1024 * 1024;
const REQUEST_FIELDS = new Set(['facts', 'asOf', 'lang']);

function clockToday(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The body of `POST /v1/evaluate`, checked field by field. */
function parseRequest(text: string, today: string): { facts: Record<string, unknown>; asOf: string; lang: Lang } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, 'X0505', { detail: (e as Error).message });
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new HttpError(400, 'X0507', { field: '(body)', expected: 'a JSON object' });
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!REQUEST_FIELDS.has(k)) throw new HttpError(400, 'X0506', { field: k });
  if (o.facts === null || typeof o.facts !== 'object' || Array.isArray(o.facts)) throw new HttpError(400, 'X0507', { field: 'facts', expected: 'an object of lists (regions, institutions, workers…)' });
  if (o.asOf !== undefined && (typeof o.asOf !== 'string' || !isValidDate(o.asOf))) throw new HttpError(400, 'X0507', { field: 'asOf', expected: 'a YYYY-MM-DD date' });
  if (o.lang !== undefined && o.lang !== 'zh' && o.lang !== 'en') throw new HttpError(400, 'X0507', { field: 'lang', expected: 'zh|en' });
  return { facts: o.facts as Record<string, unknown>, asOf: (o.asOf as string | undefined) ?? today, lang: (o.lang as Lang | undefined) ?? 'zh' };
}

function describe(diagnostics: readonly Diagnostic[], lang: Lang) {
  return diagnostics.map((d) => ({ code: d.code, severity: d.severity, ...(d.factsPath ? { path: d.factsPath } : {}), message: messageOf(d, lang) }));
}

/** Starts the API. Rejects with {@link DecisionApiStartError} on user errors. */
export async function startDecisionApi(options: DecisionApiOptions): Promise<RunningDecisionApi> {
  const host = options.host ?? '127.0.0.1';
  const loopback = isLoopback(host);
  if (!loopback && !options.token) throw new DecisionApiStartError(error('X0504', undefined, { host }));
  const { policy } = options;
  const maxBody = options.maxBodyBytes ?? DEFAULT_BODY;
  const limits: FactsLimits = options.factsLimits ?? { ...DEFAULT_FACTS_LIMITS, maxSubjects: 10_000, maxFileSize: maxBody };
  const today = options.today ?? clockToday;
  let port = 0;
  // Decisions are logged one after another: DuckDB has one writer, and the order is the log's.
  let logging: Promise<unknown> = Promise.resolve();

  const evaluateRequest = async (req: IncomingMessage, res: ServerResponse) => {
    if (!/^application\/json\b/i.test(String(req.headers['content-type'] ?? ''))) throw new HttpError(415, 'X0507', { field: 'Content-Type', expected: 'application/json' });
    const body = parseRequest(await readBody(req, maxBody), today());
    const factsText = JSON.stringify(body.facts);
    const loaded = loadFactsText(policy, 'facts', factsText, 'json', limits);
    if (!loaded.facts || hasErrors(loaded.diagnostics)) {
      throw new HttpError(422, 'X0507', { field: 'facts', expected: 'facts the policy accepts' }, { diagnostics: describe(loaded.diagnostics, body.lang) });
    }
    const report = evaluate(policy, loaded.facts, { asOf: body.asOf, lang: body.lang, explain: true });
    const decision = `d-${randomUUID()}`;
    const results = report.results.map((r) => ({ ...resultToJson(r), ...(options.records ? { receipt: receiptOf(decision, r.subject.kind, r.subject.id, r.rule) } : {}) }));
    if (options.records) {
      const db = options.records;
      const write = logging.then(() => db.run(
        `INSERT INTO decisions VALUES (?, current_timestamp, ?, ?, ?, CAST(? AS DATE), ?, ?, ?, ?, ?, ?)`,
        [decision, policy.id, policy.version, options.policyHash, body.asOf, body.lang, ENGINE_VERSION, sha256(factsText), factsText, JSON.stringify(results), JSON.stringify(report.summary)],
      ));
      logging = write.catch(() => undefined);
      try {
        await write;
      } catch (e) {
        throw new HttpError(503, 'R0504', { path: db.path, detail: (e as Error).message.split('\n')[0] });
      }
    }
    sendJson(res, 200, { decision, policy: { id: policy.id, version: policy.version }, asOf: body.asOf, results, summary: report.summary, warnings: describe(loaded.diagnostics, body.lang) });
  };

  const policyInfo = (url: URL) => {
    const asOf = url.searchParams.get('asOf') ?? today();
    if (!isValidDate(asOf)) throw new HttpError(400, 'X0507', { field: 'asOf', expected: 'a YYYY-MM-DD date' });
    const lang: Lang = url.searchParams.get('lang') === 'en' ? 'en' : 'zh';
    const title = (l?: { zh: string; en?: string }) => (l ? (lang === 'en' ? l.en ?? l.zh : l.zh) : null);
    return {
      policy: { id: policy.id, version: policy.version, title: title(policy.title) },
      asOf,
      rules: policy.rules.map((r) => ({ id: r.id, kind: r.kind, cite: r.cite, modality: r.modality, type: r.type, title: title(r.title), quote: r.quote ?? null })),
      parameters: paramsInForce(policy, asOf).map((p) => ({ name: p.name, value: p.value === null ? null : JSON.parse(p.value) as unknown, since: p.since })),
    };
  };

  // The token, not the Host, guards a non-loopback bind: callers are programs that may use any name.
  const guard = new RequestGuard({ host, token: options.token, remoteHostCheck: false, maxConcurrent: options.maxConcurrent }, () => port);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    guard.checkRequest(req);
    const url = new URL(req.url ?? '/', 'http://api.invalid');
    const method = req.method ?? 'GET';
    if (url.pathname === '/health') {
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, undefined);
      sendJson(res, 200, { status: 'ok', policy: { id: policy.id, version: policy.version }, engine: ENGINE_VERSION, recording: !!options.records });
      return;
    }
    if (url.pathname === '/openapi.json') {
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, undefined);
      sendJson(res, 200, OPENAPI);
      return;
    }
    if (url.pathname === '/v1/evaluate' || url.pathname === '/v1/policy') {
      // Programs send neither Origin nor Sec-Fetch-Site; a page of another site does, and must not
      // get decisions recorded in the officer's name (a text/plain POST needs no preflight).
      guard.checkSameSite(req);
      if (!guard.tokenMatches(req)) throw new HttpError(401, 'X0116');
      guard.enter(res);
      if (url.pathname === '/v1/policy' && method === 'GET') {
        sendJson(res, 200, policyInfo(url));
        return;
      }
      if (url.pathname === '/v1/evaluate' && method === 'POST') {
        await evaluateRequest(req, res);
        return;
      }
      throw new HttpError(405, undefined);
    }
    throw new HttpError(404, undefined);
  };

  const running = await serveHttp(handle, {
    host,
    port: options.port ?? 8181,
    timeouts: { headersMs: 10_000, requestMs: 30_000 },
    startError: (e) => new DecisionApiStartError(error('X0503', undefined, { address: `${host}:${options.port ?? 8181}`, ...fsDetail(e.code ?? e.message, undefined, 'listen') })),
  });
  port = running.port;
  return {
    url: running.url,
    port,
    server: running.server,
    close: async () => {
      await running.close();
      await logging;
    },
  };
}
