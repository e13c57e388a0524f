// Lint rules, sorted by id. Each looks at one step in the context of the recipe; `lithe check` runs all.
import type { Rule } from './types.ts';
import { rule as acceleratorPrecision } from './accelerator-precision.ts';
import { rule as amountRange } from './amount-range.ts';
import { rule as cannotRun } from './cannot-run.ts';
import { rule as distinctNames } from './distinct-names.ts';
import { rule as exportFormat } from './export-format.ts';
import { rule as exportOverwritesInput } from './export-overwrites-input.ts';
import { rule as exportPath } from './export-path.ts';
import { rule as headOutputKept } from './head-output-kept.ts';
import { rule as modeOptions } from './mode-options.ts';
import { rule as orderAfterQuantize } from './order-after-quantize.ts';
import { rule as quantizeTwice } from './quantize-twice.ts';
import { rule as requiresData } from './requires-data.ts';
import { rule as requiresLabels } from './requires-labels.ts';
import { rule as roundAlignment } from './round-alignment.ts';
import { rule as targetPrecision } from './target-precision.ts';
import { rule as undeclaredScope } from './undeclared-scope.ts';
import { rule as undeclaredTeacher } from './undeclared-teacher.ts';
import { rule as unknownBlock } from './unknown-block.ts';
import { rule as unknownCriterion } from './unknown-criterion.ts';
import { rule as unknownFormat } from './unknown-format.ts';
import { rule as unknownLoss } from './unknown-loss.ts';
import { rule as unknownPrecision } from './unknown-precision.ts';

export const rules: readonly Rule[] = [
  acceleratorPrecision, amountRange, cannotRun, distinctNames, exportFormat, exportOverwritesInput, exportPath, headOutputKept, modeOptions,
  orderAfterQuantize, quantizeTwice, requiresData, requiresLabels, roundAlignment, targetPrecision, undeclaredScope,
  undeclaredTeacher, unknownBlock, unknownCriterion, unknownFormat, unknownLoss, unknownPrecision,
];

const byPass = new Map<string, Rule[]>();
for (const r of rules) for (const p of r.passes) byPass.set(p, [...(byPass.get(p) ?? []), r]);

/** The rules that look at a given pass (the pass's `lint` in DESIGN.md's contract). */
export const rulesFor = (pass: string): readonly Rule[] => byPass.get(pass) ?? [];
