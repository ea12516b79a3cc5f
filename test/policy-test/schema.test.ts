/**
 * The published JSON Schema of policy test files is the schema the loader uses; run with
 * UPDATE_SCHEMA=1 to regenerate docs/schema/policy-tests.schema.json after changing it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { POLICY_TESTS_SCHEMA, policyTestsSchemaJson } from '../../src/policy-test/schema.js';

const PUBLISHED = 'docs/schema/policy-tests.schema.json';

describe('policy tests schema', () => {
  it('the published file is up to date', () => {
    if (process.env.UPDATE_SCHEMA === '1') {
      mkdirSync('docs/schema', { recursive: true });
      writeFileSync(PUBLISHED, policyTestsSchemaJson());
    }
    expect(existsSync(PUBLISHED), `${PUBLISHED} is missing: run with UPDATE_SCHEMA=1`).toBe(true);
    expect(readFileSync(PUBLISHED, 'utf8')).toBe(policyTestsSchemaJson());
  });

  it('compiles in ajv strict mode and accepts the bundled tests', () => {
    const validate = new Ajv({ strict: true, allowUnionTypes: true }).compile(POLICY_TESTS_SCHEMA);
    const doc = parse(readFileSync('policies/yunnan-social-work/2021/tests.yaml', 'utf8')) as unknown;
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  });

  it('every description is zh, then en', () => {
    const descriptions: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === 'description' && typeof x === 'string') descriptions.push(x);
          else walk(x);
        }
      }
    };
    walk(POLICY_TESTS_SCHEMA);
    expect(descriptions.length).toBeGreaterThan(10);
    for (const d of descriptions) expect(d.split('\n'), d).toHaveLength(2);
  });
});
