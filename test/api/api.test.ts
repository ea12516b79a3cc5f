/**
 * The decision API over HTTP on loopback: results equal `clausal eval --format json` for the
 * same facts; malformed JSON, unknown fields, wrong types, oversized bodies, wrong content
 * types and bad facts get clear 4xx answers with catalogue codes, and the server keeps
 * serving; Host and token checks; decisions logged with --record; the OpenAPI description
 * served equals docs/decision-api.openapi.json.
 */
import { request } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadPolicy } from '../../src/loader/load-policy.js';
import { startDecisionApi, DecisionApiStartError, type RunningDecisionApi } from '../../src/api/server.js';
import { OPENAPI } from '../../src/api/openapi.js';
import { openRecords, type RecordsDb } from '../../src/records/database.js';
import { expectGolden } from '../helpers/golden.js';
import { runCli } from '../helpers/policy.js';

const POLICY = 'policies/yunnan-social-work/2021';
const PROVINCE = 'policies/yunnan-social-work/examples/province.yaml';
const policy = loadPolicy(POLICY).policy!;
const dir = mkdtempSync(join(tmpdir(), 'clausal-api-'));
const province = parse(readFileSync(PROVINCE, 'utf8')) as { regions: { id: string }[]; institutions: { id: string; region: string }[] };

/** 昆明市 and its 社会福利院, as another system would send them. */
const facts = {
  regions: province.regions.filter((r) => r.id === '530000' || r.id === '530100'),
  institutions: province.institutions.filter((i) => i.id === 'KM-SWH-01'),
  workers: [],
};

interface Answer { status: number; body: Record<string, unknown>; }

function call(port: number, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) as Record<string, unknown> : {} }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const codeOf = (a: Answer) => (a.body.error as { code: string | null }).code;

let api: RunningDecisionApi;
beforeAll(async () => {
  api = await startDecisionApi({ policy, policyHash: 'test', port: 0, maxBodyBytes: 64 * 1024, today: () => '2022-06-01' });
});
afterAll(async () => {
  await api.close();
});

describe('POST /v1/evaluate', () => {
  it('returns the contract results, the same as clausal eval --format json on the same facts', async () => {
    const a = await call(api.port, 'POST', '/v1/evaluate', JSON.stringify({ facts, asOf: '2023-03-01', lang: 'en' }));
    expect(a.status).toBe(200);
    expect(a.body.decision).toMatch(/^d-[0-9a-f-]{36}$/);
    const file = join(dir, 'facts.json');
    writeFileSync(file, JSON.stringify(facts));
    const cli = JSON.parse((await runCli(['eval', POLICY, '--facts', file, '--as-of', '2023-03-01', '--format', 'json', '--lang', 'en'])).stdout);
    expect(a.body.results).toEqual(cli.results);
    expect(a.body.summary).toEqual(cli.summary);
    expect(a.body.policy).toEqual({ id: 'yunnan-social-work', version: '2021' });
    const swh = (a.body.results as { subject: { id: string }; rule: string; status: string }[]).find((r) => r.subject.id === 'KM-SWH-01' && r.rule === 'civil-affairs-post-share');
    expect(swh?.status).toBe('violation');
  });

  it('asOf defaults to today and lang to zh', async () => {
    const a = await call(api.port, 'POST', '/v1/evaluate', JSON.stringify({ facts }));
    expect(a.body.asOf).toBe('2022-06-01');
    const swh = (a.body.results as { subject: { id: string }; rule: string; status: string; explanation: string }[]).find((r) => r.subject.id === 'KM-SWH-01' && r.rule === 'civil-affairs-post-share');
    expect(swh?.status).toBe('pending');
    expect(swh?.explanation).toMatch(/[\u4e00-\u9fff]/);
  });

  const bad: [string, string, Record<string, string>, number, string | null][] = [
    ['malformed JSON', '{"facts": {', {}, 400, 'X0505'],
    ['an unknown field', JSON.stringify({ facts, asof: '2022-06-01' }), {}, 400, 'X0506'],
    ['a body that is not an object', '[1, 2]', {}, 400, 'X0507'],
    ['facts that are not an object', JSON.stringify({ facts: [] }), {}, 400, 'X0507'],
    ['a date that does not exist', JSON.stringify({ facts, asOf: '2022-02-30' }), {}, 400, 'X0507'],
    ['an unknown language', JSON.stringify({ facts, lang: 'fr' }), {}, 400, 'X0507'],
    ['a form instead of JSON', 'facts=1', { 'Content-Type': 'application/x-www-form-urlencoded' }, 415, 'X0507'],
    ['an oversized body', JSON.stringify({ facts: { regions: Array.from({ length: 3000 }, (_, i) => ({ id: `R${i}`, level: 'village' })) } }), {}, 413, 'X0010'],
  ];
  it.each(bad)('%s: a clear 4xx, and the server keeps serving', async (_name, body, headers, status, code) => {
    const a = await call(api.port, 'POST', '/v1/evaluate', body, headers);
    expect(a.status).toBe(status);
    expect(codeOf(a)).toBe(code);
    expect((a.body.error as { message: { en: string } }).message.en.length).toBeGreaterThan(5);
    expect((await call(api.port, 'GET', '/health')).status).toBe(200);
  });

  it('facts the policy does not accept: 422 with each problem, its code and facts path; unknown fields are warnings', async () => {
    const wrong = { institutions: [{ id: 'X-1', category: 'no_such_category', region: '530100' }], regions: facts.regions };
    const a = await call(api.port, 'POST', '/v1/evaluate', JSON.stringify({ facts: wrong, lang: 'en' }));
    expect(a.status).toBe(422);
    expect(a.body.diagnostics).toEqual([expect.objectContaining({ code: 'F0005', severity: 'error', path: 'institutions[0].category' })]);
    const extra = { ...facts, institutions: [{ ...facts.institutions[0], colour: 'red' }] };
    const w = await call(api.port, 'POST', '/v1/evaluate', JSON.stringify({ facts: extra }));
    expect(w.status).toBe(200);
    expect((w.body.warnings as { code: string }[]).map((x) => x.code)).toEqual(['F0009']);
  });
});

describe('the other routes and the guards', () => {
  it('GET /v1/policy: rules with clause and quote, parameters in force on a date', async () => {
    const a = await call(api.port, 'GET', '/v1/policy?asOf=2022-06-01&lang=en');
    expect(a.status).toBe(200);
    const rules = a.body.rules as { id: string; cite: string; quote: string | null }[];
    expect(rules.find((r) => r.id === 'civil-affairs-post-share')).toMatchObject({ cite: '三（二）', quote: expect.any(String) });
    expect((a.body.parameters as { name: string; value: unknown }[]).find((p) => p.name === 'civil_affairs_share')?.value).toBe('0.7');
    expect((await call(api.port, 'GET', '/v1/policy?asOf=yesterday')).status).toBe(400);
  });

  it('unknown routes are 404, wrong methods 405, a foreign Host 421', async () => {
    expect((await call(api.port, 'GET', '/v2/evaluate')).status).toBe(404);
    expect((await call(api.port, 'GET', '/v1/evaluate')).status).toBe(405);
    expect((await call(api.port, 'DELETE', '/health')).status).toBe(405);
    expect((await call(api.port, 'GET', '/health', undefined, { Host: 'attacker.example:80' })).status).toBe(421);
  });

  it('serves the OpenAPI description, the same as docs/decision-api.openapi.json, naming every route it answers', async () => {
    const a = await call(api.port, 'GET', '/openapi.json');
    expect(a.body).toEqual(JSON.parse(JSON.stringify(OPENAPI)));
    expectGolden('docs/decision-api.openapi.json', `${JSON.stringify(OPENAPI, null, 2)}\n`);
    expect(Object.keys(OPENAPI.paths).sort()).toEqual(['/health', '/openapi.json', '/v1/evaluate', '/v1/policy']);
  });

  it('a token: /v1 routes need it (401 without), /health does not', async () => {
    const guarded = await startDecisionApi({ policy, policyHash: 'test', port: 0, token: 's3cret' });
    try {
      expect((await call(guarded.port, 'GET', '/v1/policy')).status).toBe(401);
      expect((await call(guarded.port, 'GET', '/v1/policy', undefined, { Authorization: 'Bearer wrong' })).status).toBe(401);
      expect((await call(guarded.port, 'GET', '/v1/policy', undefined, { Authorization: 'Bearer s3cret' })).status).toBe(200);
      expect((await call(guarded.port, 'GET', '/health')).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it.each([
    ['Origin of another site', { Origin: 'http://attacker.example' }],
    ['Sec-Fetch-Site cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
  ])('a /v1 request from a page of another site is refused (403, X0117): %s', async (_what, headers) => {
    const r = await call(api.port, 'POST', '/v1/evaluate', JSON.stringify({ asOf: '2022-06-01', facts: {} }), headers);
    expect(r.status).toBe(403);
    expect(JSON.stringify(r.body)).toContain('X0117');
    expect((await call(api.port, 'GET', '/v1/policy', undefined, headers)).status).toBe(403);
    expect((await call(api.port, 'GET', '/v1/policy', undefined, { 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
  });

  it('a non-loopback bind without a token, or a port in use, does not start (X0504, X0503)', async () => {
    await expect(startDecisionApi({ policy, policyHash: 'test', host: '0.0.0.0', port: 0 })).rejects.toMatchObject({ diagnostic: { code: 'X0504' } });
    const e = await startDecisionApi({ policy, policyHash: 'test', port: api.port }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DecisionApiStartError);
    expect((e as DecisionApiStartError).diagnostic.code).toBe('X0503');
    const cli = await runCli(['api', POLICY, '--host', '0.0.0.0', '--lang', 'en']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('X0504');
  });
});

describe('recording decisions', () => {
  let db: RecordsDb;
  let recorded: RunningDecisionApi;
  beforeAll(async () => {
    db = (await openRecords(join(dir, 'decisions.duckdb'), { mode: 'write' })).db!;
    recorded = await startDecisionApi({ policy, policyHash: 'hash-of-policy', port: 0, records: db });
  });
  afterAll(async () => {
    await recorded.close();
    db.close();
  });

  it('logs every decision with its facts and results before answering; results carry receipts', async () => {
    const answers = await Promise.all([1, 2, 3].map(() => call(recorded.port, 'POST', '/v1/evaluate', JSON.stringify({ facts, asOf: '2022-06-01' }))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const rows = await db.rows(`SELECT decision, policy_hash, CAST(as_of AS VARCHAR) AS as_of, results_json FROM decisions ORDER BY received_at`);
    expect(rows.map((r) => r.decision).sort()).toEqual(answers.map((a) => a.body.decision).sort());
    expect(rows[0]).toMatchObject({ policy_hash: 'hash-of-policy', as_of: '2022-06-01' });
    const results = answers[0].body.results as { receipt: string }[];
    expect(results[0].receipt).toMatch(/^r-[0-9a-f]{20}$/);
    const stored = JSON.parse(String(rows.find((r) => r.decision === answers[0].body.decision)!.results_json));
    expect(stored).toEqual(results);
    expect((await call(recorded.port, 'GET', '/health')).body.recording).toBe(true);
  });
});
