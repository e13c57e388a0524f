// onnx.checker (Debian's python3-onnx) over many model files in one Python process, for the scripts and
// tests that hold lithe's written models to ONNX's own checker: scripts/onnx-check.py does the checking.
// lithe itself never runs Python.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PYTHON = '/usr/bin/python3';
const SCRIPT = new URL('./onnx-check.py', import.meta.url).pathname;

export interface Verdict { status: 'ok' | 'fail' | 'skipped'; message: string }

/** Why the checker cannot run here (no python3-onnx: `apt-get install -y python3-onnx`), or undefined. */
export function checkerMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import onnx; print(onnx.__version__)'], { encoding: 'utf8' });
  if (r.status === 0) return undefined;
  return `${PYTHON} cannot import onnx (${(r.stderr || String(r.error ?? '')).trim().split('\n').at(-1)}): apt-get install -y python3-onnx`;
}

/** The checker's verdict on each file, by path. */
export function checkModels(paths: readonly string[]): Map<string, Verdict> {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-onnx-check-'));
  try {
    const list = join(dir, 'models.txt');
    writeFileSync(list, paths.map((p) => `${p}\n`).join(''));
    const r = spawnSync(PYTHON, [SCRIPT, list], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
    if (r.status !== 0) throw new Error(`onnx-check.py failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    const out = new Map<string, Verdict>();
    for (const line of r.stdout.split('\n').filter(Boolean)) {
      const { path, status, message } = JSON.parse(line) as Verdict & { path: string };
      out.set(path, { status, message });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
