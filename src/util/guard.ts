// What lithe reads, it never writes. An output path may reach an input by a symlink, `..`, a hard link or a
// folder alias; the guard compares what the paths resolve to (real paths, and device + inode for files) so
// that none of these can replace the model, a teacher, the recipe or the data. A second rule keeps users'
// other files safe: an existing file that lithe did not write is replaced only when the user says so.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { EXIT, LitheError, printable } from '../errors.ts';
import { isInside } from './paths.ts';

interface Guarded { what: string; path: string }

export class InputGuard {
  /** Protected files by `dev:ino`, so that a hard link is caught too. */
  private readonly files = new Map<string, Guarded>();
  /** Protected files and folders by real path (folders protect everything inside them). */
  private readonly reals = new Map<string, Guarded & { tree: boolean }>();

  /** Protects a file (and every name it has). Paths that do not exist are skipped: nothing to lose. */
  file(path: string, what: string): this {
    return this.add(path, what, false);
  }

  /** Protects a folder and everything in it (a data set). */
  tree(path: string, what: string): this {
    return this.add(path, what, true);
  }

  private add(path: string, what: string, tree: boolean): this {
    let st;
    try { st = statSync(path); } catch { return this; }
    const g = { what, path };
    if (!tree || st.isFile()) this.files.set(`${st.dev}:${st.ino}`, g);
    this.reals.set(realpathSync(path), { ...g, tree: tree && st.isDirectory() });
    return this;
  }

  /** Throws when writing `out` would replace, or land inside, something this guard protects. */
  check(out: string, role = 'the output'): void {
    if (out.includes('\0')) throw new LitheError(`${printable(out)}: ${role} path holds a NUL byte`, EXIT.usage);
    const real = realTarget(out);
    let hit: (Guarded & { tree?: boolean }) | undefined;
    try {
      const st = statSync(out);
      hit = this.files.get(`${st.dev}:${st.ino}`);
    } catch { /* nothing there yet */ }
    for (const [p, g] of this.reals) {
      if (hit) break;
      if (real === p || (g.tree && isInside(real, p))) hit = g;
    }
    if (!hit) return;
    const what = `${hit.what} ${printable(hit.path)}`;
    const how = hit.tree && real !== realTarget(hit.path) ? `would write inside ${what}`
      : resolve(out) === resolve(hit.path) ? `would overwrite ${what}` : `would overwrite ${what} (the same file by another name)`;
    throw new LitheError(`${printable(out)}: ${role} ${how}; lithe never writes what it reads: choose another path`, EXIT.usage);
  }
}

/** Refuses to replace an existing file unless the user said `--force`; `flag` names how they can say it. */
export function refuseExisting(out: string, force: boolean | undefined, flag = '--force'): void {
  if (force) return;
  let exists = false;
  try { statSync(out); exists = true; } catch { /* free */ }
  if (exists) throw new LitheError(`${printable(out)}: already exists and lithe did not write it in this run; choose another path, or pass ${flag} to replace it`, EXIT.usage);
}

/**
 * Where a write to `p` ends up: the real path of `p` when it exists (through every symlink), else the real
 * path of its nearest existing folder joined with the rest.
 */
export function realTarget(p: string): string {
  const abs = resolve(p);
  if (existsSync(abs)) return realpathSync(abs);
  const rest: string[] = [];
  let dir = abs;
  while (!existsSync(dir) && dirname(dir) !== dir) { rest.unshift(basename(dir)); dir = dirname(dir); }
  let realDir = dir;
  try { realDir = realpathSync(dir); } catch { /* unreadable: compare as given */ }
  return join(realDir, ...rest);
}
