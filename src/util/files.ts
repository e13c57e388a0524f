// Files in and out, the safe way, for every command. Reads open without blocking and accept only regular
// files (a FIFO, /dev/zero or a folder named as a model would hang or grow without end), bounded by the
// file's own size. Writes go to a temporary name beside the target (`NAME.lithe-tmp-PID`), are flushed to
// disk and renamed, so no reader ever sees half a file; a failed write removes its temporary, and the
// temporaries of a process that died (kill -9, power loss) are removed by the next lithe that looks.
import {
  closeSync, constants, fchmodSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync,
  statSync, writeSync, type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { EXIT, FileError, fsError, LitheError, printable } from '../errors.ts';

const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

/** What a non-regular file is, for messages. */
export function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

export interface ReadOptions {
  /** What the file is, for messages (`the model`, `annotation file`). */
  what?: string;
  /** The largest size accepted, in bytes. */
  max?: number;
  /** Read only the first `head` bytes (an image's header), still refusing what is not a regular file. */
  head?: number;
  /**
   * With `max`: a larger file gives its first `max + 1` bytes instead of an error, enough for the caller to
   * tell that it is too large (a recipe's size is a diagnostic at its place, not a failed command).
   */
  cut?: boolean;
}

/** A regular file's bytes; anything else (missing, a folder, a FIFO, a device, too large) is a LitheError. */
export function readRegular(path: string, opts: ReadOptions = {}): Buffer {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (e) {
    throw fsError(e, path, `read${opts.what ? ` ${opts.what}` : ''}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new FileError(path, `${kindOf(st)}, not a file${opts.what ? ` (expected ${opts.what})` : ''}`);
    if (opts.max !== undefined && st.size > opts.max && !opts.cut) {
      throw new FileError(path, `${st.size} bytes, more than the ${opts.max} lithe reads as ${opts.what ?? 'this kind of file'}`, EXIT.problems);
    }
    const want = Math.min(st.size, opts.head ?? st.size, opts.max !== undefined ? opts.max + 1 : st.size);
    const buf = Buffer.allocUnsafe(want);
    let done = 0;
    while (done < want) {
      const n = readSync(fd, buf, done, want - done, done);
      if (n === 0) break; // the file shrank while we read it
      done += n;
    }
    return done === want ? buf : buf.subarray(0, done);
  } catch (e) {
    throw fsError(e, path, 'read');
  } finally {
    closeSync(fd);
  }
}

/** A regular file as UTF-8 text. */
export const readText = (path: string, opts: ReadOptions = {}): string => readRegular(path, opts).toString('utf8');

/** Requires `path` to be an existing folder (an image folder, a data set), or throws naming what it is. */
export function requireFolder(path: string, what = 'a folder'): void {
  let st: Stats;
  try { st = statSync(path); } catch (e) { throw fsError(e, path, `open ${what}`); }
  if (!st.isDirectory()) throw new LitheError(`${printable(path)}: ${st.isFile() ? 'a file' : kindOf(st)}, not ${what}`, EXIT.usage);
}

/**
 * `mkdir -p`, one level at a time. Node's recursive mkdir loops for ever under /proc (mkdir answers ENOENT
 * for a parent that exists); here a level that cannot be made is an error naming it.
 */
export function makeDir(path: string): void {
  const abs = resolve(path);
  const missing: string[] = [];
  for (let p = abs; ; p = dirname(p)) {
    let st: Stats | undefined;
    try { st = statSync(p); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fsError(e, p, 'use folder'); }
    if (st) {
      if (!st.isDirectory()) throw new LitheError(`${printable(p)}: ${st.isFile() ? 'a file' : kindOf(st)}, not a folder`, EXIT.usage);
      break;
    }
    missing.push(p);
    if (dirname(p) === p) break;
  }
  for (const p of missing.reverse()) {
    try { mkdirSync(p); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw fsError(e, p, 'create folder'); }
  }
}

/** The temporary a write to `path` goes through, owned by this process. */
export const tempName = (path: string, pid = process.pid): string => `${path}${TEMP_MARK}${pid}`;
const TEMP_MARK = '.lithe-tmp-';
const TEMP_RE = /\.lithe-tmp-(\d+)$/;

export interface WriteOptions {
  /** The new file's mode (fmt keeps the original's); default 0o644 less the umask. */
  mode?: number;
  /** Flush the file and its folder to disk before returning (state files, checkpoints). */
  durable?: boolean;
}

/**
 * Writes `data` (bytes, text, or a list of byte chunks) to `path` through a temporary and a rename. The
 * temporaries of earlier writers of the same path that died (kill -9 mid-write) are removed first.
 */
export function writeAtomic(path: string, data: string | Uint8Array | readonly Uint8Array[], opts: WriteOptions = {}): void {
  cleanStaleTemps(dirname(path), basename(path));
  const tmp = tempName(path);
  let fd: number | undefined;
  let created = false;
  try {
    fd = openSync(tmp, 'w', opts.mode ?? 0o666);
    created = true;
    // open() applies the umask; a mode asked for (fmt keeping a 0666 or 0755 file's) is set as it is.
    if (opts.mode !== undefined) fchmodSync(fd, opts.mode);
    const chunks = typeof data === 'string' ? [Buffer.from(data)] : data instanceof Uint8Array ? [data] : data;
    for (const c of chunks) for (let done = 0; done < c.length;) done += writeSync(fd, c, done, c.length - done);
    if (opts.durable) fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
    if (opts.durable) syncFolder(dirname(path));
  } catch (e) {
    if (fd !== undefined) try { closeSync(fd); } catch { /* already failing */ }
    // Only what this call created is removed: a folder or file already at the temporary's name is not ours.
    if (created) try { rmSync(tmp, { force: true }); } catch { /* the write's error is the one to report */ }
    throw fsError(e, path, 'write');
  }
}

/** Flushes a folder's entries (a rename) to disk; file systems that cannot are left as they are. */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try { fd = openSync(dir, constants.O_RDONLY); fsyncSync(fd); } catch { /* best effort */ } finally { if (fd !== undefined) closeSync(fd); }
}

/** Is process `pid` alive? (EPERM: alive, another user's.) */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/**
 * Removes the temporaries (files or folders) in `dir` whose writer is dead: what a kill -9 or a power cut
 * left behind; with `of`, only those of that file. Returns the names removed. A folder that cannot be read
 * is left alone.
 */
export function cleanStaleTemps(dir: string, of?: string): string[] {
  let names: string[];
  try { names = readdirSync(dir); } catch { return []; }
  const removed: string[] = [];
  for (const name of names) {
    if (of !== undefined && !name.startsWith(`${of}${TEMP_MARK}`)) continue;
    const pid = Number(TEMP_RE.exec(name)?.[1]);
    if (!pid || pid === process.pid || pidAlive(pid)) continue;
    try { rmSync(join(dir, name), { recursive: true, force: true }); removed.push(name); } catch { /* not ours to force */ }
  }
  return removed;
}

/**
 * The stats of what `path` names (symlinks followed), or undefined when nothing is there; any other failure
 * (permission denied, a loop of links) is a LitheError naming the path.
 */
export function statOrUndefined(path: string): Stats | undefined {
  try { return statSync(path); } catch (e) {
    if (['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw fsError(e, path, 'read');
  }
}
