// lithe data synth --out DIR [--seed N] [--train N] [--val N] [--size N]
import { generateSynth, SYNTH_DEFAULTS } from '../../data/synth/generate.ts';
import { EXIT, UsageError, type Io } from '../io.ts';
import { wholeFlag } from '../flags.ts';

export function runData(args: string[], flags: { out?: string; seed?: string; train?: string; val?: string; size?: string }, io: Io): number {
  if (args[0] !== 'synth' || args.length !== 1) throw new UsageError('usage: lithe data synth --out DIR [--seed N] [--train N] [--val N] [--size N]');
  if (!flags.out) throw new UsageError('data synth needs --out DIR');
  const t0 = performance.now();
  const r = generateSynth({
    out: flags.out, seed: wholeFlag(flags.seed, '--seed', 0), train: wholeFlag(flags.train, '--train', 0),
    val: wholeFlag(flags.val, '--val', 0), size: wholeFlag(flags.size, '--size', 64),
  });
  io.out(`${flags.out}: ${r.train} train and ${r.val} val images, ${r.annotations} objects, in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  return EXIT.ok;
}
