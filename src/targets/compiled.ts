// Target profiles parsed and validated ahead by `npm run build` (scripts/build.js): dist/targets/compiled/
// NAME.json holds the profile with the size and modification time of its YAML and of the schema it was
// checked against. It is used only while both files still have them, so an edited profile or schema is read
// and checked again; from src/ (tsx) there is none. This spares `lithe check` the yaml library and the
// validator, about a tenth of its start.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Target } from './target.js';

/** What identifies a file's content for the cache: size and mtime, as make and tsc's incremental builds do. */
export type Stamp = [size: number, mtimeMs: number];

export interface CompiledProfile { yaml: Stamp; schema: Stamp; target: Target }

export function stampOf(file: string): Stamp | undefined {
  try {
    const st = statSync(file);
    return [st.size, st.mtimeMs];
  } catch {
    return undefined;
  }
}

const same = (a: Stamp | undefined, b: Stamp): boolean => a !== undefined && a[0] === b[0] && a[1] === b[1];

/** The profile `name` in `dir` as compiled ahead, or undefined when there is none or its sources changed. */
export function compiledProfile(dir: string, name: string, schemaFile: string, compiled: URL = new URL('./compiled/', import.meta.url)): Target | undefined {
  let c: CompiledProfile;
  try {
    c = JSON.parse(readFileSync(new URL(`${name}.json`, compiled), 'utf8')) as CompiledProfile;
  } catch {
    return undefined;
  }
  return same(stampOf(join(dir, `${name}.yaml`)), c.yaml) && same(stampOf(join(dir, schemaFile)), c.schema) ? c.target : undefined;
}
