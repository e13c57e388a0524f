// lithe fmt [--check] FILE...: rewrites files in the canonical layout, or with --check only lists the files
// that would change. A file with syntax errors, or one that is not UTF-8, is refused and left untouched. The
// file keeps what it is besides its text: a symlink stays a link (its target is formatted), the mode stays
// (0600, 0755), a hard-linked file keeps its identity, a byte-order mark stays.
import { accessSync, closeSync, constants, fsyncSync, ftruncateSync, openSync, realpathSync, statSync, writeSync } from 'node:fs';
import { format } from '../../fmt/format.ts';
import { line } from '../../diagnostics/render.ts';
import { EXIT, UsageError, type Io } from '../io.ts';
import { isYamlPath } from '../../plan/sources.ts';
import { LIMITS } from '../../lang/limits.ts';
import { readRegular, writeAtomic } from '../../util/files.ts';
import { decodeUtf8 } from '../../util/utf8.ts';
import { fsError, printable } from '../../errors.ts';

export function runFmt(files: string[], flags: { check: boolean }, io: Io): number {
  if (!files.length) throw new UsageError('fmt needs at least one FILE');
  let status: number = EXIT.ok;
  for (const path of files) {
    if (isYamlPath(path)) throw new UsageError(`${printable(path)}: fmt formats .cmp recipes; YAML is left to YAML tools`);
    const bytes = readRegular(path, { what: 'a recipe', max: LIMITS.fileBytes, cut: true });
    // Over the size limit, format() refuses with CMP0007 below; under it, bytes that are not UTF-8 are refused
    // here rather than decoded as U+FFFD and written back.
    const decoded = bytes.length > LIMITS.fileBytes ? { ok: true as const, text: bytes.toString('utf8') } : decodeUtf8(bytes);
    if (!decoded.ok) {
      const hex = decoded.byte.toString(16).padStart(2, '0');
      io.err(`${printable(path)}:${decoded.line}:${decoded.col}: not UTF-8 text (byte 0x${hex} at offset ${decoded.offset}); not formatted, left as it is\n`);
      status = EXIT.problems;
      continue;
    }
    const text = decoded.text;
    const r = format(text);
    if (!r.ok) {
      for (const d of r.diagnostics) io.out(`${line(d, path)}\n`);
      io.err(`${printable(path)}: not formatted: fix the problems above first\n`);
      status = EXIT.problems;
      continue;
    }
    if (r.text === text) continue;
    if (flags.check) {
      io.out(`${path}: not formatted\n`);
      status = EXIT.problems;
    } else {
      writeFormatted(path, r.text);
      io.out(`${path}: formatted\n`);
    }
  }
  return status;
}

/**
 * Writes the formatted text into the file `path` names. Through a symlink, the target is written and the link
 * left as it is. A file with one name is replaced atomically (temporary + rename) with its mode; a file with
 * several names (hard links) is written in place instead: a rename would give this name a new file and leave
 * the other names with the old text, which is not what formatting "the file" means. The cost is atomicity:
 * a crash in the middle of the write can leave the file cut short. The text is at most 1 MiB, written in
 * one call and flushed at once, so the window is small; the user asked for this file to be rewritten.
 */
function writeFormatted(path: string, text: string): void {
  let real: string;
  let st: ReturnType<typeof statSync>;
  try {
    real = realpathSync(path);
    st = statSync(real);
    // A rename needs only the folder's permission; a file its owner made read-only is not rewritten.
    accessSync(real, constants.W_OK);
  } catch (e) {
    throw fsError(e, path, 'write');
  }
  if (st.nlink <= 1) return writeAtomic(real, text, { mode: st.mode & 0o7777 });
  const data = Buffer.from(text, 'utf8');
  let fd: number | undefined;
  try {
    fd = openSync(real, 'r+');
    for (let done = 0; done < data.length;) done += writeSync(fd, data, done, data.length - done, done);
    ftruncateSync(fd, data.length);
    fsyncSync(fd);
  } catch (e) {
    throw fsError(e, path, 'write');
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
