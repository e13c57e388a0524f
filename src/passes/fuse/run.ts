// fuse: BatchNormalization folded into the convolutions that feed it, identities removed. onnxruntime and
// TensorRT fuse activations into convolutions themselves when they build their engines, so the ONNX graph
// keeps them as separate nodes: the rewrite stays readable by every runtime.
import { Graph } from '../../onnx/graph.ts';
import { defaultOpset } from '../../onnx/io.ts';
import { verify } from '../../onnx/verify.ts';
import { RunError, type PassRun } from '../../run/types.ts';
import { foldBatchNorms, removeIdentities } from './fold.ts';

export const runFuse: PassRun = async (_step, _ctx, model) => {
  const g = Graph.fromModel(model);
  const folded = foldBatchNorms(g);
  const identities = removeIdentities(g);
  const problems = verify(g, { opset: defaultOpset(model) });
  if (problems.length) throw new RunError(`fuse made an invalid graph: ${problems[0]!.message}`);
  return { model: g.toModel(model), details: { batchnorms_folded: folded.length, identities_removed: identities } };
};
