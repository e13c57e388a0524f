// Pieces several rules share: undoing broadcasting, and elementwise masks.
import type { GradContext } from './types.ts';

/** A gradient of shape `from` summed back to the shape `to` that was broadcast to it (numpy rules). */
export function unbroadcast(ctx: GradContext, grad: string, from: readonly number[], to: readonly number[]): string {
  const lead = from.length - to.length;
  const axes = from.map((_, k) => k).filter((k) => k < lead || (to[k - lead] === 1 && from[k] !== 1));
  if (!axes.length && !lead) return grad;
  const e = ctx.emit;
  const summed = axes.length ? e.op1('ReduceSum', [grad, e.ints(axes)], { keepdims: 1 }) : grad;
  return e.op1('Reshape', [summed, e.ints([...to])]);
}

/** `dy` where `cond` holds, else 0. */
export function where(ctx: GradContext, cond: string, dy: string): string {
  return ctx.emit.op1('Where', [cond, dy, ctx.emit.scalar(0)]);
}

/** The product of a shape's dimensions. */
export const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Reshapes a gradient to a value's shape (for ops that only move elements around). */
export function reshapeTo(ctx: GradContext, dy: string, value: string): string {
  return ctx.emit.op1('Reshape', [dy, ctx.emit.ints(ctx.shape(value))]);
}
