// lithe zoo list | lithe zoo build NAME [--size N] [--classes K] [--seed S] -o OUT.onnx
import { saveModel } from '../../onnx/io.ts';
import { setMetadata } from '../../onnx/make.ts';
import { zoo, zooByName } from '../../zoo/registry.ts';
import { unknownMessage } from '../../plan/suggest.ts';
import { EXIT, UsageError, type Io } from '../io.ts';

const whole = (v: string | undefined, flag: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} expects a positive whole number`);
  return n;
};

export function runZoo(args: string[], flags: { size?: string; classes?: string; seed?: string; out?: string }, io: Io): number {
  const [verb, name, ...extra] = args;
  if (verb === 'list' && !name) {
    for (const m of zoo) io.out(`${m.name.padEnd(14)}${m.summary}\n`);
    return EXIT.ok;
  }
  if (verb !== 'build' || !name || extra.length) throw new UsageError('usage: lithe zoo list | lithe zoo build NAME -o OUT.onnx');
  const m = zooByName.get(name);
  if (!m) throw new UsageError(unknownMessage('zoo model', name, zoo.map((z) => z.name)).message);
  if (!flags.out) throw new UsageError('zoo build needs -o OUT.onnx');
  const model = m.build({ size: whole(flags.size, '--size'), classes: whole(flags.classes, '--classes'), seed: whole(flags.seed, '--seed') });
  setMetadata(model, 'lithe.profile', m.profile);
  saveModel(model, flags.out);
  io.out(`${flags.out}: ${m.name} written (seeded initial weights; scopes in stdlib/${m.profile}.cmp)\n`);
  return EXIT.ok;
}
