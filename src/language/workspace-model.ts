/**
 * The workspace as an editor holds it: every rule and source file's text on disk (as last
 * loaded or saved) and the edited buffers, and the policies compiled from either. Pure: no DOM,
 * no file system, so the browser workbench and the language server share it, and it is tested
 * in Node like the engine it calls.
 */
import { error, type Diagnostic } from '../model/diagnostics.js';
import { compileSources, parseRuleFile, type LoadedPolicy, type ParsedRuleFile, type PolicySourceFile } from '../policy-sources.js';

/** A file as the server sent it (`GET /api/workspace`). */
export interface DiskFile {
  readonly path: string;
  readonly text: string;
  readonly hash: string;
  readonly role: 'rule' | 'source' | 'test';
}

/** A policy version directory and its rule files. */
export interface PolicyDir {
  readonly dir: string;
  readonly files: readonly string[];
  /** Its test files (edited and saved in the workbench, run by the server, never compiled here). */
  readonly tests?: readonly string[];
}

/** The answer of `GET /api/workspace`. */
export interface WorkspaceData {
  readonly name: string;
  readonly policies: readonly PolicyDir[];
  readonly files: readonly DiskFile[];
  readonly facts: readonly { readonly path: string; readonly size: number }[];
  readonly skipped: readonly string[];
}

/** Which texts a compile reads: the edited buffers, or the files as saved on disk. */
export type Side = 'edited' | 'disk';

/**
 * Resolves `rel` against directory `dir` (both relative to the workspace root, `/`-separated),
 * or undefined when the result would leave the root.
 */
export function joinPath(dir: string, rel: string): string | undefined {
  const parts: string[] = [];
  for (const seg of [...(dir === '.' ? [] : dir.split('/')), ...rel.split('/')]) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.length ? parts.join('/') : '.';
}

/** The workspace: disk texts, buffers, compiled policies (cached until a text changes). */
export class WorkspaceModel {
  private readonly disk = new Map<string, DiskFile>();
  private readonly buffers = new Map<string, string>();
  private readonly cache = new Map<string, LoadedPolicy>();
  /** Parsed files by path, kept while their text is unchanged: an edit re-parses one file. */
  private readonly parses = new Map<string, { readonly text: string; readonly result: ParsedRuleFile }>();

  /** Loads the server's answer. */
  constructor(readonly data: WorkspaceData) {
    for (const f of data.files) this.disk.set(f.path, f);
  }

  /** Policy directories. */
  get policies(): readonly PolicyDir[] {
    return this.data.policies;
  }

  /** The text on disk (as last loaded or saved). */
  diskText(path: string): string | undefined {
    return this.disk.get(path)?.text;
  }

  /** The hash of the text on disk, which a save names. */
  diskHash(path: string): string | undefined {
    return this.disk.get(path)?.hash;
  }

  /** The text of the buffer (the disk text when unedited). */
  text(path: string, side: Side = 'edited'): string | undefined {
    return side === 'edited' ? this.buffers.get(path) ?? this.diskText(path) : this.diskText(path);
  }

  /** Replaces a buffer's text. */
  edit(path: string, text: string): void {
    if (text === this.diskText(path)) this.buffers.delete(path);
    else this.buffers.set(path, text);
    this.changed();
  }

  /** Records what is on disk now (after a save or a reload). */
  setDisk(path: string, text: string, hash: string): void {
    const old = this.disk.get(path);
    this.disk.set(path, { path, text, hash, role: old?.role ?? 'rule' });
    if (this.buffers.get(path) === text) this.buffers.delete(path);
    this.changed();
  }

  /** Whether a buffer differs from its file. */
  isDirty(path: string): boolean {
    return this.buffers.has(path);
  }

  /** Every edited file. */
  dirtyFiles(): string[] {
    return [...this.buffers.keys()];
  }

  /** The directory a file belongs to (`.` for the root). */
  dirOf(path: string): string {
    const i = path.lastIndexOf('/');
    return i < 0 ? '.' : path.slice(0, i);
  }

  private changed(): void {
    this.cache.clear();
  }

  /** The parse of a rule file's text (cached until the text changes). */
  parse(file: PolicySourceFile): ParsedRuleFile {
    const hit = this.parses.get(file.path);
    if (hit && hit.text === file.text) return hit.result;
    const result = parseRuleFile(file);
    this.parses.set(file.path, { text: file.text, result });
    return result;
  }

  /** Compiles the policy in `dir` from the chosen side's texts (cached). */
  compile(dir: string, side: Side = 'edited'): LoadedPolicy {
    return this.compileChain(dir, side, []);
  }

  private compileChain(dir: string, side: Side, chain: readonly string[]): LoadedPolicy {
    const key = `${side}\u0000${dir}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const policy = this.data.policies.find((p) => p.dir === dir);
    if (!policy) return { diagnostics: [error('X0006', undefined, { path: dir })] };
    if (chain.includes(dir)) return { diagnostics: [error('C0031', undefined, { path: [...chain, dir].join(' -> ') })] };
    const files: PolicySourceFile[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const path of policy.files) {
      const text = this.text(path, side);
      if (text === undefined) diagnostics.push(error('X0006', { file: path, start: 0, end: 0 }, { path }));
      else files.push({ path, text });
    }
    const result = compileSources(files, {
      readSource: (rel) => {
        const path = joinPath(dir, rel);
        return { path: path ?? rel, text: path === undefined ? undefined : this.text(path, side) };
      },
      parse: (file) => this.parse(file),
      loadBase: (rel) => {
        const base = joinPath(dir, rel);
        return base === undefined ? { diagnostics: [error('X0006', undefined, { path: rel })] } : this.compileChain(base, side, [...chain, dir]);
      },
    });
    const loaded = diagnostics.length ? { ...result, diagnostics: [...diagnostics, ...result.diagnostics] } : result;
    this.cache.set(key, loaded);
    return loaded;
  }
}
