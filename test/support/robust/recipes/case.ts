// How a recipe case is made: files written into the case's own folder, then `lithe check` (or `explain`,
// `fmt`) on one of them, with what the output must say. Every case also checks that the output is bounded
// (at most LIMITS.diagnostics problems, then one CMP0005, per file, besides a "the rest was not read"),
// however large the input.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIMITS } from '../../../../src/lang/limits.ts';
import type { Outcome, RobustCase } from '../types.ts';

export const MB = 1 << 20;

export type Files = Record<string, string | Uint8Array>;

export function write(dir: string, files: Files): void {
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
}

/** Text of `unit` repeated until it is just past `bytes` long (ASCII units). */
export const fill = (unit: string, bytes: number, head = ''): string => head + unit.repeat(Math.ceil((bytes - head.length) / unit.length));

export interface RecipeCaseOptions {
  command?: 'check' | 'explain' | 'fmt';
  /** The file lithe is given (default: the first of `files`). */
  main?: string;
  /** Flags before the file. */
  flags?: string[];
  /** Codes the output must name (`CMP0007`). */
  codes?: string[];
  /** Text the output must hold. */
  says?: RegExp;
  /** Further checks, after the run. */
  verify?: (dir: string, o: Outcome) => string | undefined;
  /** Run as a separate process with a time limit (a FIFO, a device). */
  subprocess?: boolean;
  /** Files made by code instead of written (a FIFO, a link). */
  make?: (dir: string) => void;
}

export function recipeCase(name: string, expect: 'fail' | 'ok', files: Files, opts: RecipeCaseOptions = {}): RobustCase {
  const main = opts.main ?? Object.keys(files)[0]!;
  return {
    kind: 'recipe',
    name,
    expect,
    ...(opts.subprocess ? { subprocess: true } : {}),
    setup(dir) {
      write(dir, files);
      opts.make?.(dir);
      return [opts.command ?? 'check', ...(opts.flags ?? []), join(dir, main)];
    },
    verify(dir, o) {
      const text = `${o.out}\n${o.err}`;
      for (const code of opts.codes ?? []) if (!text.includes(` ${code}: `)) return `no ${code} in the output: ${clip(text)}`;
      if (opts.says && !opts.says.test(text)) return `the output does not say ${opts.says}: ${clip(text)}`;
      // "The rest was not read" (CMP0007, CMP0008) is shown past the cap: one per file.
      const lines = o.out.split('\n').filter((l) => / (error|warning|info) CMP(?!000[78])\d{4}: /.test(l)).length;
      if (lines > LIMITS.diagnostics + 1) return `${lines} problems printed: more than the ${LIMITS.diagnostics} shown and one CMP0005`;
      if (expect === 'ok' && / error CMP\d{4}: /.test(o.out)) return `an error for a valid recipe: ${clip(o.out)}`;
      return opts.verify?.(dir, o);
    },
  };
}

export const clip = (s: string, n = 300): string => {
  const t = s.trim().replace(/\s+/g, ' ');
  return t.length > n ? `${t.slice(0, n)}…` : t;
};
