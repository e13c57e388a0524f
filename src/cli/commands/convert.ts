// lithe convert IN.onnx OUT.onnx: load, verify, save. A graph with problems is not written (exit 1, each
// problem named); the input model is never overwritten.
import { resolve } from 'node:path';
import { defaultOpset, loadModel, MIN_OPSET, saveModel } from '../../onnx/io.ts';
import { Graph } from '../../onnx/graph.ts';
import { verify } from '../../onnx/verify.ts';
import { EXIT, UsageError, type Io } from '../io.ts';

export function runConvert(input: string, output: string, io: Io): number {
  if (resolve(input) === resolve(output)) throw new UsageError('convert writes a new file: OUT must differ from IN (lithe never modifies an input model)');
  const model = loadModel(input);
  const problems = verify(Graph.fromModel(model), { opset: defaultOpset(model) ?? MIN_OPSET });
  if (problems.length) {
    for (const p of problems) io.out(`${input}: ${p.message}\n`);
    io.err(`${input}: not converted: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
    return EXIT.problems;
  }
  saveModel(model, output);
  io.out(`${output}: written\n`);
  return EXIT.ok;
}
