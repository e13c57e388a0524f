// Graph inputs, outputs and value info: at least one output, and every declared tensor type with a known
// element type and dimensions that are non-negative and of a sane size. A graph with nothing to compute, or
// an input declared [-1, 3, 10^15], would otherwise pass to onnxruntime or to lithe's statistics.
import type { TensorShapeProto_Dimension, TypeProto } from 'onnx-buf';
import { DTYPES, dtypeName } from '../../dtypes.ts';
import type { VerifyRule } from '../types.ts';
import { MAX_ELEMENTS } from './tensors.ts';

/** What is wrong with a declared type: a kind missing at any depth, an unknown element type, bad dimensions. */
function typeProblem(type: TypeProto | undefined): string | undefined {
  const t = type?.value;
  switch (t?.case) {
    case undefined: return type ? 'has a type of no kind (neither tensor, sequence, map nor optional)' : undefined;
    case 'sequenceType': case 'optionalType': return t.value.elemType ? typeProblem(t.value.elemType) : `has a ${t.case === 'sequenceType' ? 'sequence' : 'optional'} type without its element type`;
    case 'mapType': return DTYPES[t.value.keyType] ? (t.value.valueType ? typeProblem(t.value.valueType) : 'has a map type without its value type') : `has a map key type ${dtypeName(t.value.keyType)}`;
    case 'tensorType': case 'sparseTensorType': return tensorTypeProblem(t.value.elemType, t.value.shape?.dim ?? []);
    default: return undefined;
  }
}

function tensorTypeProblem(elem: number, dims: readonly TensorShapeProto_Dimension[]): string | undefined {
  if (!DTYPES[elem]) return `has element type ${dtypeName(elem)}, which is not an ONNX tensor type`;
  for (const d of dims) {
    if (d.value.case !== 'dimValue') continue;
    if (d.value.value < 0n) return `has a negative dimension (${dims.map((x) => x.value.value ?? '?').join(' x ')})`;
    if (d.value.value > BigInt(MAX_ELEMENTS)) return `has a dimension of ${d.value.value}, more than the ${MAX_ELEMENTS} lithe accepts`;
  }
  return undefined;
}

export const rule: VerifyRule = {
  id: 'graph-io',
  summary: 'the graph has outputs; declared types have known element types and sane dimensions',
  stage: 'structure',
  check({ inputs, outputs, valueInfo, initializers, report }) {
    if (!outputs.length) report({ message: 'the graph has no outputs: it computes nothing' });
    const stored = new Set(initializers.map((t) => t.name));
    for (const i of inputs) if (!i.type && !stored.has(i.name)) report({ value: i.name, message: `graph input '${i.name}' has no type: what is fed to it is unknown` });
    for (const [what, list] of [['graph input', inputs], ['graph output', outputs], ['value', valueInfo]] as const) {
      for (const v of list) {
        const p = typeProblem(v.type);
        if (p) report({ value: v.name, message: `${what} '${v.name}' ${p}` });
      }
    }
  },
};
