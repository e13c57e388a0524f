// Formatting: `lithe fmt`'s canonical layout as one edit over the whole text (none when it is formatted).
import { format } from '../fmt/format.ts';
import { posAt } from '../lang/range.ts';
import type { Diagnostic, TextEdit } from './types.ts';

export function formatEdits(text: string): { edits: TextEdit[] } | { diagnostics: Diagnostic[] } {
  const r = format(text);
  if (!r.ok) return { diagnostics: r.diagnostics };
  if (r.text === text) return { edits: [] };
  // The smallest edit: the common start and end kept, so the editor's cursor and folds stay where they were.
  let a = 0;
  while (a < text.length && a < r.text.length && text[a] === r.text[a]) a++;
  let b = 0;
  while (b < text.length - a && b < r.text.length - a && text[text.length - 1 - b] === r.text[r.text.length - 1 - b]) b++;
  return { edits: [{ range: { start: posAt(text, a), end: posAt(text, text.length - b) }, text: r.text.slice(a, r.text.length - b) }] };
}
