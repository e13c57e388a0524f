// fp16: weights and compute in float16, with the model's interface unchanged — a Cast to float16 after each
// float32 graph input and a Cast back before each graph output, so callers still feed and read float32.
//
// onnxruntime's CPU provider (1.30, x86) has float16 kernels only for data movement and a few simple ops
// (Cast, Clip, Concat, Transpose, Reshape, ...; probed op by op): Conv, BatchNormalization, the activations,
// pools, Resize, Add and Mul have none. Two ways to run such a model there:
//  - as is (the default): onnxruntime itself wraps every op lacking a float16 kernel in Casts when it
//    loads the model (its InsertCastTransformer); the file stays a pure float16 model, which is what
//    TensorRT, GPU providers and NPUs want.
//  - `float32Ops: ORT_CPU_FLOAT32_OPS`: those ops are kept float32 in the file, with explicit Casts only where
//    a value crosses between float16 and float32 regions (neighbouring float32 ops need none, and data
//    movement such as Concat or Reshape follows its input's precision). Their weights are still stored as
//    float16, behind a Cast that onnxruntime folds when it loads the model.
// Either way the arithmetic on CPU is float32 with float16 rounding at region borders, so expect fp32 speed
// or a little worse, not better (see scratch/quantize-measure.ts): fp16 pays off on TX2 and NPUs, not here.
import type { ModelProto, NodeProto } from 'onnx-buf';
import { Graph } from '../../onnx/graph.ts';
import { defaultOpset, MIN_OPSET } from '../../onnx/io.ts';
import { attr, DataType, node, setMetadata, tensor } from '../../onnx/make.ts';
import { inferShapes } from '../../onnx/shape/infer.ts';
import { readFloats } from './floats.ts';
import { toHalf } from '../../onnx/half.ts';

/** Ops without a float16 kernel in onnxruntime 1.30's CPU provider on x86, among those lithe's detectors use. */
export const ORT_CPU_FLOAT32_OPS: ReadonlySet<string> = new Set([
  'Add', 'AveragePool', 'BatchNormalization', 'Conv', 'ConvTranspose', 'Div', 'Exp', 'Gemm', 'GlobalAveragePool',
  'HardSigmoid', 'HardSwish', 'LeakyRelu', 'MatMul', 'MaxPool', 'Mul', 'Relu', 'Resize', 'Sigmoid', 'Softmax', 'Softplus',
  'Sub', 'Tanh',
]);

/** Inputs that stay float32 whatever the op's precision (Resize's roi and scales are not the data type T). */
const FLOAT32_INPUTS: Readonly<Record<string, readonly number[]>> = { Resize: [1, 2], Upsample: [1] };

export interface Fp16Options {
  /** Op types kept in float32 (with Casts around them); none unless told. */
  float32Ops?: ReadonlySet<string>;
}

type Precision = 16 | 32;

/** Ops that only move data run in the precision their input already has, so they never cost a Cast. */
const FOLLOWS_INPUT: ReadonlySet<string> = new Set(['Concat', 'Flatten', 'Identity', 'Reshape', 'Slice', 'Split', 'Squeeze', 'Transpose', 'Unsqueeze']);

function precisionOf(n: NodeProto, float32Ops: ReadonlySet<string> | undefined, input: (v: string) => Precision | undefined): Precision {
  if (!float32Ops?.size) return 16;
  if (float32Ops.has(n.opType)) return 32;
  return FOLLOWS_INPUT.has(n.opType) && n.input.some((v) => v && input(v) === 32) ? 32 : 16;
}

export function toFp16(model: ModelProto, opts: Fp16Options = {}): ModelProto {
  const g = Graph.fromModel(model);
  const { types } = inferShapes(g, defaultOpset(model) ?? MIN_OPSET);
  const isFloat = (v: string) => types.get(v)?.elem === DataType.FLOAT;
  const current = new Map<string, Precision>(g.inputs.map((i) => [i.name, 32]));
  const convert = converter(g);
  for (const n of g.topologicalOrder()) {
    const p = precisionOf(n, opts.float32Ops, (v) => (isFloat(v) && !g.initializers.has(v) ? current.get(v) ?? 32 : undefined));
    n.input = n.input.map((v, j) => {
      if (!v || !isFloat(v)) return v;
      if (FLOAT32_INPUTS[n.opType]?.includes(j)) return v;
      if (g.initializers.has(v)) return p === 16 ? convert.initializer(v) : convert.cast(convert.initializer(v), 32);
      return (current.get(v) ?? 32) === p ? v : convert.cast(v, p);
    });
    if (n.opType === 'Cast' && isFloat(n.output[0]!) && p === 16) n.attribute = [attr('to', DataType.FLOAT16)];
    const producesHalf = p === 16 && n.opType !== 'Constant';
    for (const o of n.output) if (o && isFloat(o)) current.set(o, producesHalf ? 16 : 32);
  }
  g.touched();
  for (const o of g.outputs) if (current.get(o.name) === 16) castOutput(g, o.name);
  // The float values' declared types are stale now; ONNX lets value_info be partial.
  for (const v of [...g.valueInfo.keys()]) if (isFloat(v)) g.valueInfo.delete(v);
  g.dropUnusedInitializers();
  g.sort();
  const out = g.toModel(model);
  setMetadata(out, 'lithe.quantize', JSON.stringify({ precision: 'fp16', float32Ops: [...(opts.float32Ops ?? [])].sort() }));
  return out;
}

/** float16 copies of initializers and Casts of activations, one per value and precision. */
function converter(g: Graph) {
  const made = new Map<string, string>();
  const once = (key: string, make: () => string) => made.get(key) ?? made.set(key, make()).get(key)!;
  return {
    initializer: (v: string) => once(`${v}:16`, () => {
      const t = g.initializers.get(v)!;
      const name = g.freshName(`${v}.fp16`);
      g.initializers.set(name, tensor(name, t.dims.map(Number), toHalf(readFloats(t)), DataType.FLOAT16));
      return name;
    }),
    cast: (v: string, to: Precision) => once(`${v}:${to}`, () => {
      const name = g.freshName(`${v}.fp${to}`);
      g.insert([node('Cast', [v], [name], { to: to === 16 ? DataType.FLOAT16 : DataType.FLOAT }, g.freshName(`${v}.to_fp${to}`))], g.producer(v) ?? undefined);
      return name;
    }),
  };
}

/** The graph output keeps its name and float32 type: its float16 producer is renamed and cast back. */
function castOutput(g: Graph, o: string): void {
  const half = g.freshName(`${o}.fp16`);
  g.rename(o, half);
  const out = g.outputs.find((x) => x.name === half)!;
  out.name = o;
  g.insert([node('Cast', [half], [o], { to: DataType.FLOAT }, g.freshName(`${o}.to_fp32`))]);
}
