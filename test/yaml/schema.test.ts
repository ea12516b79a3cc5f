/**
 * The published JSON Schema is generated from `src/yaml/schema.ts`. This test fails when the
 * committed file is stale; regenerate it with `UPDATE_SCHEMA=1 npx vitest run test/yaml`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { clauseLexer } from '../../src/syntax/tokens.js';
import { KEYWORD_NAMES, PATTERNS, POLICY_SCHEMA, policySchemaJson } from '../../src/yaml/schema.js';

const SCHEMA_FILE = fileURLToPath(new URL('../../docs/schema/policy.schema.json', import.meta.url));

describe('docs/schema/policy.schema.json', () => {
  it('is up to date (regenerate: UPDATE_SCHEMA=1 npx vitest run test/yaml)', () => {
    const expected = policySchemaJson();
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(SCHEMA_FILE, expected);
    let committed = '';
    try {
      committed = readFileSync(SCHEMA_FILE, 'utf8');
    } catch {
      // missing: fails below with the same message as a stale file
    }
    expect(committed, 'docs/schema/policy.schema.json is stale: run UPDATE_SCHEMA=1 npx vitest run test/yaml').toBe(expected);
  });

  it('is a valid draft-07 schema that ajv compiles in strict mode', () => {
    const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
    const published = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object;
    expect(ajv.validateSchema(published), JSON.stringify(ajv.errors)).toBe(true);
    const validate = ajv.compile(published);
    const policy = {
      policy: 'p',
      version: '2021',
      enums: { level: { members: { province: '省' } } },
      kinds: { institution: { from: 'institutions', fields: { 'posts.total': 'integer' } } },
      params: { civil_share: { type: 'percent', value: '70%' }, unset: { type: 'ratio' } },
      rules: [{ id: 'r', for: 'institution i', must: 'i.posts.total >= 1', from: '2021-01-01' }],
    };
    expect(validate(policy), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...policy, rules: [{ must: 'x' }] })).toBe(false);
  });

  it('describes every property in zh and en, for editors', () => {
    const definitions = POLICY_SCHEMA.definitions as Record<string, { description?: string }>;
    const missing: string[] = [];
    const stack: [unknown, string][] = [[POLICY_SCHEMA, '#']];
    while (stack.length > 0) {
      const [node, path] = stack.pop()!;
      if (!node || typeof node !== 'object' || Array.isArray(node)) continue;
      const props = (node as { properties?: Record<string, unknown> }).properties;
      for (const [name, sub] of Object.entries(props ?? {})) {
        const s = sub as { description?: string; $ref?: string };
        const described = s.description ?? (s.$ref ? definitions[s.$ref.split('/').pop()!]?.description : undefined);
        if (typeof sub === 'object' && !described && name !== 'zh' && name !== 'en') missing.push(`${path}/properties/${name}`);
        if (described && !/\n/.test(described)) missing.push(`${path}/properties/${name} (needs a zh line and an en line)`);
      }
      for (const [k, v] of Object.entries(node)) stack.push([v, `${path}/${k}`]);
    }
    expect(missing).toEqual([]);
  });
});

describe('schema patterns agree with the DSL lexer', () => {
  const single = (text: string) => {
    const lexed = clauseLexer.tokenize(text);
    return lexed.errors.length === 0 && lexed.tokens.length === 1 ? lexed.tokens[0].tokenType.name : undefined;
  };

  it.each(['institution', 'civil-affairs-post-share', '_x1', '社会工作', 'rule-2021', 'posts_total'])('name `%s` is one identifier', (name) => {
    expect(new RegExp(PATTERNS.name, 'u').test(name)).toBe(true);
    expect(single(name)).toBe('Identifier');
  });

  it.each(['1abc', 'a b', 'a-', '-a', 'a.b', ''])('`%s` is not a name', (name) => {
    expect(new RegExp(PATTERNS.name, 'u').test(name)).toBe(false);
  });

  it('every keyword is refused as a name', () => {
    expect(KEYWORD_NAMES.length).toBeGreaterThan(30);
    for (const k of KEYWORD_NAMES) expect(single(k)).toBe(`Kw_${k}`);
  });
});
