// Shared by the unknown-* rules: report each word of a parameter that is not in a known list.
import type { StepDraft } from '../../passes/types.ts';
import { unknownMessage } from '../suggest.ts';
import type { Report } from './types.ts';

export function reportUnknown(step: StepDraft, param: string, what: string, known: readonly string[], code: string, report: Report): void {
  const value = step.params[param];
  const words = Array.isArray(value) ? value : value === undefined ? [] : [value];
  words.forEach((w, i) => {
    if (typeof w !== 'string' || known.includes(w)) return;
    const { message, suggestion } = unknownMessage(what, w, known);
    const at = Array.isArray(value) && step.ranges[`${param}.${i}`] ? `${param}.${i}` : param;
    report({ code, message, at, fix: suggestion });
  });
}
