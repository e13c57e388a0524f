// Shape inference over a Graph: the element type and shape of every value, from the graph inputs (with a
// symbolic batch), the initializers and Constant nodes, through each op's rule in topological order.
// Problems (an op without a rule, shapes that do not fit, a declared shape that disagrees) are collected,
// each naming the node, rather than thrown: the verifier reports them with the rest.
import type { ValueInfoProto } from 'onnx-buf';
import type { Graph } from '../graph.ts';
import { Attrs } from '../attrs.ts';
import { tensorValues } from '../tensor.ts';
import type { GraphProblem } from '../verify/types.ts';
import { shapeRuleByOp } from './registry.ts';
import { ShapeError, type Dim, type ValueType } from './types.ts';
import { fmt } from './common.ts';
import { dtypeName } from '../dtypes.ts';

export interface Shapes {
  types: Map<string, ValueType>;
  problems: GraphProblem[];
}

/** A declared value's type: numbers, names for symbolic dimensions, '?' where the file says nothing. */
export function declaredType(v: ValueInfoProto): ValueType | undefined {
  const t = v.type?.value;
  if (t?.case !== 'tensorType') return undefined;
  const shape = t.value.shape?.dim.map((d): Dim => (d.value.case === 'dimValue' ? Number(d.value.value) : d.value.case === 'dimParam' ? d.value.value : '?'));
  return { elem: t.value.elemType, shape };
}

export function inferShapes(g: Graph, opset: number): Shapes {
  const types = new Map<string, ValueType>();
  const constants = new Map<string, number[]>();
  const problems: GraphProblem[] = [];
  for (const [name, t] of g.initializers) {
    types.set(name, { elem: t.dataType, shape: t.dims.map(Number) });
    if (t.dims.length <= 1 && Number(t.dims[0] ?? 1) <= 64) { const v = tensorValues(t); if (v) constants.set(name, v); }
  }
  for (const i of g.inputs) if (!types.has(i.name)) { const t = declaredType(i); if (t) types.set(i.name, t); }
  let order;
  try { order = g.topologicalOrder(); } catch (e) { return { types, problems: [{ message: (e as Error).message }] }; }
  for (const node of order) {
    const rule = shapeRuleByOp.get(node.opType);
    if (!rule) {
      problems.push({ node: node.name, op: node.opType, kind: 'unknown-op', message: `node '${node.name}': no shape rule for op ${node.opType}; its outputs' shapes are unknown` });
      continue;
    }
    const attrs = new Attrs(node);
    try {
      const outs = rule.infer({
        node, attrs, opset,
        inputs: node.input.map((i) => (i ? types.get(i) : undefined)),
        constant: (i) => (node.input[i] ? constants.get(node.input[i]!) : undefined),
      });
      const bad = outs.findIndex((t) => t?.shape?.some((d) => typeof d === 'number' && !(Number.isSafeInteger(d) && d >= 0)));
      if (bad >= 0) throw new ShapeError(`node '${node.name}' (${node.opType}): output '${node.output[bad]}' would have the shape ${fmt(outs[bad]!.shape)}`);
      node.output.forEach((o, k) => { if (o && outs[k]) types.set(o, outs[k]!); });
      if (node.opType === 'Constant') {
        const t = attrs.tensor('value');
        const v = t ? tensorValues(t) : attrs.ints('value_ints');
        if (v && node.output[0]) constants.set(node.output[0], v);
      }
    } catch (e) {
      if (!(e instanceof ShapeError)) throw e;
      problems.push({ node: node.name, message: e.message });
    }
  }
  checkDeclared(g, types, problems);
  return { types, problems };
}

/** Declared output and value_info shapes must agree with the inferred ones where both are numbers. */
function checkDeclared(g: Graph, types: Map<string, ValueType>, problems: GraphProblem[]): void {
  for (const v of [...g.outputs, ...g.valueInfo.values()]) {
    const declared = declaredType(v);
    const want = declared?.shape;
    const inferred = types.get(v.name);
    const got = inferred?.shape;
    // an element type is compared only where the shape was followed: where it was not, the type is a guess
    if (v.type?.value.case && v.type.value.case !== 'tensorType' && got) {
      problems.push({ value: v.name, message: `value '${v.name}' is declared a ${v.type.value.case.replace('Type', '')} but computes to a tensor` });
    }
    if (declared?.elem && inferred && got && declared.elem !== inferred.elem) {
      problems.push({ value: v.name, message: `value '${v.name}' is declared ${dtypeName(declared.elem)} but computes to ${dtypeName(inferred.elem)}` });
    }
    if (!want || !got) continue;
    const clash = want.length !== got.length || want.some((d, i) => typeof d === 'number' && typeof got[i] === 'number' && d !== got[i]);
    if (clash) problems.push({ value: v.name, message: `value '${v.name}' is declared ${fmt(want)} but computes to ${fmt(got)}` });
  }
}
