// The verifier's contracts. A rule is one check (`(ctx) → problems reported`), named after its file; rules
// run in stages, and a stage runs only when the ones before it found nothing, so that shape inference never
// sees a graph whose tensors or edges are broken.
import type { ModelProto, NodeProto, TensorProto, ValueInfoProto } from 'onnx-buf';
import type { Graph } from '../graph.ts';
import type { Shapes } from '../shape/infer.ts';

export interface GraphProblem {
  node?: string;
  /** The node's op, where the problem is about the op itself. */
  op?: string;
  value?: string;
  message: string;
  /** `unknown-op`: an op without a shape rule, which is not an error in itself. */
  kind?: 'unknown-op';
}

/** What a rule sees: the graph's lists as stored (duplicates included), the Graph's indexes, the opset. */
export interface VerifyContext {
  graph: Graph;
  nodes: readonly NodeProto[];
  initializers: readonly TensorProto[];
  inputs: readonly ValueInfoProto[];
  outputs: readonly ValueInfoProto[];
  valueInfo: readonly ValueInfoProto[];
  /** The default domain's opset; rules that need it are skipped without one. */
  opset?: number;
  /** The whole model, when a file is verified (header and metadata rules need it). */
  model?: ModelProto;
  /** The model is about to be upgraded (onnx/upgrade/): a deprecated op the upgrade replaces is not a
   *  problem yet; the upgraded model is verified again. */
  upgrading?: boolean;
  /** Shape inference over the graph, run once on first use. */
  shapes(): Shapes;
  report(p: GraphProblem): void;
}

/**
 * Stages: `header` (the model's IR version, opsets), `structure` (tensors, names, edges, ops and their
 * attributes: what must hold before anything is computed), `semantics` (shapes and types through the graph).
 */
export type Stage = 'header' | 'structure' | 'semantics';
export const STAGES: readonly Stage[] = ['header', 'structure', 'semantics'];

export interface VerifyRule {
  id: string;
  summary: string;
  stage: Stage;
  /** `opset`: runs only with an opset; `model`: only on a whole model (a file), not on a pass's graph. */
  needs?: 'opset' | 'model';
  check(ctx: VerifyContext): void;
}
