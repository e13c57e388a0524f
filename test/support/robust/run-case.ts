// Runs one reliability case and judges it: in this process through the CLI's main() (fast), or as a
// `lithe` process with a time limit for cases that could hang or need a process of their own.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../../src/cli/main.ts';
import type { Outcome, RobustCase, Verdict } from './types.ts';

const LITHE = fileURLToPath(new URL('../../../bin/lithe.js', import.meta.url));

/** Signs of a failure lithe did not name: its own "internal error", a stack frame, a class name as prefix. */
const INTERNAL = /internal error|^\s+at .+[:(]\d+:\d+\)?$|^(lithe[^:]*: )?\w*(Error|Exception)\b: |Maximum call stack|heap out of memory|Aborted/m;

export function judge(c: RobustCase, o: Outcome | 'hang', dir: string): { verdict: Verdict; why?: string } {
  if (o === 'hang') return { verdict: 'hang' };
  if (INTERNAL.test(o.err) || INTERNAL.test(o.out) || ![0, 1, 2].includes(o.code)) return { verdict: 'internal', why: (o.err || o.out).trim().split('\n').slice(0, 3).join(' | ') };
  const wrong = c.verify?.(dir, o);
  if (wrong) return { verdict: 'wrong', why: wrong };
  if (c.expect === 'fail') return o.code === 0 ? { verdict: 'wrong', why: 'exit 0' } : { verdict: 'named' };
  return o.code === 0 ? { verdict: 'ok' } : { verdict: 'wrong', why: `exit ${o.code}: ${o.err.trim().split('\n')[0]}` };
}

export async function inProcess(args: string[]): Promise<Outcome> {
  let out = '';
  let err = '';
  let code: number;
  try {
    code = await main(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  } catch (e) {
    err += `escaped: ${(e as Error)?.stack ?? String(e)}\n`;
    code = 99;
  }
  return { code, out, err };
}

export function asProcess(args: string[], timeoutMs: number, cwd?: string): Outcome | 'hang' {
  const r = spawnSync(process.execPath, [LITHE, ...args], { cwd, timeout: timeoutMs, encoding: 'utf8', killSignal: 'SIGKILL', maxBuffer: 1 << 24 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return 'hang';
  if (r.signal === 'SIGKILL') return 'hang';
  return { code: r.status ?? 128, out: r.stdout ?? '', err: r.stderr ?? '' };
}

/** asProcess without blocking this process's event loop, so that several cases can run at once. */
export function asProcessAsync(args: string[], timeoutMs: number, cwd?: string): Promise<Outcome | 'hang'> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [LITHE, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const text = { out: '', err: '' };
    child.stdout.setEncoding('utf8').on('data', (d: string) => { if (text.out.length < 1 << 24) text.out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { if (text.err.length < 1 << 24) text.err += d; });
    let hung = false;
    const timer = setTimeout(() => { hung = true; child.kill('SIGKILL'); }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(hung ? 'hang' : { code: code ?? 128, ...text });
    });
  });
}

/** Sets up and runs a case in a fresh folder of its own; `timeoutMs` bounds subprocess cases. */
export async function runCase(c: RobustCase, timeoutMs = 60_000): Promise<{ verdict: Verdict; why?: string; dir: string; outcome: Outcome | 'hang' }> {
  const dir = mkdtempSync(join(tmpdir(), `lithe-robust-${c.kind}-`));
  const args = await c.setup(dir);
  const outcome = c.subprocess ? await asProcessAsync(args, timeoutMs, dir) : await inProcess(args);
  return { ...judge(c, outcome, dir), dir, outcome };
}

export interface Result { c: RobustCase; verdict: Verdict; why?: string; seconds: number }

/**
 * Runs cases in child processes (`child.ts`), each case in-process there, with a watchdog: a case that takes
 * longer than `timeoutMs` is a hang, its process is killed and a new one goes on with the next case. This is
 * how cases that could block (a FIFO, /dev/zero) run without risking the caller.
 */
export async function runIsolated(cases: RobustCase[], opts: { timeoutMs?: number; onResult?: (r: Result) => void } = {}): Promise<Result[]> {
  const { spawn } = await import('node:child_process');
  const child = fileURLToPath(new URL('./child.ts', import.meta.url));
  const results: Result[] = [];
  let next = 0;
  while (next < cases.length) {
    const ids = cases.slice(next).map((c) => `${c.kind}/${c.name}`);
    const p = spawn(process.execPath, ['--import', 'tsx', child], { stdio: ['pipe', 'pipe', 'inherit'] });
    p.stdin.end(JSON.stringify(ids));
    let buffer = '';
    let timer: NodeJS.Timeout | undefined;
    let started = performance.now();
    const arm = () => { clearTimeout(timer); timer = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 60_000); started = performance.now(); };
    await new Promise<void>((resolve) => {
      p.stdout.on('data', (d: Buffer) => {
        buffer += d.toString('utf8');
        for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (line === '@@ready') { arm(); continue; }
          if (!line.startsWith('@@result ')) continue;
          const r = JSON.parse(line.slice(9)) as { verdict: Verdict; why?: string; seconds: number };
          const res = { c: cases[next++]!, ...r };
          results.push(res);
          opts.onResult?.(res);
          arm();
        }
      });
      p.on('exit', () => { clearTimeout(timer); resolve(); });
    });
    if (next < cases.length && results.length < cases.length) {
      // the process died or was killed inside case `next`: that case hung (or crashed the process)
      const res: Result = { c: cases[next]!, verdict: 'hang', why: `no result within ${(opts.timeoutMs ?? 60_000) / 1000} s`, seconds: (performance.now() - started) / 1000 };
      results.push(res);
      opts.onResult?.(res);
      next++;
    }
  }
  return results;
}
