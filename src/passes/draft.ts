// Small helpers the passes share to fill a StepDraft from a statement's head.
import type { Spanned } from '../lang/ast.ts';
import type { Range } from '../lang/range.ts';
import { spanRanges } from '../lang/range.ts';
import type { StepDraft } from './types.ts';

/**
 * A draft whose records have no prototype: YAML steps key them by the user's words, and a `__proto__` or
 * `constructor` key must be an ordinary (unknown) option, not the object's prototype.
 */
export function emptyDraft(pass: string, range: Range): StepDraft {
  return { pass, params: Object.create(null), range, ranges: Object.create(null), defaults: Object.create(null), selectors: Object.create(null) };
}

export function put(draft: StepDraft, param: string, value: unknown, range: Range): void {
  draft.params[param] = value;
  draft.ranges[param] = range;
}

export function putWord(draft: StepDraft, param: string, word: Spanned | undefined): void {
  if (word) put(draft, param, word.value, word.range);
}

/** `cls+feat+attn` → ["cls", "feat", "attn"], with one range per name (`param.0`, `param.1`, ...). */
export function putWords(draft: StepDraft, param: string, words: Spanned[] | undefined): void {
  if (!words?.length) return;
  put(draft, param, words.map((w) => w.value), spanRanges(words[0]!.range, words[words.length - 1]!.range));
  words.forEach((w, i) => { draft.ranges[`${param}.${i}`] = w.range; });
}
