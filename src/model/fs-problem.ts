/**
 * File-system failures in words. Node reports them as codes (`ENOENT`, `EACCES`); an officer
 * reads 文件不存在. Diagnostics carry the code as `detail` (for tools and tests) and the words
 * as `detail.zh` / `detail.en`, which the templates prefer (see `fillTemplate`).
 */
import type { DiagnosticArgs } from './diagnostics.js';

/** Whether the failing operation read or wrote: a missing folder reads differently. */
export type FsOperation = 'read' | 'write' | 'listen';

const WORDS: Readonly<Record<string, Partial<Readonly<Record<FsOperation | 'any', readonly [string, string]>>>>> = {
  ENOENT: { read: ['文件不存在', 'no such file'], write: ['所在文件夹不存在', 'its folder does not exist'], listen: ['地址不存在', 'no such address'], any: ['不存在', 'does not exist'] },
  EACCES: { any: ['没有权限', 'permission denied'] },
  EPERM: { any: ['不允许此操作', 'operation not permitted'] },
  EISDIR: { any: ['这是一个文件夹，不是文件', 'is a directory, not a file'] },
  ENOTDIR: { any: ['路径中有一段不是文件夹', 'a part of the path is not a directory'] },
  EEXIST: { any: ['已存在', 'already exists'] },
  ENOSPC: { any: ['磁盘空间不足', 'no space left on the device'] },
  EROFS: { any: ['文件系统只读', 'read-only file system'] },
  EMFILE: { any: ['打开的文件过多', 'too many open files'] },
  EBUSY: { any: ['正被占用', 'busy'] },
  ELOOP: { any: ['符号链接形成循环', 'too many levels of symbolic links'] },
  ENAMETOOLONG: { any: ['文件名过长', 'file name too long'] },
  EADDRINUSE: { any: ['端口已被占用', 'the port is already in use'] },
  EADDRNOTAVAIL: { any: ['本机没有这个地址', 'the address is not available on this machine'] },
};

/**
 * zh and en words for a file-system error code; the code itself when it is not one we know.
 * The en words keep the code, which is what people search for and support staff ask about.
 */
export function fsWords(code: string, op: FsOperation = 'read'): { zh: string; en: string } {
  const known = Object.prototype.hasOwnProperty.call(WORDS, code) ? WORDS[code] : undefined;
  const pair = known && (known[op] ?? known.any);
  return pair ? { zh: pair[0], en: `${pair[1]} (${code})` } : { zh: code, en: code };
}

/**
 * `detail` arguments for a failure on `path`: `path: CODE` as data, `path（文件不存在）` and
 * `path (no such file (ENOENT))` as words. Without a path, only the words.
 */
export function fsDetail(code: string, path?: string, op: FsOperation = 'read'): DiagnosticArgs {
  const w = fsWords(code, op);
  if (path === undefined) return { detail: code, 'detail.zh': w.zh, 'detail.en': w.en };
  return { detail: `${path}: ${code}`, 'detail.zh': `${path}（${w.zh}）`, 'detail.en': `${path} (${w.en})` };
}

/** The error code of a thrown file-system error, or its message when it has none. */
export function errnoOf(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : (e as Error).message;
}

const KIND_ZH: Readonly<Record<string, string>> = {
  'a directory': '文件夹',
  'a named pipe': '命名管道',
  'a character device': '字符设备',
  'a block device': '块设备',
  'a socket': '套接字',
  'not a regular file': '特殊文件',
};

/** `what` arguments for a file that is not a regular file (`a named pipe` and its zh words). */
export function fileKindArgs(what: string): DiagnosticArgs {
  return Object.prototype.hasOwnProperty.call(KIND_ZH, what) ? { what, 'what.zh': KIND_ZH[what] } : { what };
}
