// The pass contract: metadata first (what the language, checker, completion and hover read), then the
// pieces that turn a statement into parameters, then `run`. A pass without `run` (or whose `cannotRun` objects)
// stops `lithe run` before its first step with a message saying so.
import type { Selector, StepNode } from '../lang/ast.ts';
import type { Range } from '../lang/range.ts';
import type { ArgKind } from '../plan/args.ts';
import type { PassRun } from '../run/types.ts';

export type Params = Record<string, unknown>;
/** A JSON Schema object (draft-07), as ajv reads it. */
export type JsonSchema = Record<string, unknown>;

/** A step on its way into the plan: parameters plus the source range of each (for diagnostics). */
export interface StepDraft {
  pass: string;
  params: Params;
  range: Range;
  /** Where each parameter came from in the source, by parameter name. */
  ranges: Record<string, Range>;
  /** Parameters filled in from `set`, the target or the pass's own default, and from where. */
  defaults: Record<string, string>;
  /** The source form of selector-valued parameters (`keep`), for diagnostics about the scopes they name. */
  selectors: Record<string, Selector>;
}

/** One option word of a step (`round 8`): how its arguments read and which parameter it sets. */
export interface OptionSpec {
  name: string;
  summary: string;
  arg: ArgKind;
  /** The parameter it sets; defaults to the option's name with `-` turned into `_`. */
  param?: string;
  /** A flag option sets this value instead of `true` (e.g. `qat` sets `mode: "qat"`). */
  value?: unknown;
  /** `append`: each use adds to a list (`eval map latency`); `merge`: objects merge (`weight a 1 weight b 2`). */
  combine?: 'append' | 'merge';
}

/** A parameter filled in when the recipe does not give it: from a `set` key, the target, or a constant;
 * `when` limits it to steps it applies to (an epochs default only for qat). */
export type DefaultSource = { when?: (params: Params) => boolean } & (
  | { param: string; set: string }
  | { param: string; target: 'round' | 'calib' | 'precision' }
  | { param: string; data: 'calib' }
  | { param: string; value: unknown }
  | { param: string; computed: (facts: { hasData: boolean; hasLabels: boolean }) => unknown; why: string });

/**
 * What a step needs besides the model, and why (said to the user), at which parameter: `data` (images),
 * `labels` (boxes from a labelled data set, so not `data images`), `head` (a head lithe can decode, so not
 * `head none`). The checker reports a missing need (CMP4001, CMP4011) before any run starts.
 */
export interface Need { what: 'data' | 'labels' | 'head'; why: string; at?: string }

/** A word a head part accepts, with the line completion and hover show for it. */
export interface Word { name: string; summary: string }

/** The roles of a step's head, as the AST's StepHead names them. */
export type HeadRole = 'scope' | 'criteria' | 'amount' | 'from' | 'losses' | 'precision' | 'block' | 'format' | 'path';

/**
 * One part of a step's head, in order after the verb: a fixed word (`from`, `with`), or a role. `list`: names
 * joined by `+`; `words`: what the role accepts, from the pass's own registry (scopes and teachers come from
 * the recipe). Completion and hover walk these parts.
 */
export type HeadPart = { word: string } | { role: HeadRole; list?: boolean; optional?: boolean; words?: () => readonly Word[] };

export interface PassDef {
  name: StepNode['verb']['value'];
  summary: string;
  /** A paragraph for hover and `lithe explain --help`. */
  docs: string;
  /** The statement's syntax, as shown in docs and completion. */
  syntax: string;
  /** The head after the verb, part by part (the syntax above, as data). */
  head: readonly HeadPart[];
  /** The JSON Schema of this pass's parameters; assembled into plan.schema.json. */
  params: JsonSchema;
  options: OptionSpec[];
  defaults: DefaultSource[];
  /** The head of the statement (scope, criterion, amount, ...) → parameters. Options are read generically. */
  fromHead(step: StepNode, draft: StepDraft): void;
  /** YAML shorthand → canonical parameters (e.g. `criterion: entropy` → `["entropy"]`). */
  normalize?(params: Params): Params;
  /** Executes a step (lithe run); absent while the pass cannot execute. Implementations load lazily, so the
   * language server and the checker never load onnxruntime. */
  run?: PassRun;
  /** Why a step with these parameters cannot execute in this version (checked before a run starts: a
   *  CMP4012 warning at `lithe check`, a refusal by `lithe run`). */
  cannotRun?(params: Params): string | undefined;
  /** What a step with these parameters needs (parameters not yet schema-checked: look only at well-formed ones). */
  needs?(params: Params): Need[];
  /** Parameters that are paths: resolved from the recipe's folder, as `use` is. */
  paths?: readonly string[];
}
