// The verifier: every pass runs it on its result, and every command on the model it loads (io.ts). Rules
// (verify/rules/, one per file) run stage by stage — the header, then the structure (tensors, names,
// edges, ops and attributes), then shapes and types — and a stage runs only when the ones before found
// nothing. Each problem names the node, tensor or value.
import type { ModelProto } from 'onnx-buf';
import { Graph } from './graph.ts';
import { inferShapes, type Shapes } from './shape/infer.ts';
import { verifyRules } from './verify/registry.ts';
import { STAGES, type GraphProblem, type VerifyContext } from './verify/types.ts';
import { MIN_OPSET } from './versions.ts';

export type { GraphProblem };

function run(ctx: Omit<VerifyContext, 'report' | 'shapes'>): GraphProblem[] {
  const problems: GraphProblem[] = [];
  let shapes: Shapes | undefined;
  const full: VerifyContext = {
    ...ctx, report: (p) => { problems.push(p); },
    shapes: () => (shapes ??= inferShapes(ctx.graph, ctx.opset ?? MIN_OPSET)),
  };
  for (const stage of STAGES) {
    for (const r of verifyRules) {
      if (r.stage !== stage || (r.needs === 'opset' && ctx.opset === undefined) || (r.needs === 'model' && !ctx.model)) continue;
      r.check(full);
    }
    if (problems.length) break;
  }
  return problems;
}

/** A pass's graph; with `opset`, ops, attributes, shapes and types are checked too. */
export function verify(g: Graph, opts: { opset?: number } = {}): GraphProblem[] {
  return run({
    graph: g, nodes: g.nodes, initializers: [...g.initializers.values()], inputs: g.inputs, outputs: g.outputs,
    valueInfo: [...g.valueInfo.values()], opset: opts.opset,
  });
}

/** A whole model as read from a file: its lists as stored (two initializers of one name are two), its
 * opset imports and its head metadata too. `opset`: the default domain's; `upgrading`: see VerifyContext. */
export function verifyModel(model: ModelProto, opset: number | undefined, opts: { upgrading?: boolean } = {}): GraphProblem[] {
  const p = model.graph!;
  return run({
    graph: Graph.fromModel(model), nodes: p.node, initializers: p.initializer, inputs: p.input, outputs: p.output,
    valueInfo: p.valueInfo, opset, model, upgrading: opts.upgrading,
  });
}
