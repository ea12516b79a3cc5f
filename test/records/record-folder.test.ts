/**
 * Recording facts from several prefectures: a folder of workbooks or files is one facts source,
 * recorded with its files' digests and verified by reading the folder as `eval` did; several
 * `--facts` are refused with the reason and the remedy (X0350), and `--stream` names whichever
 * `--facts` path is not NDJSON.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/policy.js';

const POLICY = 'policies/yunnan-social-work/2021';
const dir = mkdtempSync(join(tmpdir(), 'clausal-record-folder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KUNMING = `regions:
  - { id: "530000", name: 云南省, level: province }
  - { id: "530100", name: 昆明市, level: prefecture, parent: "530000" }
institutions:
  - { id: KM-1, name: 昆明市儿童福利院, category: children_welfare_home, region: "530100", posts: { total: 80, professional: 60, social_work: 45 } }
`;
// Refers to the province defined in the other file.
const QUJING = `regions:
  - { id: "530300", name: 曲靖市, level: prefecture, parent: "530000" }
institutions:
  - { id: QJ-1, name: 曲靖市儿童福利院, category: children_welfare_home, region: "530300", posts: { total: 50, professional: 40, social_work: 10 } }
`;

describe('eval --record with the facts of several prefectures', () => {
  const folder = join(dir, 'prefectures');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, '云南-昆明.yaml'), KUNMING);
  writeFileSync(join(folder, '云南-曲靖.yaml'), QUJING);

  for (const copy of [false, true]) {
    it(`a folder is recorded and verifies${copy ? ' from the stored copy' : ''}`, async () => {
      const db = join(dir, `runs-${copy}.duckdb`);
      const r = await runCli(['eval', POLICY, '--facts', folder, '--as-of', '2023-03-01', '--record', db, '--format', 'json', ...(copy ? ['--record-facts'] : [])]);
      expect(r.code, r.stderr).toBe(0);
      const results = (JSON.parse(r.stdout) as { results: { subject: { id: string }; rule: string; status: string }[] }).results;
      expect(results.find((x) => x.subject.id === 'QJ-1' && x.rule === 'civil-affairs-post-share')?.status).toBe('violation');
      const show = await runCli(['runs', 'show', '1', '--db', db, '--format', 'json']);
      expect(show.code, show.stderr).toBe(0);
      const files = (JSON.parse(show.stdout) as { files: { role: string; path: string }[] }).files.filter((f) => f.role === 'facts').map((f) => f.path);
      expect(files).toEqual(['云南-昆明.yaml', '云南-曲靖.yaml']);
      const verify = await runCli(['runs', 'verify', '1', '--db', db]);
      expect(verify.stderr + verify.stdout).toContain('复核一致');
      expect(verify.code).toBe(0);
    });
  }

  it('several --facts: X0350 says why and what to do, in zh and en', async () => {
    const args = ['eval', POLICY, '--facts', join(folder, '云南-昆明.yaml'), '--facts', join(folder, '云南-曲靖.yaml'), '--record', join(dir, 'x.duckdb')];
    const zh = await runCli(args);
    expect(zh.code).toBe(2);
    expect(zh.stderr).toContain('error X0350: `--record` 只记录一个事实来源（文件或文件夹），本次给了 2 个 `--facts`：请把各州（市）的文件放进同一个文件夹，再用 `--facts 文件夹`');
    expect(zh.stderr).not.toContain('X0501');
    const en = await runCli([...args, '--lang', 'en']);
    expect(en.stderr).toContain('error X0350: `--record` records one facts source (a file or a folder), and 2 `--facts` were given');
  });

  it('--stream names the --facts path that is not NDJSON, whichever it is', async () => {
    const nd = join(dir, 'a.ndjson');
    writeFileSync(nd, '{"kind":"region","id":"530000","level":"province"}\n');
    const r = await runCli(['eval', POLICY, '--facts', nd, '--facts', join(folder, '云南-曲靖.yaml'), '--stream', '--format', 'ndjson', '--lang', 'en']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--facts ${join(folder, '云南-曲靖.yaml')}`);
  });
});
