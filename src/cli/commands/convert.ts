// lithe convert IN.onnx OUT.onnx [--opset N] [--half-weights] [--profile NAME] [--force]: load, verify, save. A model with
// problems is not written (exit 1, each problem named); neither is one onnxruntime would refuse to load (the
// verifier's backstop: the bytes about to be written are loaded in onnxruntime first). OUT never lands on
// the input model or its external data, and an existing OUT is replaced only with --force. --half-weights
// stores the weights as float16 behind Casts (half the file, a float32 model still: onnx/storage.ts);
// --profile records the stdlib profile whose scopes (backbone, neck, head) recipes on this model mean.
// --opset N upgrades a model of an older opset to N (onnx/upgrade/; 13 is the one lithe writes); without it
// the model is written at its own opset, as it was read.
import { InputGuard, refuseExisting } from '../../util/guard.ts';
import { defaultOpset, externalFilesOf, InvalidModelError, loadModel, MIN_OPSET, saveModel, upgradeNotesOf } from '../../onnx/io.ts';
import { UPGRADE_MAX } from '../../onnx/upgrade/index.ts';
import { verifyModel, type GraphProblem } from '../../onnx/verify.ts';
import { storeHalf } from '../../onnx/storage.ts';
import { setMetadata } from '../../onnx/make.ts';
import { createSession, RuntimeError } from '../../runtime/session.ts';
import { stdlibNames } from '../../plan/sources.ts';
import { unknownMessage } from '../../plan/suggest.ts';
import { EXIT, LitheError } from '../../errors.ts';
import { UsageError, type Io } from '../io.ts';

export interface ConvertFlags { halfWeights?: boolean; profile?: string; force?: boolean; opset?: string }

/** --opset's value: an opset lithe can upgrade to. */
function targetOpset(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < MIN_OPSET || n > UPGRADE_MAX) throw new UsageError(`--opset must be a whole number from ${MIN_OPSET} to ${UPGRADE_MAX}, not '${text}'`);
  return n;
}

function refuse(input: string, problems: GraphProblem[], io: Io): number {
  for (const p of problems) io.out(`${input}: ${p.message}\n`);
  io.err(`${input}: not converted: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
  return EXIT.problems;
}

export async function runConvert(input: string, output: string, io: Io, flags: ConvertFlags = {}): Promise<number> {
  const guard = new InputGuard().file(input, 'the input model');
  guard.check(output, 'OUT');
  refuseExisting(output, flags.force);
  if (flags.profile !== undefined && !stdlibNames().includes(flags.profile)) throw new UsageError(unknownMessage('stdlib profile', flags.profile, stdlibNames()).message);
  const opset = targetOpset(flags.opset);
  let model;
  try {
    model = loadModel(input, { opset });
  } catch (e) {
    if (!(e instanceof InvalidModelError)) throw e;
    return refuse(input, e.problems, io);
  }
  const at = defaultOpset(model);
  if (opset !== undefined && at !== undefined && at > opset) throw new LitheError(`${input}: the model is at opset ${at}, newer than --opset ${opset}; lithe does not downgrade models`, EXIT.usage);
  for (const note of upgradeNotesOf(model)) io.out(`${input}: upgraded: ${note}\n`);
  for (const f of externalFilesOf(model)) guard.file(f, 'the input model\'s external data');
  guard.check(output, 'OUT');
  if (flags.profile) setMetadata(model, 'lithe.profile', flags.profile);
  const out = flags.halfWeights ? storeHalf(model) : model;
  const problems = verifyModel(out, defaultOpset(out)); // what is written is verified too, not only what was read
  if (problems.length) return refuse(input, problems, io);
  try {
    const session = await createSession(out, { optimization: 'disabled', quiet: true });
    await session.release();
  } catch (e) {
    if (!(e instanceof RuntimeError)) throw e;
    throw new LitheError(`${input}: not converted: ${e.message}`, EXIT.problems);
  }
  saveModel(out, output);
  io.out(`${output}: written\n`);
  return EXIT.ok;
}
