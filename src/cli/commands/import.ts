// lithe import darknet FILE.cfg [FILE.weights] [--size N] [--classes K] -o OUT.onnx
import { parseCfg } from '../../darknet/cfg.ts';
import { importDarknet } from '../../darknet/import.ts';
import { saveModel } from '../../onnx/io.ts';
import { EXIT, UsageError, type Io } from '../io.ts';
import { wholeFlag } from '../flags.ts';
import { readInput } from '../read.ts';
import { InputGuard, refuseExisting } from '../../util/guard.ts';

export function runImport(args: string[], flags: { size?: string; classes?: string; out?: string; force?: boolean }, io: Io): number {
  const [format, cfgPath, weightsPath, ...extra] = args;
  if (format !== 'darknet') throw new UsageError(`import reads darknet models: lithe import darknet FILE.cfg [FILE.weights] -o OUT.onnx`);
  if (!cfgPath || extra.length) throw new UsageError('import darknet takes FILE.cfg and optionally FILE.weights');
  if (!flags.out) throw new UsageError('import needs -o OUT.onnx');
  const guard = new InputGuard().file(cfgPath, 'the darknet cfg');
  if (weightsPath) guard.file(weightsPath, 'the darknet weights');
  guard.check(flags.out, '-o');
  refuseExisting(flags.out, flags.force);
  const opts = { size: wholeFlag(flags.size, '--size'), classes: wholeFlag(flags.classes, '--classes') };
  const cfg = parseCfg(readInput(cfgPath).toString('utf8'), cfgPath);
  const model = importDarknet(cfg, cfgPath, { ...opts, ...(weightsPath ? { weights: readInput(weightsPath), weightsFile: weightsPath } : {}) });
  saveModel(model, flags.out);
  io.out(`${flags.out}: written${weightsPath ? '' : ' (no .weights given: seeded initial weights)'}\n`);
  return EXIT.ok;
}
