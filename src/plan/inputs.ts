// The files a plan's run reads: the recipe and the files it uses, the model, the teachers and the data. No
// output may land on them; the checker (CMP3012) and `lithe run` ask the same guard.
import { InputGuard, type RealPath } from '../util/guard.ts';
import type { Plan } from './types.ts';

export interface InputSources {
  /** The recipe file. */
  recipe?: string;
  /** The files brought in by `use`: real path → the path shown in messages. */
  used?: ReadonlyMap<string, string>;
  /** Where `data synth` sets are generated (the run's, default data/). */
  dataDir?: string;
  /** Canonical paths (the checker's file host); the file system by default. */
  real?: RealPath;
}

export function planInputs(plan: Plan, src: InputSources): InputGuard {
  const g = new InputGuard(src.real);
  if (src.recipe) g.file(src.recipe, 'the recipe');
  for (const [real, shown] of src.used ?? []) g.file(real, `used file ${shown}`);
  if (plan.model?.path) g.file(plan.model.path, 'the input model');
  for (const [name, ref] of Object.entries(plan.teachers)) if (ref.path) g.file(ref.path, `teacher '${name}'`);
  const d = plan.data;
  if (d) {
    const paths = [d.path, d.val, typeof d.images === 'string' ? d.images : undefined, d.format === 'synth' ? src.dataDir ?? 'data' : undefined];
    for (const p of paths) if (p) g.path(p, 'the data set');
  }
  return g;
}
