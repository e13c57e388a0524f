// Shape inference types. A dimension is a number, or a name for a symbolic one (the batch `N`); a shape of
// `undefined` means the rank is unknown.
import type { NodeProto } from 'onnx-buf';
import type { Attrs } from '../attrs.ts';
import { LitheError } from '../../errors.ts';

export type Dim = number | string;
export interface ValueType { elem: number; shape?: Dim[] }

export interface ShapeContext {
  node: NodeProto;
  attrs: Attrs;
  /** The types of the node's inputs (undefined for an absent optional input or an unknown value). */
  inputs: (ValueType | undefined)[];
  /** The values of input `i` when it is a constant (an initializer or a Constant node), as numbers. */
  constant(i: number): number[] | undefined;
  opset: number;
}

/** One op's rule: the types of its outputs from the types (and constant values) of its inputs. */
export interface ShapeRule {
  op: string;
  infer(ctx: ShapeContext): (ValueType | undefined)[];
}

export class ShapeError extends LitheError {
  override name = 'ShapeError';
}
