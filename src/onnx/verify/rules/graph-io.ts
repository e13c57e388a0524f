// Graph inputs, outputs and value info: at least one output, and every declared tensor type with a known
// element type and dimensions that are non-negative and of a sane size. A graph with nothing to compute, or
// an input declared [-1, 3, 10^15], would otherwise pass to onnxruntime or to lithe's statistics.
import type { ValueInfoProto } from 'onnx-buf';
import { DTYPES, dtypeName } from '../../dtypes.ts';
import type { VerifyRule } from '../types.ts';
import { MAX_ELEMENTS } from './tensors.ts';

function typeProblem(v: ValueInfoProto): string | undefined {
  const t = v.type?.value;
  if (t?.case !== 'tensorType') return undefined; // sequences, maps, optionals: onnxruntime checks those
  if (!DTYPES[t.value.elemType]) return `has element type ${dtypeName(t.value.elemType)}, which is not an ONNX tensor type`;
  const dims = t.value.shape?.dim ?? [];
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
  check({ inputs, outputs, valueInfo, report }) {
    if (!outputs.length) report({ message: 'the graph has no outputs: it computes nothing' });
    for (const [what, list] of [['graph input', inputs], ['graph output', outputs], ['value', valueInfo]] as const) {
      for (const v of list) {
        const p = typeProblem(v);
        if (p) report({ value: v.name, message: `${what} '${v.name}' ${p}` });
      }
    }
  },
};
