/**
 * What the self-check page carries (one JSON block inside the HTML file) and how the file is
 * put together. Browser-safe: the page reads the data with {@link readPageData}; the CLI
 * (`clausal bundle`) writes the file with {@link selfCheckHtml}.
 */
import type { Labels } from '../model/types.js';
import { HTML_SCRIPT, sha256Base64 } from '../report/html-assets.js';
import { escapeHtml, jsonForScript } from '../report/html.js';
import type { PackedPolicy } from './policy-pack.js';

/** The data block's id in the page. */
export const PAGE_DATA_ID = 'clausal-selfcheck';

/** Everything the page needs besides its code. */
export interface SelfCheckData {
  /** Layout of this object; a page refuses data of another layout. */
  readonly format: 1;
  readonly policy: { readonly id: string; readonly version: string; readonly title?: Labels };
  /** `sha256:` and the hex digest over the policy's files (see docs/guide/self-check-page). */
  readonly hash: string;
  /** The files the hash covers, with each file's own digest, so a reviewer can check them one by one. */
  readonly files: readonly { readonly path: string; readonly sha256: string }[];
  /** Version of the engine inside the page. */
  readonly engine: string;
  readonly packed: PackedPolicy;
}

/** The page's data from its JSON block, or undefined when it is absent or of another layout. */
export function readPageData(text: string | null | undefined): SelfCheckData | undefined {
  if (!text) return undefined;
  try {
    const data = JSON.parse(text) as SelfCheckData;
    return data && data.format === 1 && data.packed ? data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The page's Content-Security-Policy: nothing may be fetched or connected to; the only
 * scripts are the page's own and the HTML report's (shown in a sandboxed `srcdoc` frame, which
 * inherits this policy), both by hash; no `unsafe-eval`.
 */
export function selfCheckCsp(pageScript: string): string {
  return [
    "default-src 'none'",
    `script-src 'sha256-${sha256Base64(pageScript)}' 'sha256-${sha256Base64(HTML_SCRIPT)}'`,
    "style-src 'unsafe-inline'",
    'img-src data: blob:',
    "frame-src 'self' blob: data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * The whole page. `script` must be ASCII (esbuild writes it so) and free of `</script`,
 * which the build checks.
 */
export function selfCheckHtml(input: { script: string; css: string; data: SelfCheckData }): string {
  const { script, css, data } = input;
  const title = data.policy.title?.zh ?? data.policy.id;
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(selfCheckCsp(script))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="clausal ${escapeHtml(data.engine)}">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(`${title} ${data.policy.version} · 自查`)}</title>
<style>${css}</style>
</head>
<body>
<div id="app"><p class="loading">正在载入自查工具… Loading the checker…</p></div>
<noscript><p>本自查页需要启用 JavaScript。This checker needs JavaScript.</p></noscript>
<script type="application/json" id="${PAGE_DATA_ID}">${jsonForScript(data)}</script>
<script>${script}</script>
</body>
</html>
`;
}
