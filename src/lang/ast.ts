// The recipe AST: what the CST visitor produces from .cmp text and the YAML reader produces from YAML.
// Every node carries its source range so diagnostics point at the exact words.
import type { Range } from './range.ts';

export interface Spanned<T = string> { value: T; range: Range }

export type Literal =
  | { kind: 'number'; value: number; text: string; range: Range }
  | { kind: 'percent'; value: number; text: string; range: Range } // 70% → 0.7
  | { kind: 'factor'; value: number; text: string; range: Range } // 3x → 3
  | { kind: 'millis'; value: number; text: string; range: Range } // 12ms → 12
  | { kind: 'fraction'; value: number; text: string; range: Range } // 1/16 → 0.0625
  | { kind: 'size'; value: [number, number]; text: string; range: Range } // 320x256
  | { kind: 'string'; value: string; text: string; range: Range }
  | { kind: 'word'; value: string; text: string; range: Range }
  // `[123.7, 116.3, 103.5]`: numbers in brackets (`mean`, `std`, `anchors`); `items` keep their ranges
  | { kind: 'list'; value: number[]; items: Literal[]; text: string; range: Range };

export type Selector =
  | { kind: 'glob'; pattern: string; range: Range }
  | { kind: 'op'; name: Spanned; range: Range }
  | { kind: 'scope'; name: Spanned; range: Range }
  | { kind: 'except'; base: Selector; minus: Selector; range: Range }
  | { kind: 'union'; items: Selector[]; range: Range };

/** `round 8`, `global`, `keep "x*"`, `step 1/16 until map drop 0.5%`: a name and what follows it. */
export interface OptionNode {
  name: Spanned;
  args: Literal[];
  selector?: Selector;
  range: Range;
}

/** A step's verb: the name of a pass in the registry (src/passes/registry.ts). */
export type Verb = string;

/** The words between a step's verb and its options, by role; which ones a verb has is its grammar. */
export interface StepHead {
  scope?: Spanned;
  criteria?: Spanned[];
  /** `flops` or `params` in `prune ... flops 50%`. */
  goal?: Spanned;
  amount?: Literal;
  from?: Spanned;
  losses?: Spanned[];
  precision?: Spanned;
  block?: Spanned;
  format?: Spanned;
  path?: Spanned;
}

export interface StepNode {
  kind: 'step';
  verb: Spanned<Verb>;
  head: StepHead;
  options: OptionNode[];
  range: Range;
  /** The parser had to recover inside this statement: report nothing more about it. */
  recovered?: boolean;
}

export type Statement =
  | { kind: 'model'; source: Spanned; zoo: boolean; range: Range; recovered?: boolean }
  | { kind: 'teacher'; source: Spanned; zoo: boolean; name?: Spanned; range: Range; recovered?: boolean }
  | { kind: 'data'; format: Spanned; path?: Spanned; options: OptionNode[]; range: Range; recovered?: boolean }
  | { kind: 'target'; name: Spanned; range: Range; recovered?: boolean }
  | { kind: 'input'; size: Literal; range: Range; recovered?: boolean }
  | { kind: 'head'; head: Spanned; options: OptionNode[]; range: Range; recovered?: boolean }
  | { kind: 'use'; path?: Spanned; stdlib?: Spanned; range: Range; recovered?: boolean }
  | { kind: 'scope'; name: Spanned; selector: Selector; range: Range; recovered?: boolean }
  | { kind: 'set'; key: Spanned; value: Literal; range: Range; recovered?: boolean }
  | { kind: 'unknown'; word: Spanned; range: Range; recovered?: boolean }
  | StepNode;

export interface Recipe {
  statements: Statement[];
}
