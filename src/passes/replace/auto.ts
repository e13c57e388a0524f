// `kernel auto`: each layer's block is fitted with a 3x3 and with a 5x5 depthwise kernel, and keeps the one
// whose fitted relative error times its MACs is lower: a 5x5 is chosen only where it cuts the error by a larger
// share than it adds MACs (error per MAC spent, compared between the two). The report gives both of each.
import type { ModelProto } from 'onnx-buf';
import { Graph } from '../../onnx/graph.ts';
import { adopt } from './fit.ts';
import { fitAll, fitBest, replaceLayers, type Fitted, type Replaced, type ReplaceParams } from './run.ts';

export const AUTO_KERNELS = [3, 5] as const;

export interface Choice { layer: string; error_k3: number; error_k5: number; macs_k3: number; macs_k5: number; kernel: number; why: string }

type FitOpts = Parameters<typeof fitAll>[4];

const round = (x: number) => Number(x.toFixed(4));

function choose(layer: string, fits: Fitted[], i: number): Choice {
  const [e3, e5] = fits.map((f) => f.fits[i]!.after) as [number, number];
  const [m3, m5] = fits.map((f) => f.macs[i]!) as [number, number];
  const five = e5 * m5 < e3 * m3;
  const cut = e3 > 0 ? (1 - e5 / e3) * 100 : 0;
  const cost = (m5 / m3 - 1) * 100;
  const verb = cut > 0 ? 'cuts' : cut < 0 ? 'raises' : 'changes';
  const why = `5x5 ${verb} the fitted error by ${Math.abs(cut).toFixed(1)}% for ${cost.toFixed(1)}% more MACs: ${five ? 'worth it' : 'not worth it'}`;
  return { layer, error_k3: round(e3), error_k5: round(e5), macs_k3: m3, macs_k5: m5, kernel: five ? 5 : 3, why };
}

export async function chooseKernels(model: ModelProto, scope: ReadonlySet<string>, p: ReplaceParams, data: { images: Float32Array[]; dims: number[] }, o: FitOpts): Promise<{ r: Replaced; fitted: Fitted; choices: Choice[] }> {
  const variants: Replaced[] = [];
  const fits: Fitted[] = [];
  for (const k of AUTO_KERNELS) {
    const v = await fitBest(model, scope, { ...p, kernel: [k] }, data, { ...o, log: (l) => o.log?.(`kernel ${k}, ${l}`) });
    variants.push(v.r);
    fits.push(v.fitted);
  }
  const choices = variants[0]!.layers.map((l, i) => choose(l.conv.name, fits, i));
  for (const c of choices) o.log?.(`kernel auto, ${c.layer}: ${c.kernel}x${c.kernel} (${c.why})`);
  const r = replaceLayers(model, scope, { ...p, kernel: choices.map((c) => c.kernel) });
  const g = Graph.fromModel(r.model);
  const picked = choices.map((c) => AUTO_KERNELS.indexOf(c.kernel as 3 | 5));
  r.layers.forEach((_, i) => adopt(g, fits[picked[i]!]!.model, r.nodes[i]!));
  const fitted: Fitted = { model: g.toModel(r.model), fits: picked.map((k, i) => fits[k]!.fits[i]!), macs: picked.map((k, i) => fits[k]!.macs[i]!), starts: picked.map((k, i) => fits[k]!.starts![i]!) };
  return { r, fitted, choices };
}
