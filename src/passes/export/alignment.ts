// Channel counts off the target's alignment, after pruning and replacing: each convolution whose output
// channels are not a multiple of `channel_alignment` (the device pads them, so they cost as the next multiple).
// `prune ... round N` keeps pruned layers aligned; what this finds are layers kept whole (a head's 255
// outputs) or changed by other steps.
import type { ModelProto } from 'onnx-buf';
import type { Target } from '../../targets/target.ts';

export function misaligned(model: ModelProto, target: Target | undefined): string[] {
  const align = target?.channel_alignment ?? 1;
  if (align <= 1) return [];
  const g = model.graph!;
  const dims = new Map(g.initializer.map((t) => [t.name, Number(t.dims[0] ?? 0)]));
  // weights read through DequantizeLinear (int8) count by the DQ's input
  const dq = new Map(g.node.filter((n) => n.opType === 'DequantizeLinear').map((n) => [n.output[0]!, n.input[0]!]));
  return g.node.filter((n) => n.opType === 'Conv').flatMap((n) => {
    const w = n.input[1]!;
    const c = dims.get(w) ?? dims.get(dq.get(w) ?? '');
    return c && c % align !== 0 ? [`${n.name} (${c})`] : [];
  });
}

/** The README line, or none. */
export function alignmentNote(off: readonly string[], target: Target | undefined): string[] {
  if (!off.length || !target) return [];
  const shown = off.slice(0, 8).join(', ') + (off.length > 8 ? `, ... (${off.length} in all)` : '');
  return [`${off.length} convolution${off.length > 1 ? 's have' : ' has'} output channels off ${target.name}'s alignment of ${target.channel_alignment}: ${shown}.`];
}
