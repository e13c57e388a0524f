// One layer out, one block in: the old Conv, BN and activation nodes go, the block's nodes take the layer's
// input and produce the layer's output value under its old name, so every consumer reads it unchanged.
import type { Graph } from '../../onnx/graph.ts';
import { Emitter } from './emit.ts';
import type { Layer } from './layers.ts';
import type { Block, BlockOptions } from './blocks/types.ts';

/** Rewrites `layer` as `block`; returns the names of the block's nodes. */
export function rewrite(g: Graph, layer: Layer, block: Block, o: BlockOptions, moments?: readonly Float64Array[]): string[] {
  const old = [layer.conv, ...(layer.bn ? [layer.bn] : []), ...layer.act.nodes];
  for (const n of old) {
    g.remove(n);
    for (const v of n.output) if (v !== layer.out) g.valueInfo.delete(v);
  }
  const e = new Emitter(g, layer.prefix);
  const out = block.build(e, layer, o, moments);
  g.rename(out, layer.out);
  return e.nodes.map((n) => n.name);
}
