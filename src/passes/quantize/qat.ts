// Quantization-aware training: the PTQ result trained further with its quantization simulated. The model is
// calibrated and planned exactly as `ptq` does it (BatchNormalization folded first, int8.ts), the plan is
// written as fake quantization in float ops (qdq/fake.ts), the float weights train through it on the
// detection loss, and the trained weights and scales are encoded on the same plan as ordinary Q/DQ
// (encodeInt8): the exported model has the PTQ model's structure and no training-only node. Scales stay as
// calibrated unless `learn-scales` trains them by LSQ (Esser et al. 2020): its step-size gradient comes from
// the graph (fake.ts), scaled here by g = 1/√(N·qmax), and no weight decay applies to them.
import type { ModelProto } from 'onnx-buf';
import { Graph } from '../../onnx/graph.ts';
import { inferShapes } from '../../onnx/shape/infer.ts';
import type { WeightPolicy } from '../../train/loop.ts';
import { readFloats } from './floats.ts';
import { QuantizeError } from './errors.ts';
import { encodeInt8, planOf, type Int8Calibrated, type Int8Report, type Int8Trained } from './int8.ts';
import { insertFakeQuant, type FakeQuant } from './qdq/fake.ts';
import { groupScales } from './qdq/insert.ts';
import { DataType } from '../../onnx/make.ts';

/** The training form of the calibrated model: the folded float model with the plan as fake quantization. */
export function fakeQuantModel(c: Int8Calibrated): { model: ModelProto; fq: FakeQuant } {
  const g = Graph.fromModel(c.folded);
  const plan = planOf(c, g);
  const { types } = inferShapes(g, c.opset);
  // values per image: the shape without its batch (an unknown dimension counts as 1)
  const elements = (v: string) => (types.get(v)?.shape ?? []).slice(1).reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1);
  const fq = insertFakeQuant(g, plan, groupScales(plan, c.amax), c.insert, elements);
  return { model: g.toModel(c.folded), fq };
}

const stepNames = (fq: FakeQuant) => new Set([...fq.activations.values(), ...fq.weights.values()]);

/** Fixed scales are frozen; learned ones train as LSQ does (gradient scale 1/√(N·qmax), no decay). */
export function qatPolicy(fq: FakeQuant, learnScales: boolean): WeightPolicy {
  const steps = stepNames(fq);
  if (!learnScales) return { frozen: (n) => steps.has(n) };
  return {
    learned: (n) => steps.has(n),
    decays: (n) => !steps.has(n),
    gradScale: (n) => { const l = fq.lsq.get(n); return l ? 1 / Math.sqrt(l.n * l.qmax) : 1; },
  };
}

/** What training changed, read back from the trained training-form model, for encodeInt8. */
export function trainedOf(c: Int8Calibrated, trained: ModelProto, fq: FakeQuant): Int8Trained {
  const g = Graph.fromModel(trained);
  const value = (name: string) => readFloats(g.initializers.get(name)!);
  const positive = (name: string, v: Float32Array) => {
    if (v.some((s) => !(s > 0))) throw new QuantizeError(`qat: the step size '${name}' became ${v.find((s) => !(s > 0))}: learned scales must stay positive (try a lower lr)`);
    return v;
  };
  const floats = (c.folded.graph?.initializer ?? []).filter((t) => t.dataType === DataType.FLOAT && g.initializers.has(t.name));
  return {
    weights: new Map(floats.map((t) => [t.name, value(t.name)])),
    scales: new Map([...fq.activations].map(([key, name]) => [key, positive(name, value(name))[0]!])),
    weightScales: new Map([...fq.weights].map(([w, name]) => [w, positive(name, value(name))])),
  };
}

export function encodeQat(c: Int8Calibrated, trained: ModelProto, fq: FakeQuant): { model: ModelProto; report: Int8Report } {
  return encodeInt8(c, trainedOf(c, trained, fq));
}

/** The median relative change of the step sizes between two training-form models (what learn-scales moved). */
export function medianScaleChange(before: ModelProto, after: ModelProto, fq: FakeQuant): number {
  const [a, b] = [Graph.fromModel(before), Graph.fromModel(after)];
  const changes = [...stepNames(fq)].flatMap((name) => {
    const [x, y] = [readFloats(a.initializers.get(name)!), readFloats(b.initializers.get(name)!)];
    return [...x].map((v, i) => Math.abs(y[i]! - v) / v);
  }).sort((p, q) => p - q);
  return changes[Math.floor(changes.length / 2)] ?? 0;
}
