// The limits of what lithe reads as a recipe. Each is far beyond any real recipe (the shipped ones are a few
// dozen lines), and each keeps the checker's time and memory proportional to at most about a megabyte of text,
// whatever the input: a limit crossed is a diagnostic with a code and a range, never a crash, a hang or a
// heap abort. They are checked before the text reaches a library that recurses or backtracks (Chevrotain's
// regular expressions, the YAML composer). `grammar/diagnostics.md` lists them, generated from LIMIT_DOCS.
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Range } from './range.ts';

export const LIMITS = {
  /** Bytes of one recipe file (.cmp or YAML), and of each file it `use`s. */
  fileBytes: 1 << 20,
  /** Statements in one file (a YAML recipe: steps, scopes, set keys, teachers and declarations together). */
  statements: 10_000,
  /** Nesting: parentheses in a selector, `except` in a row, YAML collections inside each other. */
  nesting: 32,
  /** Characters in one string, word or number. Paths are at most 4096 bytes on Linux. */
  tokenChars: 4096,
  /** Problems shown per check; the rest are counted (CMP0005). */
  diagnostics: 200,
  /** `use` inside a used file inside a used file ...: levels below the recipe. */
  useDepth: 16,
  /** Distinct files one recipe brings in through `use`, however deep. */
  useFiles: 64,
  /** Characters of a recipe and every file it uses, together. */
  totalChars: 4 << 20,
  /** Scopes defined through other scopes: levels. */
  scopeDepth: 32,
  /** Selectors in one scope once the scopes it names are inlined. */
  scopeSelectors: 10_000,
} as const;

/** Diagnostics a stage keeps before it only counts: enough to sort and show the first `diagnostics`. */
export const KEPT_DIAGNOSTICS = 5 * LIMITS.diagnostics;

/**
 * "The rest of this file was not read" (CMP0007, CMP0008): always kept and shown, past any cap, since the
 * problems before it are not all there is. At most one per file.
 */
export const isPinned = (d: Diagnostic): boolean => d.code === 'CMP0007' || d.code === 'CMP0008';

export interface LimitDoc { limit: string; value: string; code: string }

/** For grammar/diagnostics.md's "Limits" table. */
export const LIMIT_DOCS: readonly LimitDoc[] = [
  { limit: 'size of a recipe file, and of each file it uses', value: `${LIMITS.fileBytes} bytes (1 MiB)`, code: 'CMP0007' },
  { limit: 'statements in one file', value: `${LIMITS.statements}`, code: 'CMP0008' },
  { limit: 'characters in one string, word or number', value: `${LIMITS.tokenChars}`, code: 'CMP0009' },
  { limit: 'parentheses nested in a selector; `except` in a row; YAML collections nested', value: `${LIMITS.nesting} levels`, code: 'CMP0006' },
  { limit: 'problems shown per check (the rest are counted)', value: `${LIMITS.diagnostics}`, code: 'CMP0005' },
  { limit: '`use` levels below the recipe', value: `${LIMITS.useDepth}`, code: 'CMP3011' },
  { limit: 'files brought in by `use`', value: `${LIMITS.useFiles}`, code: 'CMP3011' },
  { limit: 'characters of a recipe and the files it uses, together', value: `${LIMITS.totalChars} (4 Mi)`, code: 'CMP3011' },
  { limit: 'scopes defined through other scopes', value: `${LIMITS.scopeDepth} levels`, code: 'CMP3010' },
  { limit: 'selectors in one scope once inlined', value: `${LIMITS.scopeSelectors}`, code: 'CMP3010' },
];

const ZERO: Range = { start: { line: 1, col: 1, offset: 0 }, end: { line: 1, col: 1, offset: 0 } };

/**
 * CMP0007 when `text` is larger than a recipe may be, counted in UTF-8 bytes as on disk. A file over the
 * limit is read only up to just past it (src/cli/read.ts), so the message says "more than", not its size.
 */
export function sizeDiagnostic(text: string): Diagnostic | undefined {
  if (text.length <= LIMITS.fileBytes / 3 || Buffer.byteLength(text, 'utf8') <= LIMITS.fileBytes) return undefined;
  return {
    code: 'CMP0007', severity: 'error', range: ZERO,
    message: `the file is larger than ${LIMITS.fileBytes} bytes (1 MiB), the most lithe reads as a recipe; nothing in it was checked`,
  };
}

/** CMP0009 for a string, word or number longer than LIMITS.tokenChars. */
export function tokenDiagnostic(what: string, length: number, range: Range): Diagnostic {
  return { code: 'CMP0009', severity: 'error', range, message: `${what} of ${length} characters: more than the ${LIMITS.tokenChars} lithe reads` };
}

/** CMP0008 at the first statement past the limit. */
export function statementsDiagnostic(range: Range): Diagnostic {
  return { code: 'CMP0008', severity: 'error', range, message: `more than ${LIMITS.statements} statements in one file; the rest is not read` };
}
