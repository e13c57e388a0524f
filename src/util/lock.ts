// A folder lock: one lithe process at a time writes into a run folder. The lock file holds the owner's pid and
// the start time of that process (so a recycled pid is not mistaken for the owner); a lock whose owner is
// gone (kill -9, a crash, a reboot) is taken over. Created with O_EXCL, so two processes racing for a free
// folder cannot both win.
import { closeSync, linkSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT, errnoOf, fsError, LitheError, printable } from '../errors.ts';
import { pidAlive, readText } from './files.ts';

export const LOCK_FILE = 'lithe.lock';

export interface Lock { release(): void }

interface Owner { pid: number; started?: string; command?: string }

/** The start time of process `pid` (Linux: field 22 of /proc/PID/stat), to tell it from a recycled pid. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

const alive = (o: Owner): boolean => pidAlive(o.pid) && (o.started === undefined || startTime(o.pid) === undefined || startTime(o.pid) === o.started);

/** Takes the lock of `dir` for this process, or throws naming the process that holds it. */
export function lockFolder(dir: string, command = 'lithe'): Lock {
  const file = join(dir, LOCK_FILE);
  const me: Owner = { pid: process.pid, started: startTime(process.pid), command };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      createWithOwner(file, me);
    } catch (e) {
      if (errnoOf(e) !== 'EEXIST') throw fsError(e, file, 'create the lock');
      const owner = readOwner(file);
      if (!owner && youngerThan(file, 5000)) {
        throw new LitheError(`${printable(dir)} is being locked by another lithe process; try again in a moment`, EXIT.usage);
      }
      if (owner && owner.pid !== process.pid && alive(owner)) {
        throw new LitheError(`${printable(dir)} is in use by ${owner.command ?? 'lithe'} (pid ${owner.pid}); wait for it to finish, or choose another --out`, EXIT.usage);
      }
      rmSync(file, { force: true }); // its owner is gone: take it over
      continue;
    }
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      process.off('exit', release);
      if (readOwner(file)?.pid === process.pid) rmSync(file, { force: true });
    };
    process.on('exit', release);
    return { release };
  }
  throw new LitheError(`${printable(dir)}: cannot take the lock ${LOCK_FILE}: another process keeps taking it`, EXIT.usage);
}

/**
 * Creates the lock file with its owner already in it: written to a temporary, then hard-linked to the lock's
 * name, which fails with EEXIST if the lock exists. A process killed between creating an empty lock and
 * writing its owner (O_EXCL alone) left a lock that refused --resume for seconds. Where hard links are not
 * supported, O_EXCL and a write, with the empty-lock grace below.
 */
function createWithOwner(file: string, me: Owner): void {
  const text = `${JSON.stringify(me)}\n`;
  const tmp = `${file}.lithe-tmp-${process.pid}`;
  writeFileSync(tmp, text);
  try {
    linkSync(tmp, file);
    return;
  } catch (e) {
    if (errnoOf(e) === 'EEXIST') throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
  const fd = openSync(file, 'wx');
  try { writeSync(fd, text); } finally { closeSync(fd); }
}

/** A lock file without an owner yet may be one being written this instant (O_EXCL without hard links). */
function youngerThan(file: string, ms: number): boolean {
  try { return Date.now() - statSync(file).mtimeMs < ms; } catch { return false; }
}

function readOwner(file: string): Owner | undefined {
  try {
    const o = JSON.parse(readText(file)) as Owner;
    return typeof o?.pid === 'number' ? o : undefined;
  } catch {
    return undefined; // being written, or torn by a crash: treated as stale after the retry
  }
}
