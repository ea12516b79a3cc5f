/**
 * The `ts` blocks of the documentation type-check against src/index.ts under the project's
 * compiler settings (docs.test.ts executes them; this catches what running cannot, such as a
 * renamed type). Its own file so it runs beside the page runs.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { extractBlocks, type Block } from './blocks.js';
import { allPages } from './pages.js';
import { REPO } from './runner.js';

describe('TypeScript blocks type-check', () => {
  it('compiles every `ts` block against src/index.ts under the project settings', () => {
    const tsBlocks: Block[] = allPages()
      .flatMap((p) => extractBlocks(p, readFileSync(join(REPO, p), 'utf8')))
      .filter((b) => (b.lang === 'ts' || b.lang === 'typescript') && !b.flags.has('fragment'));
    expect(tsBlocks.length).toBeGreaterThan(0);
    const dir = join(REPO, 'test/docs/.blocks');
    const index = relative(dir, join(REPO, 'src/index.js'));
    // The blocks import the package by name; here they import the source (a virtual file per block).
    const files = new Map(tsBlocks.map((b) => [join(dir, `${b.page.replace(/[/.]/g, '_')}_${b.line}.ts`), b.text.replace(/from\s+['"]clausal['"]/g, `from '${index}'`)]));
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      lib: ['lib.es2022.d.ts'],
    };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.readFile = (f) => files.get(f) ?? readFile(f);
    host.fileExists = (f) => files.has(f) || fileExists(f);
    const names = [...files.keys()];
    const program = ts.createProgram(names, options, host);
    // Only the blocks are checked: the engine's own sources are type-checked by `npm run typecheck`.
    const problems = names
      .flatMap((n) => ts.getPreEmitDiagnostics(program, program.getSourceFile(n)))
      .filter((d) => d.file && files.has(d.file.fileName))
      .map((d) => {
        const where = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        const block = tsBlocks[names.indexOf(d.file!.fileName)];
        return `${block.page}:${block.line + 1 + where.line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
