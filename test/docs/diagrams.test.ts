/**
 * docs/language/diagrams/*.svg are drawn from the parser's serialized grammar (see railroad.ts);
 * this test redraws them and fails when one is stale, missing or left over. UPDATE_GOLDEN=1
 * (`npm run docs:diagrams`) rewrites them.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../helpers/golden.js';
import { DIAGRAMS_DIR, railroadSvgs } from './railroad.js';
import { REPO } from './runner.js';

const svgs = railroadSvgs();
const dir = join(REPO, DIAGRAMS_DIR);

describe('railroad diagrams of the language reference', () => {
  it('has one SVG per parser rule and no other', () => {
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(dir, { recursive: true });
      for (const f of existsSync(dir) ? readdirSync(dir) : []) if (!svgs.has(f.replace(/\.svg$/, ''))) rmSync(join(dir, f));
    }
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.svg')).sort() : [];
    expect(files).toEqual([...svgs.keys()].map((n) => `${n}.svg`).sort());
  });

  it.each([...svgs.keys()])('%s.svg is current', (name) => {
    expectGolden(join(dir, `${name}.svg`), svgs.get(name)!);
  });
});
