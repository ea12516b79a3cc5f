/**
 * `clausal bundle <policy-dir> --out 自查.html`: one self-contained HTML file that prefectures
 * and counties open from disk to check their own facts against the policy, offline. The page's
 * code is built by `npm run build` (dist/selfcheck/); this command adds the policy, parsed and
 * checked here, with its content digest. Exit 0 written, 1 bad policy or unwritable output,
 * 2 usage.
 */
import { existsSync, readFileSync } from 'node:fs';
import path, { type PlatformPath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { error, type Diagnostic } from '../model/diagnostics.js';
import { ENGINE_VERSION } from '../model/version.js';
import { policyDigest } from '../policy-digest.js';
import { packPolicy, packedTexts, type PackedPolicy } from '../selfcheck/policy-pack.js';
import { selfCheckHtml, type SelfCheckData } from '../selfcheck/page-data.js';
import { emit, EXIT, loadPolicyOrReport, registerCommand, usage } from './main.js';

/**
 * `file` (as the loader names it: relative to the working directory, or absolute) relative to
 * the policy directory, with `/` between segments whatever the platform
 * (`C:\policies\2021\00-policy.clause` -> `00-policy.clause`, a base policy -> `../2020/…`), so
 * the page and its digest do not depend on where or on which system it was built.
 */
export function portablePath(policyDir: string, file: string, api: PlatformPath = path): string {
  return api.relative(api.resolve(policyDir), api.resolve(file)).split(api.sep).join('/');
}

/** Where the built page code is: next to the compiled CLI, or in the repository's dist/ when run from source. */
function pageAssetsDir(): string {
  const candidates = [fileURLToPath(new URL('../selfcheck/', import.meta.url)), fileURLToPath(new URL('../../dist/selfcheck/', import.meta.url))];
  return candidates.find((d) => existsSync(path.join(d, 'page.js'))) ?? candidates[0];
}

/** The page's built script and stylesheet in `dir`, or X0700 when they are not there. */
export function readPageAssets(dir: string = pageAssetsDir()): { script: string; css: string } | Diagnostic {
  const script = path.join(dir, 'page.js');
  const css = path.join(dir, 'page.css');
  for (const f of [script, css]) if (!existsSync(f)) return error('X0700', undefined, { path: f });
  return { script: readFileSync(script, 'utf8'), css: readFileSync(css, 'utf8') };
}

function withPortablePaths(packed: PackedPolicy, map: ReadonlyMap<string, string>): PackedPolicy {
  return JSON.parse(JSON.stringify(packed, (_key, value: unknown) => (typeof value === 'string' && map.has(value) ? map.get(value) : value))) as PackedPolicy;
}

registerCommand('bundle', {
  options: { out: 'value', lang: 'value' },
  usage: 'clausal bundle <policy-dir> --out FILE.html',
  run(args, ctx) {
    if (args.positionals.length !== 1) return usage(ctx, error('X0003', undefined, { what: ' <policy-dir>' }), this.usage);
    const out = args.values.get('out');
    if (!out) return usage(ctx, error('X0003', undefined, { what: ' --out FILE.html' }), this.usage);
    if (!/\.html?$/i.test(out)) return usage(ctx, error('X0004', undefined, { option: '--out', value: out, expected: 'FILE.html' }), this.usage);
    const dir = args.positionals[0];
    const loaded = loadPolicyOrReport(ctx, dir);
    if (!loaded?.policy) return EXIT.diagnostics;
    const assets = readPageAssets();
    if ('code' in assets) {
      ctx.report([assets]);
      return EXIT.diagnostics;
    }
    const policy = loaded.policy;
    const packed = packPolicy(policy);
    const texts = packedTexts(packed, loaded.texts ?? new Map());
    const portable = new Map(texts.map((f) => [f.path, portablePath(dir, f.path)]));
    const digest = policyDigest(texts.map((f) => ({ path: portable.get(f.path)!, text: f.text })));
    const data: SelfCheckData = {
      format: 1,
      policy: { id: policy.id, version: policy.version, title: policy.title },
      hash: digest.hash,
      files: digest.files,
      engine: ENGINE_VERSION,
      packed: withPortablePaths(packed, portable),
    };
    const html = selfCheckHtml({ ...assets, data });
    if (!emit(ctx, out, [html])) return EXIT.diagnostics;
    const size = `${(Buffer.byteLength(html) / 1024 / 1024).toFixed(1)} MB`;
    ctx.io.stdout.write(ctx.lang === 'zh'
      ? `已写出 ${out}（${size}）：政策 ${policy.id} ${policy.version}，引擎 clausal ${ENGINE_VERSION}，规则内容摘要 ${digest.hash}\n`
      : `wrote ${out} (${size}): policy ${policy.id} ${policy.version}, engine clausal ${ENGINE_VERSION}, rule content digest ${digest.hash}\n`);
    return EXIT.ok;
  },
});
