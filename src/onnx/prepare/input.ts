// The image input's size, fixed from the recipe's `input` (or --size): a symbolic height or width takes the
// size given; a fixed size that differs is changed only where the graph does not depend on it (shapes follow
// through every node and every Reshape keeps its element count), else it is a named error. The batch stays as
// the model declares it: evaluation, calibration and pruning criteria feed batches of images, training its
// own batch, and statistics count at batch 1 whatever it is. Without a size, a symbolic height or width is an
// error when the caller needs a fixed size (lithe run, eval, bench), saying how to fix it.
import { create } from '@bufbuild/protobuf';
import { TypeProtoSchema, TypeProto_TensorSchema, ValueInfoProtoSchema, type ModelProto, type ValueInfoProto } from 'onnx-buf';
import { Graph } from '../graph.ts';
import { defaultOpset } from '../io.ts';
import { DEFAULT_OPSET, getMetadata, valueInfo } from '../make.ts';
import { declaredType, inferShapes, type Shapes } from '../shape/infer.ts';
import type { Dim } from '../shape/types.ts';
import { dims, imageInput } from './image-input.ts';
import { PrepareError, type PrepareOptions, type PrepareStep } from './types.ts';

const at = (opts: PrepareOptions): string => (opts.file ? `${opts.file}: ` : '');
const hw = ([h, w]: readonly number[]): string => `${h}x${w}`;

/** The output declared with its element type only: its shape is whatever the graph now computes. */
function typeOnly(v: ValueInfoProto): ValueInfoProto {
  const elemType = declaredType(v)?.elem;
  if (elemType === undefined) return v;
  const tensorType = create(TypeProto_TensorSchema, { elemType });
  return create(ValueInfoProtoSchema, { ...v, type: create(TypeProtoSchema, { value: { case: 'tensorType', value: tensorType } }) });
}

/** The first thing the new size breaks, or undefined: a shape rule that fails, or a Reshape whose fixed target
 *  no longer holds its input's elements (shape rules cannot see that one). */
function breaks(g: Graph, s: Shapes): string | undefined {
  const p = s.problems.find((x) => x.kind !== 'unknown-op');
  if (p) return p.message;
  for (const n of g.nodes.filter((x) => x.opType === 'Reshape')) {
    const [a, b] = [s.types.get(n.input[0]!)?.shape, s.types.get(n.output[0]!)?.shape];
    const v = a && b && volumes(a, b);
    if (v && v[0] !== v[1]) return `node '${n.name}' (Reshape) cannot reshape ${a!.join('x')} into ${b!.join('x')}`;
  }
  return undefined;
}

/** The element counts of two shapes once the symbolic dimensions they share (the batch) cancel out;
 *  undefined when another symbolic dimension is left. */
function volumes(a: Dim[], b: Dim[]): [number, number] | undefined {
  const left = [...a];
  const right: Dim[] = [];
  for (const d of b) {
    const k = typeof d === 'string' && d !== '?' ? left.indexOf(d) : -1;
    if (k >= 0) left.splice(k, 1);
    else right.push(d);
  }
  const product = (d: Dim[]) => (d.every((x) => typeof x === 'number') ? (d as number[]).reduce((x, y) => x * y, 1) : undefined);
  const [p, q] = [product(left), product(right)];
  return p !== undefined && q !== undefined ? [p, q] : undefined;
}

function resize(model: ModelProto, g: Graph, from: readonly number[], to: readonly number[], opts: PrepareOptions): void {
  const name = g.inputs[imageInput(g)!.index]!.name;
  const refuse = (why: string) => new PrepareError(`${at(opts)}the model's input '${name}' is fixed at ${hw(from)} and cannot take ${hw(to)}: ${why}`);
  if (getMetadata(model, 'lithe.ssd')) throw refuse('its SSD priors are laid out for its own size');
  // shapes recorded at the old size would contradict the new ones: they are inferred again
  g.valueInfo.clear();
  g.outputs.splice(0, g.outputs.length, ...g.outputs.map(typeOnly));
  const s = inferShapes(g, defaultOpset(model) ?? DEFAULT_OPSET);
  const why = breaks(g, s);
  if (why) throw refuse(why);
  g.outputs.splice(0, g.outputs.length, ...g.outputs.map((o) => {
    const t = s.types.get(o.name);
    return t?.shape ? valueInfo(o.name, t.elem, t.shape) : o;
  }));
}

export const input: PrepareStep = {
  id: 'input',
  summary: "the image input's height and width fixed from `input` or --size (the batch stays as declared)",
  run(model, opts) {
    const g = Graph.fromModel(model);
    const img = imageInput(g);
    const want = opts.input;
    if (!img) {
      if (want) throw new PrepareError(`${at(opts)}input ${hw(want)} was given, but the model has no image input (no graph input of rank 4)`);
      return { model, notes: [] };
    }
    const [n, c, h, w] = img.shape;
    const name = img.info.name;
    const fixed = typeof h === 'number' && typeof w === 'number';
    if (!want) {
      if (!fixed && opts.requireSize) {
        throw new PrepareError(`${at(opts)}input '${name}' has no fixed size (${dims(img.shape)}): add \`input N\` or \`input HxW\` (height x width) to the recipe, or pass --size, to fix it`);
      }
      return { model, notes: [] };
    }
    if (fixed && h === want[0] && w === want[1]) return { model, notes: [] };
    g.inputs[img.index] = valueInfo(name, img.elem, [n!, c!, want[0], want[1]]);
    if (fixed) {
      resize(model, g, [h, w], want, opts);
      return { model: g.toModel(model), notes: [`input '${name}' resized from ${hw([h, w])} to ${hw(want)}: no node depends on the size`] };
    }
    const why = breaks(g, inferShapes(g, defaultOpset(model) ?? DEFAULT_OPSET));
    if (why) throw new PrepareError(`${at(opts)}input '${name}' cannot take ${hw(want)}: ${why}`);
    return { model: g.toModel(model), notes: [`input '${name}' fixed at ${dims([n!, c!, want[0], want[1]])} (was ${dims(img.shape)})`] };
  },
};
