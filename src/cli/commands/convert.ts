// lithe convert IN.onnx OUT.onnx [--half-weights] [--profile NAME]: load, verify, save. A graph with problems
// is not written (exit 1, each problem named); the input model is never overwritten. --half-weights stores
// the weights as float16 behind Casts (half the file, a float32 model still: onnx/storage.ts); --profile
// records the stdlib profile whose scopes (backbone, neck, head) recipes on this model mean.
import { InputGuard, refuseExisting } from '../../util/guard.ts';
import { defaultOpset, loadModel, MIN_OPSET, saveModel } from '../../onnx/io.ts';
import { Graph } from '../../onnx/graph.ts';
import { verify } from '../../onnx/verify.ts';
import { storeHalf } from '../../onnx/storage.ts';
import { setMetadata } from '../../onnx/make.ts';
import { stdlibNames } from '../../plan/sources.ts';
import { unknownMessage } from '../../plan/suggest.ts';
import { EXIT, UsageError, type Io } from '../io.ts';

export interface ConvertFlags { halfWeights?: boolean; profile?: string; force?: boolean }

export function runConvert(input: string, output: string, io: Io, flags: ConvertFlags = {}): number {
  new InputGuard().file(input, 'the input model').check(output, 'OUT');
  refuseExisting(output, flags.force);
  if (flags.profile !== undefined && !stdlibNames().includes(flags.profile)) throw new UsageError(unknownMessage('stdlib profile', flags.profile, stdlibNames()).message);
  const model = loadModel(input);
  const problems = verify(Graph.fromModel(model), { opset: defaultOpset(model) ?? MIN_OPSET });
  if (problems.length) {
    for (const p of problems) io.out(`${input}: ${p.message}\n`);
    io.err(`${input}: not converted: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
    return EXIT.problems;
  }
  if (flags.profile) setMetadata(model, 'lithe.profile', flags.profile);
  saveModel(flags.halfWeights ? storeHalf(model) : model, output);
  io.out(`${output}: written\n`);
  return EXIT.ok;
}
