// lithe target calibrate [--from NAME] [--out FILE] [--runs N] [--rounds N]: times micro-benchmarks on this CPU and writes
// a target profile: the profile NAME (x86 unless told) with its `latency` block replaced by the fitted one,
// and named after FILE (`targets/mycpu.yaml` is target `mycpu`). Without --out the profile goes to stdout.
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
import { calibrate } from '../../latency/calibrate.ts';
import { listTargets, loadTarget, targetsDir } from '../../targets/load.ts';
import { unknownMessage } from '../../plan/suggest.ts';
import { readText, writeAtomic } from '../../util/files.ts';
import { refuseExisting } from '../../util/guard.ts';
import { EXIT, UsageError, type Io } from '../io.ts';
import { wholeFlag } from '../flags.ts';

export async function runTarget(args: string[], flags: { from?: string; out?: string; runs?: string; rounds?: string; force?: boolean }, io: Io): Promise<number> {
  if (args.length !== 1 || args[0] !== 'calibrate') throw new UsageError('usage: lithe target calibrate [--from NAME] [--out FILE]');
  const from = flags.from ?? 'x86';
  if (!listTargets().includes(from)) throw new UsageError(`--from: ${unknownMessage('target', from, listTargets()).message}`);
  const base = loadTarget(from);
  const name = flags.out ? basename(flags.out).replace(/\.ya?ml$/, '') : from;
  if (flags.out && !/^[a-z0-9][a-z0-9_-]*\.yaml$/.test(basename(flags.out))) throw new UsageError(`--out ${flags.out}: a profile is named NAME.yaml, NAME in lower case letters, digits, - and _`);
  if (flags.out) refuseExisting(flags.out, flags.force);
  const factors = await calibrate(base, { runs: wholeFlag(flags.runs, '--runs'), rounds: wholeFlag(flags.rounds, '--rounds'), say: (l) => io.err(`${l}\n`) });
  const doc = parseDocument(readText(join(targetsDir(), `${from}.yaml`)));
  doc.set('name', name);
  doc.set('latency', doc.createNode(factors));
  const text = doc.toString({ lineWidth: 110 });
  if (flags.out) {
    writeAtomic(flags.out, text);
    io.out(`${flags.out}: target '${name}' with latency factors fitted on this CPU\n`);
  } else io.out(text);
  return EXIT.ok;
}
