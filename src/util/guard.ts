// What lithe reads, it never writes. An output path may reach an input by a symlink, `..`, a hard link or a
// folder alias; the guard compares what the paths resolve to (real paths, and device + inode for files) so
// that none of these can replace the model, a teacher, the recipe or the data. The checker asks it first
// (CMP3012, through the editor's view of the files), `lithe run` again before and as it writes. A second
// rule keeps users' other files safe: an existing file that lithe did not write is replaced only when the
// user says so.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { EXIT, LitheError, printable } from '../errors.ts';
import { isInside } from './paths.ts';

interface Guarded { what: string; path: string; tree: boolean }

/** The canonical path of an existing path, or undefined (the checker passes its file host's). */
export type RealPath = (absPath: string) => string | undefined;

const fsReal: RealPath = (p) => { try { return existsSync(p) ? realpathSync(p) : undefined; } catch { return undefined; } };

/** What writing to a path would destroy: the input, and how the path reaches it. */
export interface Clash { what: string; path: string; how: string }

export class InputGuard {
  /** Protected files by `dev:ino`, so that a hard link is caught too. */
  private readonly files = new Map<string, Guarded>();
  /** Protected files and folders by real path (folders protect everything inside them). */
  private readonly reals = new Map<string, Guarded>();

  constructor(private readonly real: RealPath = fsReal) {}

  /** Protects a file (and every name it has). A path that does not exist yet is protected by its name (the
   *  checker sees recipes before their models exist). */
  file(path: string, what: string): this {
    return this.add(path, what, false);
  }

  /** Protects a path as what it is: a folder with everything in it, or a file. */
  path(path: string, what: string): this {
    return this.add(path, what, true);
  }

  private add(path: string, what: string, tree: boolean): this {
    const real = this.target(path);
    const id = fileId(real);
    const g = { what, path, tree: tree && !id && this.real(real) !== undefined };
    if (id) this.files.set(id, g);
    this.reals.set(real, g);
    return this;
  }

  /** What writing `out` would replace or land inside, or undefined when it is free of every input. */
  find(out: string): Clash | undefined {
    const real = this.target(out);
    const id = fileId(real);
    let hit = id ? this.files.get(id) : undefined;
    for (const [p, g] of this.reals) {
      if (hit) break;
      if (real === p || (g.tree && isInside(real, p))) hit = g;
    }
    if (!hit) return undefined;
    const what = `${hit.what} ${printable(hit.path)}`;
    const how = hit.tree && real !== this.target(hit.path) ? `would write inside ${what}`
      : resolve(out) === resolve(hit.path) ? `would overwrite ${what}` : `would overwrite ${what} (the same file by another name)`;
    return { what: hit.what, path: hit.path, how };
  }

  /** Throws when writing `out` would replace, or land inside, something this guard protects. */
  check(out: string, role = 'the output'): void {
    if (out.includes('\0')) throw new LitheError(`${printable(out)}: ${role} path holds a NUL byte`, EXIT.usage);
    const clash = this.find(out);
    if (clash) throw new LitheError(`${printable(out)}: ${role} ${clash.how}; lithe never writes what it reads: choose another path`, EXIT.usage);
  }

  /**
   * Where a write to `p` ends up: the real path of `p` when it exists (through every symlink), else the real
   * path of its nearest existing folder joined with the rest.
   */
  private target(p: string): string {
    const rest: string[] = [];
    for (let dir = resolve(p); ; dir = dirname(dir)) {
      const real = this.real(dir);
      if (real) return join(real, ...rest);
      if (dirname(dir) === dir) return resolve(p);
      rest.unshift(basename(dir));
    }
  }
}

/** The identity of an existing regular file (`dev:ino`): a hard link has another path but the same one. */
function fileId(path: string): string | undefined {
  try {
    const st = statSync(path);
    return st.isFile() ? `${st.dev}:${st.ino}` : undefined;
  } catch {
    return undefined;
  }
}

/** Refuses to replace an existing file unless the user said `--force`; `flag` names how they can say it. */
export function refuseExisting(out: string, force: boolean | undefined, flag = '--force'): void {
  if (force) return;
  let exists = false;
  try { statSync(out); exists = true; } catch { /* free */ }
  if (exists) throw new LitheError(`${printable(out)}: already exists and lithe did not write it in this run; choose another path, or pass ${flag} to replace it`, EXIT.usage);
}
