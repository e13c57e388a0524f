// lithe zoo list | lithe zoo build NAME [--size N] [--classes K] [--seed S] -o OUT.onnx
import { saveModel } from '../../onnx/io.ts';
import { setMetadata } from '../../onnx/make.ts';
import { zoo, zooByName } from '../../zoo/registry.ts';
import { unknownMessage } from '../../plan/suggest.ts';
import { EXIT, UsageError, type Io } from '../io.ts';
import { wholeFlag } from '../flags.ts';
import { refuseExisting } from '../../util/guard.ts';


export function runZoo(args: string[], flags: { size?: string; classes?: string; seed?: string; out?: string; force?: boolean }, io: Io): number {
  const [verb, name, ...extra] = args;
  if (verb === 'list' && !name) {
    for (const m of zoo) io.out(`${m.name.padEnd(14)}${m.summary}\n`);
    return EXIT.ok;
  }
  if (verb !== 'build' || !name || extra.length) throw new UsageError('usage: lithe zoo list | lithe zoo build NAME -o OUT.onnx');
  const m = zooByName.get(name);
  if (!m) throw new UsageError(unknownMessage('zoo model', name, zoo.map((z) => z.name)).message);
  if (!flags.out) throw new UsageError('zoo build needs -o OUT.onnx');
  refuseExisting(flags.out, flags.force);
  const model = m.build({ size: wholeFlag(flags.size, '--size'), classes: wholeFlag(flags.classes, '--classes'), seed: wholeFlag(flags.seed, '--seed') });
  setMetadata(model, 'lithe.profile', m.profile);
  saveModel(model, flags.out);
  io.out(`${flags.out}: ${m.name} written (seeded initial weights; scopes in stdlib/${m.profile}.cmp)\n`);
  return EXIT.ok;
}
