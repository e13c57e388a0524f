// The lint-rule contract: `(step, ctx, report)`. A rule looks at one step with what came before it.
import type { StepDraft } from '../../passes/types.ts';
import type { Target } from '../../targets/target.ts';
import type { Severity } from '../../diagnostics/diagnostic.ts';
import type { Range } from '../../lang/range.ts';
import type { InputGuard } from '../../util/guard.ts';

export interface RuleContext {
  target?: Target;
  hasData: boolean;
  /** The data has boxes (every format but `images`). */
  labelled: boolean;
  /** The data's format, for messages. */
  dataFormat?: string;
  /** The recipe says `head none`: nothing decodes the model's outputs. */
  headNone: boolean;
  teachers: ReadonlySet<string>;
  /** Every scope name a step may use: built-ins and declared ones. */
  scopes: ReadonlySet<string>;
  /** The first quantize step before this one, if any (kept incrementally: recipes can be long). */
  quantized?: StepDraft;
  /** The files the run reads (model, teachers, data, recipe, used files): an export must not overwrite them. */
  inputs?: InputGuard;
}

export interface Finding {
  code: string;
  message: string;
  /** The parameter the finding is about; its source range is used (the whole step when absent). */
  at?: string;
  /** Overrides the code's usual severity. */
  severity?: Severity;
  /** A range to point at instead of the parameter's (a scope named inside a selector). */
  range?: Range;
  /** Text that would fix it, replacing the `at` range (or `fixAt`'s: `round@value`, the option's argument). */
  fix?: string;
  fixAt?: string;
  /** Other places the finding is about (the step it conflicts with), shown by editors as related information. */
  related?: { message: string; range: Range }[];
}

export type Report = (f: Finding) => void;

export interface Rule {
  id: string;
  summary: string;
  /** The passes the rule looks at. */
  passes: readonly string[];
  /** Looks only at a step with no error (after its schema check): what it says needs a well-formed step. */
  wellFormed?: boolean;
  check(step: StepDraft, ctx: RuleContext, report: Report): void;
}
