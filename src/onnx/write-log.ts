// LITHE_WRITE_LOG=FILE: every model file lithe writes (saveModel, a run folder's models, exports) is noted
// in FILE, one path a line, so that a checker can go over them afterwards (scripts/check-written.ts holds them
// to onnx.checker). With LITHE_WRITE_KEEP=DIR each is also kept in DIR — a hard link, a copy across file
// systems — and that path is logged, so a test that removes its folder leaves the model to be checked. Unset
// in normal use; when set, a log that cannot be written fails loudly, since a silent gap would let the check
// pass on less than it claims.
import { appendFileSync, copyFileSync, linkSync } from 'node:fs';
import { basename, join } from 'node:path';

let kept = 0;

export function noteWritten(path: string): void {
  const log = process.env.LITHE_WRITE_LOG;
  if (!log) return;
  const keep = process.env.LITHE_WRITE_KEEP;
  let noted = path;
  if (keep) {
    noted = join(keep, `${process.pid}-${++kept}-${basename(path)}`);
    try { linkSync(path, noted); } catch { copyFileSync(path, noted); }
  }
  appendFileSync(log, `${noted}\n`);
}
