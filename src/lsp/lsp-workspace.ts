/**
 * The language server's view of the disk: each workspace folder scanned the way `clausal serve`
 * scans it (policy versions, rule files, source texts), held in the workbench's
 * {@link WorkspaceModel} with the editor's open documents as its edited buffers. So a policy
 * checks in the editor exactly as it checks in the workbench and on the command line, across
 * files, with `extends` and `source` resolved inside the folder.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import type { SourceFileAst } from '../model/ast.js';
import type { Policy } from '../model/types.js';
import type { LoadedPolicy } from '../policy-sources.js';
import { scanWorkspace } from '../serve/workspace.js';
import { joinPath, WorkspaceModel } from '../language/workspace-model.js';
import { indexPolicy, type SymbolIndex } from '../language/symbols.js';

/** `extends "…"` of a `.clause` header or `extends: …` of a YAML one. */
const EXTENDS = /^\s*extends\s*(?::\s*)?["']?([^"'\n#]+?)["']?\s*(?:#.*)?$/m;

/** A scanned folder. */
export interface Root {
  /** Absolute real path. */
  readonly abs: string;
  model: WorkspaceModel;
}

/** A file as the workspace knows it: its folder and its `/`-separated path inside. */
export interface Located {
  readonly root: Root;
  readonly rel: string;
}

/** The workspace: folders, open documents, compiled policies and their symbol indexes. */
export class LspWorkspace {
  private readonly roots: Root[] = [];
  /** Open documents by absolute path. */
  private readonly open = new Map<string, string>();
  private readonly indexes = new Map<string, SymbolIndex>();
  /** The last policy of each version that checked far enough to have one. */
  private readonly lastPolicy = new Map<string, Policy>();

  /** Starts with the editor's workspace folders (absolute paths). */
  constructor(folders: readonly string[]) {
    for (const f of folders) this.addRoot(f);
  }

  private addRoot(folder: string): Root | undefined {
    let abs: string;
    try {
      abs = realpathSync(folder);
    } catch {
      return undefined;
    }
    const existing = this.roots.find((r) => r.abs === abs);
    if (existing) return existing;
    const root: Root = { abs, model: new WorkspaceModel(scanWorkspace(abs, basename(abs))) };
    this.roots.push(root);
    // Longest first, so a nested folder wins over its parent.
    this.roots.sort((a, b) => b.abs.length - a.abs.length);
    this.reapply(root);
    return root;
  }

  private reapply(root: Root): void {
    for (const [abs, text] of this.open) {
      const rel = relIn(root.abs, abs);
      if (rel !== undefined) root.model.edit(rel, text);
    }
  }

  /** Reads every folder again from disk (files created, deleted or changed outside the editor). */
  rescan(): void {
    for (const root of this.roots) {
      root.model = new WorkspaceModel(scanWorkspace(root.abs, basename(root.abs)));
      this.reapply(root);
    }
    this.indexes.clear();
  }

  /**
   * The folder and path of a file. A file outside every folder gets a folder of its own two
   * levels above it, so that a supplement's `extends "../../2021"` still resolves.
   */
  locate(absPath: string): Located | undefined {
    const real = realOf(absPath);
    for (const root of this.roots) {
      const rel = relIn(root.abs, real);
      if (rel !== undefined) return { root, rel };
    }
    const root = this.addRoot(dirname(dirname(dirname(real))));
    const rel = root && relIn(root.abs, real);
    return root && rel !== undefined ? { root, rel } : undefined;
  }

  /** The policy version directory a rule file belongs to. */
  policyDir(at: Located): string | undefined {
    const found = at.root.model.policies.find((p) => p.files.includes(at.rel));
    if (found) return found.dir;
    return undefined;
  }

  /** Sets an open document's text (`undefined` when it is closed: the disk text counts again). */
  setText(absPath: string, text: string | undefined): Located | undefined {
    const real = realOf(absPath);
    if (text === undefined) this.open.delete(real);
    else this.open.set(real, text);
    let at = this.locate(real);
    if (!at) return undefined;
    // A rule file created since the scan: scan again so that it joins its policy.
    if (text !== undefined && at.root.model.diskText(at.rel) === undefined && this.policyDir(at) === undefined) {
      this.rescan();
      at = this.locate(real);
      if (!at) return undefined;
    }
    const disk = at.root.model.diskText(at.rel);
    at.root.model.edit(at.rel, text ?? disk ?? '');
    this.indexes.clear();
    return at;
  }

  /** The current text of a file (open buffer, else disk). */
  text(at: Located): string | undefined {
    return at.root.model.text(at.rel);
  }

  /** Absolute path of a folder-relative path. */
  absPath(root: Root, rel: string): string {
    return resolve(root.abs, ...rel.split('/'));
  }

  /** Compiles a policy version (cached until a text changes) and remembers its policy. */
  compile(root: Root, dir: string): LoadedPolicy {
    const loaded = root.model.compile(dir);
    if (loaded.policy) this.lastPolicy.set(`${root.abs}\u0000${dir}`, loaded.policy);
    return loaded;
  }

  /** The policy to answer hovers and completions from: the current one, else the last that checked. */
  policy(root: Root, dir: string): Policy | undefined {
    return this.compile(root, dir).policy ?? this.lastPolicy.get(`${root.abs}\u0000${dir}`);
  }

  /** Every policy version of a folder. */
  dirs(root: Root): readonly string[] {
    return root.model.policies.map((p) => p.dir);
  }

  /** The rule files of a version. */
  files(root: Root, dir: string): readonly string[] {
    return root.model.policies.find((p) => p.dir === dir)?.files ?? [];
  }

  /** Parses a file (cached by text, shared with the compiles). */
  ast(root: Root, rel: string): SourceFileAst | undefined {
    const text = root.model.text(rel);
    return text === undefined ? undefined : root.model.parse({ path: rel, text }).value;
  }

  /** The version directories a version is built on, the outermost base first, itself last. */
  chain(root: Root, dir: string): string[] {
    const out: string[] = [];
    let cur: string | undefined = dir;
    while (cur !== undefined && !out.includes(cur)) {
      out.unshift(cur);
      // Read from the text, not the AST: this runs on every keystroke for every version.
      let ext: string | undefined;
      for (const f of this.files(root, cur)) {
        ext = EXTENDS.exec(root.model.text(f) ?? '')?.[1];
        if (ext !== undefined) break;
      }
      cur = ext === undefined ? undefined : joinPath(cur, ext);
      if (cur !== undefined && !this.dirs(root).includes(cur)) cur = undefined;
    }
    return out;
  }

  /** The versions whose chain holds `dir` (itself included). */
  dependents(root: Root, dir: string): string[] {
    return this.dirs(root).filter((d) => this.chain(root, d).includes(dir));
  }

  /** The symbol index of a version (cached until a text changes). */
  index(root: Root, dir: string): SymbolIndex {
    const key = `${root.abs}\u0000${dir}`;
    const hit = this.indexes.get(key);
    if (hit) return hit;
    const chain = this.chain(root, dir).map((d) => this.files(root, d).map((f) => this.ast(root, f)).filter((a): a is SourceFileAst => a !== undefined));
    const index = indexPolicy(chain);
    this.indexes.set(key, index);
    return index;
  }
}

function realOf(abs: string): string {
  try {
    return realpathSync(abs);
  } catch {
    // An unsaved or deleted file: its folder may still exist.
    try {
      return resolve(realpathSync(dirname(abs)), basename(abs));
    } catch {
      return resolve(abs);
    }
  }
}

/** `abs` relative to `root` with `/`, or undefined when outside. */
function relIn(root: string, abs: string): string | undefined {
  const rel = relative(root, abs);
  if (rel === '' || rel.startsWith('..') || resolve(root, rel) !== abs) return undefined;
  return rel.split(sep).join('/');
}
