// A diagnostic: what `lithe check`, the REPL and the language server all report.
import type { Range } from '../lang/range.ts';

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  /** The file the range is in, when it is not the file being checked (a `use`d file). */
  file?: string;
  /** A replacement the editor can offer ("did you mean"). */
  fix?: { range: Range; text: string };
  /** Other places the message is about (the first declaration of a duplicate); `file` as above. */
  related?: { message: string; range: Range; file?: string }[];
}

export const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === 'error');
