// Small edits the rules share: attributes read and dropped, attribute values turned into constant inputs.
import type { NodeProto } from 'onnx-buf';
import { Attrs } from '../attrs.ts';
import { attr, DataType, tensor, type AttrValue } from '../make.ts';
import { toHalfBits } from '../half.ts';
import { dtypeName } from '../dtypes.ts';
import type { UpgradeContext } from './types.ts';

export const attrs = (n: NodeProto): Attrs => new Attrs(n);

/** Removes the named attributes from `n`. */
export function drop(n: NodeProto, ...names: string[]): void {
  n.attribute = n.attribute.filter((a) => !names.includes(a.name));
}

/** Sets (or replaces) one attribute. */
export function set(n: NodeProto, name: string, value: AttrValue): void {
  drop(n, name);
  n.attribute.push(attr(name, value));
}

/** A 1-D INT64 initializer holding `values`, named after the node and `what`. */
export const int64s = (ctx: UpgradeContext, n: NodeProto, what: string, values: readonly number[]): string =>
  ctx.add(`${n.name || n.output[0]}_${what}`, (name) => tensor(name, [values.length], BigInt64Array.from(values, BigInt)));

/** Scalar constants of the floating types the old definitions of Clip and Pad take. */
const SCALARS: Partial<Record<number, (v: number) => Float32Array | Float64Array | Uint16Array>> = {
  [DataType.FLOAT]: (v) => Float32Array.of(v),
  [DataType.DOUBLE]: (v) => Float64Array.of(v),
  [DataType.FLOAT16]: (v) => Uint16Array.of(toHalfBits(v)),
};

/** A scalar initializer of `value` in the element type of the node's input `of` (Clip's bounds, Pad's value
 *  must have X's type). */
export function scalarLike(ctx: UpgradeContext, n: NodeProto, what: string, of: string, value: number): string {
  const elem = ctx.type(of)?.elem;
  if (elem === undefined) ctx.fail(`the element type of '${of}' is unknown, and its ${what} must become a constant of that type`);
  const make = SCALARS[elem];
  if (!make) ctx.fail(`its input '${of}' is ${dtypeName(elem)}; the old definition takes float, double or float16 only`);
  return ctx.add(`${n.name || n.output[0]}_${what}`, (name) => tensor(name, [], make(value), elem));
}

/** An upgrade for opset 13's ops whose int list `name` moved from an attribute to the second input (an absent
 *  attribute stays absent: the op's default, as before). */
export const attributeToInput = (name: string) => (n: NodeProto, ctx: UpgradeContext): NodeProto[] | undefined => {
  if (!ctx.crosses(13)) return undefined;
  const values = attrs(n).ints(name);
  if (values) n.input = [n.input[0]!, int64s(ctx, n, name, values)];
  drop(n, name);
  return [n];
};
