// The yaml library, loaded on first use rather than with the module that names it: its forty-odd CommonJS
// modules were some 35 ms of every `lithe check`, which reads a .cmp recipe and compiled target profiles.
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let lib: typeof Yaml | undefined;

export const yaml = (): typeof Yaml => (lib ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
