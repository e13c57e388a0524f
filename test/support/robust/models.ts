// The reliability corpus of ONNX models: every mutant (models/, generated here from small valid models,
// never checked in) run through `lithe info` and `lithe convert`. A corrupt model must be refused with a
// named error; in every case the input file is left as it was, convert writes nothing it could not verify,
// and no output shows the secret that external data may try to reach. Harmless variants must succeed.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeModel } from '../../../src/onnx/io.ts';
import { BASES } from './models/bases.ts';
import { tensorMutants } from './models/tensors.ts';
import { opMutants } from './models/ops.ts';
import { attributeMutants } from './models/attributes.ts';
import { graphMutants } from './models/graph.ts';
import { headerMutants } from './models/header.ts';
import { byteMutants } from './models/bytes.ts';
import { externalMutants, externalOk, SECRET } from './models/external.ts';
import { metadataMutants } from './models/metadata.ts';
import { harmless } from './models/harmless.ts';
import type { Mutant } from './models/types.ts';
import type { Outcome, RobustCase } from './types.ts';

export type { Mutant };

/** Every corrupt model of the corpus. */
export const corruptModels: readonly Mutant[] = [
  ...tensorMutants, ...opMutants, ...attributeMutants, ...graphMutants, ...headerMutants, ...byteMutants, ...externalMutants, ...metadataMutants,
];
/** Every valid variant. */
export const validModels: readonly Mutant[] = [...harmless, ...externalOk];

/** Where a case puts its model, inside its own folder: `DIR/model/m.onnx` (external data beside it). */
export const modelPath = (dir: string): string => join(dir, 'model', 'm.onnx');

/** Writes the mutant's model (and its external files) into `dir`; returns the bytes written. */
export function writeMutant(mutant: Mutant, dir: string): Uint8Array {
  const folder = join(dir, 'model');
  mkdirSync(folder, { recursive: true });
  const m = BASES[mutant.base]();
  mutant.mutate?.(m, folder, dir);
  const bytes = mutant.bytes ? mutant.bytes(encodeModel(m)) : encodeModel(m);
  writeFileSync(modelPath(dir), bytes);
  return bytes;
}

const written = new Map<string, Uint8Array>();

/** What went wrong beyond the exit code, in words; undefined when all is well. */
function check(dir: string, o: Outcome, command: 'info' | 'convert', expect: 'fail' | 'ok'): string | undefined {
  const before = written.get(dir);
  if (before && !readFileSync(modelPath(dir)).equals(before)) return 'the input model changed';
  if (`${o.out}${o.err}`.includes(SECRET)) return 'the output shows the secret outside the model\'s folder';
  if (command !== 'convert') return undefined;
  const out = join(dir, 'out.onnx');
  const temps = readdirSync(dir).filter((f) => f.includes('.lithe-tmp-'));
  if (temps.length) return `a temporary was left behind: ${temps.join(', ')}`;
  if (expect === 'fail' && existsSync(out)) return 'convert wrote a model it should have refused';
  if (expect === 'ok' && !existsSync(out)) return 'convert wrote nothing';
  if (existsSync(out) && readFileSync(out).includes(SECRET)) return 'convert wrote the secret into its output';
  return undefined;
}

function caseOf(mutant: Mutant, command: 'info' | 'convert', expect: 'fail' | 'ok'): RobustCase {
  return {
    kind: 'model', name: `${command}: ${mutant.name}`, expect, subprocess: mutant.subprocess,
    setup(dir) {
      written.set(dir, writeMutant(mutant, dir));
      return command === 'info' ? ['info', modelPath(dir)] : ['convert', modelPath(dir), join(dir, 'out.onnx')];
    },
    verify: (dir, o) => check(dir, o, command, expect),
  };
}

export const modelCases: RobustCase[] = [
  ...corruptModels.flatMap((m) => [caseOf(m, 'info', 'fail'), caseOf(m, 'convert', 'fail')]),
  ...validModels.flatMap((m) => [caseOf(m, 'info', 'ok'), caseOf(m, 'convert', 'ok')]),
];
