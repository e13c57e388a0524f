// Golden folders: test/golden/<case>/input.cmp (or input.yaml) → diagnostics.txt (drawn with carets),
// plan.json (when there is no error) and formatted.cmp (what `lithe fmt` makes of a .cmp input, when it
// formats it). `UPDATE_GOLDEN=1 npm test` rewrites the expected files; review the diff before committing.
import { existsSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../../src/plan/build.ts';
import { withCarets } from '../../src/diagnostics/render.ts';
import { format } from '../../src/fmt/format.ts';

export const GOLDEN = 'test/golden';
export const updating = process.env.UPDATE_GOLDEN === '1';

export const goldenCases = (): string[] => readdirSync(GOLDEN).filter((d) => !d.startsWith('.')).sort();

export function inputOf(dir: string): string {
  return existsSync(join(dir, 'input.cmp')) ? join(dir, 'input.cmp') : join(dir, 'input.yaml');
}

/** What the checker and formatter produce for a case, as the texts of the expected files. */
export function produce(input: string): Record<string, string | undefined> {
  const text = readFileSync(input, 'utf8');
  const { plan, diagnostics } = checkText(input, text);
  const fmt = input.endsWith('.cmp') ? format(text) : undefined;
  return {
    'diagnostics.txt': diagnostics.length ? `${diagnostics.map((d) => withCarets(d, text)).join('\n\n')}\n` : 'no diagnostics\n',
    'plan.json': plan ? `${JSON.stringify(plan, null, 2)}\n` : undefined,
    'formatted.cmp': fmt?.ok ? fmt.text : undefined,
  };
}

export function expected(dir: string, name: string): string | undefined {
  const p = join(dir, name);
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}

export function write(dir: string, name: string, text: string | undefined): void {
  const p = join(dir, name);
  if (text === undefined) rmSync(p, { force: true });
  else writeFileSync(p, text);
}

/** A plan without source positions, for comparing a .cmp plan with its YAML twin's. */
export function stripPositions(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripPositions);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'range' && k !== 'source').map(([k, x]) => [k, stripPositions(x)]));
  }
  return v;
}
