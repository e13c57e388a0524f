// Random tensors of every ONNX element type, stored every way onnx.proto allows — raw_data or the type's
// typed field (float_data, int32_data for the small types and float16/bfloat16 bits, int64_data,
// double_data, uint64_data, string_data), packed sub-byte types, complex pairs — with random shapes that
// include scalars and 0-sized ones; and models that carry them as initializers, Constant values and
// subgraph initializers. For the writer's property test (onnx-tensors.test.ts) and the checker's
// (check-written). Seeded: a failure names the seed that reproduces it.
import { create } from '@bufbuild/protobuf';
import {
  TensorProtoSchema, TensorProto_DataType as DT,
  type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto,
} from 'onnx-buf';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { DTYPES, fieldLength, rawBytes } from '../../src/onnx/dtypes.ts';
import { graph, model, node, tensor, valueInfo } from '../../src/onnx/make.ts';
import { mulberry32 } from '../../src/util/random.ts';

/** Every element type onnx.proto defines (UNDEFINED aside). */
export const ALL_TYPES: readonly DT[] = Object.keys(DTYPES).map(Number).sort((a, b) => a - b);
/** The types onnxruntime-node hands back from a run (float32 ... uint64): their values are compared there. */
export const ORT_TYPES: readonly DT[] = [DT.FLOAT, DT.UINT8, DT.INT8, DT.UINT16, DT.INT16, DT.INT32, DT.INT64, DT.STRING, DT.BOOL, DT.FLOAT16, DT.DOUBLE, DT.UINT32, DT.UINT64];

const SPECIAL = [Number.NaN, Infinity, -Infinity, -0, 0, 1.401298464324817e-45, 3.4028234663852886e38, -1];
const TEXTS = ['', 'a', 'détecteur', '物体検出', 'x'.repeat(40), '\u0000nul', '🦊'];

export class RandomTensors {
  private readonly rnd: () => number;
  private count = 0;
  constructor(readonly seed: number) { this.rnd = mulberry32(seed); }

  private int(lo: number, hi: number): number { return lo + Math.floor(this.rnd() * (hi - lo + 1)); }
  private pick<T>(xs: readonly T[]): T { return xs[this.int(0, xs.length - 1)]!; }

  /** Rank 0 to 3, each dimension 0 to 4 (one in eight is 0). */
  dims(): number[] {
    return Array.from({ length: this.int(0, 3) }, () => (this.rnd() < 0.125 ? 0 : this.int(1, 4)));
  }

  /** A tensor of type `t`, in raw_data or its typed field at random (strings: always string_data). */
  tensor(t: DT, dims = this.dims(), raw = this.rnd() < 0.5): TensorProto {
    const name = `t${this.seed}_${++this.count}_${DT[t]}`;
    const n = dims.reduce((a, b) => a * b, 1);
    const base = { name, dims: dims.map(BigInt), dataType: t };
    if (t === DT.STRING) return create(TensorProtoSchema, { ...base, stringData: Array.from({ length: n }, () => new TextEncoder().encode(this.pick(TEXTS))) });
    if (raw) return create(TensorProtoSchema, { ...base, rawData: Uint8Array.from({ length: rawBytes(t, n)! }, () => this.int(0, t === DT.BOOL ? 1 : 255)) });
    return create(TensorProtoSchema, { ...base, ...this.typed(t, n) });
  }

  /** Values for the typed field of `t`, as onnx.proto describes each. */
  private typed(t: DT, n: number): MessageInitShape<typeof TensorProtoSchema> {
    const info = DTYPES[t]!;
    const k = fieldLength(t, n);
    const float = () => (this.rnd() < 0.2 ? this.pick(SPECIAL) : Math.fround((this.rnd() * 2 - 1) * 10 ** this.int(-3, 3)));
    const double = () => (this.rnd() < 0.2 ? this.pick(SPECIAL) : (this.rnd() * 2 - 1) * 10 ** this.int(-30, 30));
    const i32: Partial<Record<number, () => number>> = {
      [DT.UINT8]: () => this.int(0, 255), [DT.INT8]: () => this.int(-128, 127), [DT.UINT16]: () => this.int(0, 65535),
      [DT.INT16]: () => this.int(-32768, 32767), [DT.INT32]: () => this.int(-(2 ** 31), 2 ** 31 - 1), [DT.BOOL]: () => this.int(0, 1),
      [DT.FLOAT16]: () => this.int(0, 65535), [DT.BFLOAT16]: () => this.int(0, 65535),
    };
    switch (info.field) {
      case 'floatData': return { floatData: Array.from({ length: k }, float) };
      case 'doubleData': return { doubleData: Array.from({ length: k }, double) };
      case 'int64Data': return { int64Data: Array.from({ length: k }, () => BigInt.asIntN(64, this.big())) };
      case 'uint64Data': return { uint64Data: Array.from({ length: k }, () => (t === DT.UINT32 ? BigInt(this.int(0, 2 ** 32 - 1)) : this.big())) };
      default: return { int32Data: Array.from({ length: k }, i32[t] ?? (() => this.int(0, 255))) };
    }
  }

  private big(): bigint { return (BigInt(this.int(0, 2 ** 32 - 1)) << 32n) | BigInt(this.int(0, 2 ** 32 - 1)); }
}

/** A value of `elemType` and shape `dims` (a name: a symbolic dimension). */
const typed = (name: string, elemType: number, dims: readonly (number | string)[]): ValueInfoProto => valueInfo(name, elemType, dims);

/**
 * A model holding `perPlace` random tensors of each of `types` in each place a tensor can sit: initializers,
 * Constant nodes' values, and the initializers of an If's two branches. Only a float is computed from them
 * (the If picks a branch's Identity of its input), so any type may sit anywhere: the writer's test. Opset
 * 25 and IR 11 by default, which every type needs; onnx.checker (onnx 1.12) knows types up to BFLOAT16 at
 * IR 8 or older.
 */
export function tensorModel(seed: number, types: readonly DT[] = ALL_TYPES, perPlace = 2, at: { opset: number; irVersion: bigint } = { opset: 25, irVersion: 11n }): ModelProto {
  const r = new RandomTensors(seed);
  const many = () => types.flatMap((t) => Array.from({ length: perPlace }, () => r.tensor(t)));
  const constants = many().map((t, i) => node('Constant', [], [`c${i}`], { value: t }, `const${i}`));
  const branch = (name: string) => graph(name, [node('Identity', ['x'], [`${name}_y`], {}, `${name}_id`)], [], [typed(`${name}_y`, DT.FLOAT, ['N'])], many());
  const cond = tensor('cond', [], Uint8Array.of(seed % 2), DT.BOOL);
  const nodes: NodeProto[] = [...constants, node('If', ['cond'], ['y'], { then_branch: branch('then'), else_branch: branch('else') }, 'if')];
  const m = model(graph(`tensors${seed}`, nodes, [typed('x', DT.FLOAT, ['N'])], [typed('y', DT.FLOAT, ['N'])], [cond, ...many()]), at);
  m.metadataProps = [];
  return m;
}

/**
 * A model onnxruntime runs that hands back each tensor of `types` as it is stored in each place: an
 * initializer through Identity, a Constant as a graph output, and an If branch's initializer through the
 * branch's Identity. Outputs are named after the tensor they return. Opset 13, IR 7 (what lithe writes).
 */
export function runnableModel(seed: number, types: readonly DT[] = ORT_TYPES): { model: ModelProto; expected: Map<string, TensorProto> } {
  const r = new RandomTensors(seed);
  const expected = new Map<string, TensorProto>();
  const nodes: NodeProto[] = [];
  const inits: TensorProto[] = [tensor('cond', [], Uint8Array.of(1), DT.BOOL)];
  const outputs: ValueInfoProto[] = [];
  for (const t of types) {
    const [w, c, s] = [r.tensor(t), r.tensor(t), r.tensor(t)];
    inits.push(w);
    nodes.push(node('Identity', [w.name], [`out_${w.name}`], {}, `id_${w.name}`));
    nodes.push(node('Constant', [], [`out_${c.name}`], { value: c }, `const_${c.name}`));
    const dims = (x: TensorProto) => x.dims.map(Number);
    const then = graph(`then_${s.name}`, [node('Identity', [s.name], [`then_out_${s.name}`], {}, `then_id_${s.name}`)], [], [typed(`then_out_${s.name}`, t, dims(s))], [s]);
    const els = graph(`else_${s.name}`, [node('Identity', [w.name], [`else_out_${s.name}`], {}, `else_id_${s.name}`)], [], [typed(`else_out_${s.name}`, t, dims(w))]);
    nodes.push(node('If', ['cond'], [`out_${s.name}`], { then_branch: then, else_branch: els }, `if_${s.name}`));
    for (const x of [w, c, s]) { expected.set(`out_${x.name}`, x); outputs.push(typed(`out_${x.name}`, t, dims(x))); }
  }
  const m = model(graph(`runnable${seed}`, nodes, [], outputs, inits));
  return { model: m, expected };
}
