// Whether dist/ holds the code of src/ as it is now: dist/BUILT records when its build began, and no file
// under src/ may be newer. A stale dist/ (src/ edited, a branch checked out) must never run old code.
// The stamp's text, not its mtime, is compared: npm's tarballs give every file the same old mtime.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let t = statSync(dir).mtimeMs;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return t;
}

export function distIsFresh(root) {
  let built;
  try { built = Number(readFileSync(join(root, 'dist', 'BUILT'), 'utf8')); } catch { return false; }
  if (!Number.isFinite(built)) return false;
  try { return newest(join(root, 'src')) <= built; } catch { return true; }  // no src/: dist/ is all there is
}
