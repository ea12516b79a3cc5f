import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const SCRIPT = fileURLToPath(new URL('../scripts/gen-province.js', import.meta.url));

interface Region { id: string; level: string; parent?: string }
interface Institution { id: string; category: string; region: string; posts: { total?: number; professional?: number; social_work?: number } }
interface Worker { id: string; institution: string; post: { tier: string; grade: number; level?: number } }
interface Facts { regions: Region[]; institutions: Institution[]; workers: Worker[] }

// CONTRACT.md section 4, 三（一）…三（九）.
const CATEGORIES = [
  'township_party_service_center', 'township_governance_center', 'township_social_affairs_office', 'township_public_service_platform',
  'social_welfare_home', 'children_welfare_home', 'relief_station', 'minor_relief_center', 'rural_elderly_home', 'sanwu_placement',
  'social_assistance_agency', 'adoption_service', 'marriage_family_service', 'funeral_service',
  'hospital', 'disabled_welfare_institution',
  'community_drug_rehab', 'community_rehabilitation', 'community_correction', 'resettlement_education', 'custodial_facility',
  'drug_control_department', 'administrative_detention', 'compulsory_isolation_rehab', 'drug_rehab_facility', 'drug_maintenance_clinic', 'voluntary_rehab_clinic',
  'school',
  'trade_union_service',
  'minor_protection', 'youth_center', 'women_children_rights', 'women_children_training', 'disabled_rights', 'disabled_education_rehab', 'veterans_service',
  'social_work_agency', 'private_elderly_care', 'disabled_care_service', 'worker_service_org', 'other_social_org',
];

function run(...args: string[]): string {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`gen-province exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

function fromNdjson(text: string): Facts {
  const facts: Facts = { regions: [], institutions: [], workers: [] };
  for (const line of text.split('\n')) {
    if (!line) continue;
    const { kind, ...rest } = JSON.parse(line) as { kind: string } & Record<string, unknown>;
    if (kind === 'region') facts.regions.push(rest as unknown as Region);
    else if (kind === 'institution') facts.institutions.push(rest as unknown as Institution);
    else if (kind === 'worker') facts.workers.push(rest as unknown as Worker);
    else throw new Error(`bad kind ${kind}`);
  }
  return facts;
}

describe('scripts/gen-province.js', () => {
  const text = run('--institutions', '2000');
  const facts = JSON.parse(text) as Facts;

  it('is deterministic', () => {
    expect(run('--institutions', '2000')).toBe(text);
    expect(run('--institutions', '2000', '--seed', '2')).not.toBe(text);
  });

  it('has the requested sizes and the 16 prefectures / 129 counties', () => {
    expect(Object.keys(facts)).toEqual(['regions', 'institutions', 'workers']);
    expect(facts.institutions).toHaveLength(2000);
    expect(facts.workers).toHaveLength(1000);
    expect(facts.regions).toHaveLength(15545);
    const count = (level: string) => facts.regions.filter((r) => r.level === level).length;
    expect(count('province')).toBe(1);
    expect(count('prefecture')).toBe(16);
    expect(count('county')).toBe(129);
  });

  it('has unique ids within each list', () => {
    for (const list of [facts.regions, facts.institutions, facts.workers]) {
      expect(new Set(list.map((x) => x.id)).size).toBe(list.length);
    }
  });

  it('resolves every reference', () => {
    const regions = new Map(facts.regions.map((r) => [r.id, r]));
    const order = ['province', 'prefecture', 'county', 'township', 'village'];
    for (const r of facts.regions) {
      if (r.level === 'province') continue;
      const parent = regions.get(r.parent ?? '');
      expect(parent, r.id).toBeDefined();
      expect(order.indexOf(parent!.level), r.id).toBe(order.indexOf(r.level) - 1);
    }
    const institutions = new Set(facts.institutions.map((i) => i.id));
    for (const i of facts.institutions) expect(regions.has(i.region), i.id).toBe(true);
    for (const w of facts.workers) expect(institutions.has(w.institution), w.id).toBe(true);
  });

  it('covers every category and keeps social_work <= professional <= total', () => {
    const seen = new Set(facts.institutions.map((i) => i.category));
    expect([...seen].sort()).toEqual([...CATEGORIES].sort());
    for (const { id, posts } of facts.institutions) {
      if (posts.social_work !== undefined && posts.professional !== undefined) expect(posts.social_work, id).toBeLessThanOrEqual(posts.professional);
      if (posts.professional !== undefined && posts.total !== undefined) expect(posts.professional, id).toBeLessThanOrEqual(posts.total);
    }
  });

  it('writes the same subjects as yaml and ndjson', () => {
    const json = run('--institutions', '300', '--regions', '2000');
    const yaml = parseYaml(run('--institutions', '300', '--regions', '2000', '--format', 'yaml')) as Facts;
    const nd = fromNdjson(run('--institutions', '300', '--regions', '2000', '--format', 'ndjson'));
    expect(JSON.stringify(yaml)).toBe(JSON.stringify(JSON.parse(json)));
    expect(JSON.stringify(nd)).toBe(JSON.stringify(JSON.parse(json)));
  });
});
