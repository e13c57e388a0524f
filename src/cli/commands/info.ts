// lithe info MODEL [--json]: parameters, MACs, FLOPs and bytes of an ONNX model, in total, per op type and
// for the heaviest nodes.
import { loadModel, defaultOpset, MIN_OPSET } from '../../onnx/io.ts';
import { Graph } from '../../onnx/graph.ts';
import { modelStats, type NodeStats } from '../../onnx/stats.ts';
import { EXIT, type Io } from '../io.ts';

const n = (x: number): string => x.toLocaleString('en-US');
const g = (x: number): string => `${(x / 1e9).toFixed(3)} G`;
const mb = (x: number): string => `${(x / 2 ** 20).toFixed(2)} MiB`;

export function runInfo(file: string, flags: { json: boolean; top: number }, io: Io): number {
  const model = loadModel(file);
  const opset = defaultOpset(model) ?? MIN_OPSET;
  const s = modelStats(Graph.fromModel(model), opset);
  if (flags.json) {
    io.out(`${JSON.stringify({ file, opset, irVersion: Number(model.irVersion), ...s }, null, 2)}\n`);
    return EXIT.ok;
  }
  const rows: string[][] = [
    ['model', file], ['ONNX', `IR ${model.irVersion}, opset ${opset}, ${s.nodes.length} nodes`],
    ['params', `${n(s.params)} (trainable ${n(s.trainable)})`], ['MACs', g(s.macs)], ['FLOPs', `${g(s.flops)} (2 x MACs, as darknet counts)`],
    ['weights', mb(s.weightBytes)], ['activations', `${mb(s.activationBytes)} at batch 1`],
  ];
  io.out(`${rows.map(([k, v]) => `${k!.padEnd(12)}${v}`).join('\n')}\n\n`);
  io.out(table(['op', 'nodes', 'params', 'MACs'], byOp(s.nodes)));
  const top = [...s.nodes].sort((a, b) => b.macs - a.macs).slice(0, flags.top).filter((x) => x.macs > 0);
  if (top.length) io.out(`\n${table(['node', 'op', 'params', 'MACs'], top.map((x) => [x.name, x.op, n(x.params), g(x.macs)]))}`);
  return EXIT.ok;
}

function byOp(nodes: NodeStats[]): string[][] {
  const acc = new Map<string, { count: number; params: number; macs: number }>();
  for (const x of nodes) {
    const a = acc.get(x.op) ?? { count: 0, params: 0, macs: 0 };
    acc.set(x.op, { count: a.count + 1, params: a.params + x.params, macs: a.macs + x.macs });
  }
  return [...acc.entries()].sort((a, b) => b[1].macs - a[1].macs || b[1].params - a[1].params)
    .map(([op, a]) => [op, String(a.count), n(a.params), g(a.macs)]);
}

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return `${[line(head), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line)].join('\n')}\n`;
}
