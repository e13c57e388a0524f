// ajv, loaded when a validator is first compiled rather than when a module that may validate is imported:
// its module costs a compiled `lithe check` some 90 ms of start-up, and there the validators come compiled
// ahead (scripts/build.js). ajv is CommonJS, so it can be loaded synchronously here.
import { createRequire } from 'node:module';
import type { Ajv, Options } from 'ajv';

export function newAjv(options: Options): Ajv {
  const ajv = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  return new ajv.Ajv(options);
}

/** A module compiled ahead by scripts/build.js beside `from` (dist/), or undefined (the sources, through tsx). */
export function compiledAhead<T>(from: string, file: string): T | undefined {
  try {
    return createRequire(from)(file) as T;
  } catch {
    return undefined;
  }
}
