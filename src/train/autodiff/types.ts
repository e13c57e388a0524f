// The contract of a gradient rule: from a forward node and the gradients of its outputs, the gradients of its
// inputs, emitted as standard ONNX ops (onnxruntime-node has no training kernels). Shapes are static: a
// training graph is built for one batch size.
import type { NodeProto } from 'onnx-buf';
import type { Attrs } from '../../onnx/attrs.ts';
import type { Emitter } from './emit.ts';
import { LitheError } from '../../errors.ts';

/** How to differentiate convolutions: `auto` picks the faster form per layer (see conv/choose.ts). */
export interface GradOptions {
  dx?: 'auto' | 'transpose' | 'flip';
  dw?: 'auto' | 'trick' | 'im2col' | 'gemm';
}

export interface GradContext {
  node: NodeProto;
  attrs: Attrs;
  emit: Emitter;
  options: GradOptions;
  /** The static shape of a value. */
  shape(value: string): number[];
  /** The values of a constant (an initializer that is not trained), or undefined. */
  constant(value: string): number[] | undefined;
  /** The gradient of output `k`; undefined when none flows into it (it is zero). */
  dy(k?: number): string | undefined;
  /** Whether input `i` needs a gradient. */
  wants(i: number): boolean;
}

export interface GradRule {
  op: string;
  /** Input slots that hold learned weights when they are initializers (Conv's W and B, BN's scale and bias). */
  params?: readonly number[];
  /** The gradient of each input (undefined where none is wanted or none exists). */
  grad(ctx: GradContext): (string | undefined)[];
}

export class AutodiffError extends LitheError {
  override name = 'AutodiffError';
}
