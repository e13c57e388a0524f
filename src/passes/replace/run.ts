// replace in a run: every k x k convolution of the scope becomes the chosen block (rewrite.ts), started from
// the old layer's weights; the layers a block cannot stand in for are listed in the report with the reason.
import type { ModelProto } from 'onnx-buf';
import { Graph } from '../../onnx/graph.ts';
import { defaultOpset } from '../../onnx/io.ts';
import { verify } from '../../onnx/verify.ts';
import { headFor } from '../../metrics/decode/head.ts';
import { RunError, type PassRun } from '../../run/types.ts';
import type { Act, ActKind } from './act.ts';
import { blocks } from './blocks/registry.ts';
import type { Block, BlockOptions } from './blocks/types.ts';
import { findLayers, type Layer, type Skipped } from './layers.ts';
import { rewrite } from './rewrite.ts';

export interface ReplaceParams { scope: string; block: string; kernel?: number[]; expand?: number; se?: number; act?: ActKind }

/** mbconv's expansion when the step gives none (MobileNetV2's t). */
const DEFAULT_EXPAND = { dsconv: 1, mbconv: 4 } as Record<string, number>;

/** One kernel size per layer: the list, the one size for all, or each layer's own. */
function kernels(p: ReplaceParams, layers: readonly Layer[]): number[] {
  const k = p.kernel;
  if (!k) return layers.map((l) => l.k);
  if (k.length === 1) return layers.map(() => k[0]!);
  if (k.length !== layers.length) {
    throw new RunError(`replace: kernel lists ${k.length} sizes, but scope '${p.scope}' has ${layers.length} convolutions to replace (${layers.map((l) => l.conv.name).join(', ')}); give one size per layer, or one for all`);
  }
  return k;
}

export interface Replaced { model: ModelProto; layers: Layer[]; options: BlockOptions[]; skipped: Skipped[]; nodes: string[][] }

/** The model with the scope's layers replaced (verified), without fitting. */
export function replaceLayers(model: ModelProto, scope: ReadonlySet<string>, p: ReplaceParams): Replaced {
  const block = blocks.find((b) => b.id === p.block) as Block;
  const g = Graph.fromModel(model);
  const { layers, skipped } = findLayers(g, scope, headFor(model)?.convs ?? []);
  if (!layers.length) {
    const why = skipped.length ? `: ${skipped.map((s) => `'${s.node}' is ${s.why}`).join('; ')}` : '';
    throw new RunError(`replace: scope '${p.scope}' has no convolution a ${p.block} block can replace${why}`);
  }
  const ks = kernels(p, layers);
  const options = layers.map((l, i): BlockOptions => {
    const act: Act = p.act ? { kind: p.act, alpha: p.act === 'leaky' ? (l.act.act.alpha ?? 0.1) : undefined } : l.act.act;
    return { kernel: ks[i]!, expand: p.expand ?? DEFAULT_EXPAND[p.block] ?? 1, se: p.se, act };
  });
  const nodes = layers.map((l, i) => rewrite(g, l, block, options[i]!));
  g.sort();
  g.dropUnusedInitializers();
  const opset = defaultOpset(model);
  const problems = verify(g, { opset });
  if (problems.length) throw new RunError(`replace made an invalid graph: ${problems.slice(0, 3).map((x) => x.message).join('; ')}`);
  return { model: g.toModel(model), layers, options, skipped, nodes };
}

export const runReplace: PassRun = async (step, ctx, model) => {
  const p = step.params as unknown as ReplaceParams;
  const block = blocks.find((b) => b.id === p.block)!;
  const r = replaceLayers(model, ctx.select({ scope: p.scope }, model), p);
  const rows = r.layers.map((l, i) => {
    const o = r.options[i]!;
    return {
      layer: l.conv.name, block: block.id, kernel: o.kernel, ...(block.id === 'mbconv' && { expand: o.expand, se: o.se ?? 0 }), act: o.act.kind,
      channels: `${l.cin} → ${l.cout}`, stride: l.stride, weights_before: l.k * l.k * l.cin * l.cout, weights_after: block.convWeights(l.cin, l.cout, o),
    };
  });
  ctx.log(`${r.layers.length} convolutions of '${p.scope}' replaced by ${p.block}; ${r.skipped.length} kept: ${r.skipped.map((s) => s.node).join(', ') || 'none'}`);
  return { model: r.model, details: { blocks: rows, skipped: r.skipped.map((s) => ({ layer: s.node, why: s.why })) } };
};
