// Code actions: a quick fix for every diagnostic that carries one (a did-you-mean, `int8` → `fp16` on a
// target without a fast int8 path, a `round` snapped to the target's channel alignment, an export format).
import type { CodeAction, Diagnostic, Range } from './types.ts';

const touches = (a: Range, b: Range): boolean => a.start.offset <= b.end.offset && b.start.offset <= a.end.offset;

export function codeActions(diagnostics: readonly Diagnostic[], range: Range): CodeAction[] {
  return diagnostics
    .filter((d) => d.fix && !d.file && touches(d.range, range))
    .map((d) => ({
      title: `Change to '${d.fix!.text}' (${d.code})`,
      code: d.code,
      diagnosticRange: d.range,
      edit: { range: d.fix!.range, text: d.fix!.text },
      preferred: true,
    }));
}
