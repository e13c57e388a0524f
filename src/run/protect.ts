// What a run reads and must never write: the model, the teachers, the data and the recipe with the files it
// uses. Every file the run writes (its folder, the exports) is checked against this guard, through symlinks,
// `..` and hard links; exports over files that exist are refused unless the run wrote them or --force.
import type { Plan } from '../plan/types.ts';
import { InputGuard, refuseExisting } from '../util/guard.ts';
import { isFolder } from '../util/files.ts';

/** `recipe`: the recipe file; `used`: the files it brings in with `use`; `dataDir`: where synth sets live. */
export function guardFor(plan: Plan, recipe: string | undefined, used: readonly string[], dataDir: string): InputGuard {
  const g = new InputGuard();
  if (recipe) g.file(recipe, 'the recipe');
  for (const f of used) g.file(f, 'a file the recipe uses');
  if (plan.model?.path) g.file(plan.model.path, 'the input model');
  for (const [name, ref] of Object.entries(plan.teachers)) if (ref.path) g.file(ref.path, `the teacher '${name}'`);
  const d = plan.data;
  if (d) {
    const paths = [d.path, d.val, typeof d.images === 'string' ? d.images : undefined, d.format === 'synth' ? dataDir : undefined];
    for (const p of paths) if (p) (isFolder(p) ? g.tree(p, 'the data set') : g.file(p, 'the data set'));
  }
  return g;
}

/** The paths the plan's export steps write, each checked before anything runs. */
export function checkExports(plan: Plan, guard: InputGuard, writtenByRun: ReadonlySet<string>, force: boolean | undefined): void {
  for (const s of plan.steps) {
    const path = s.pass === 'export' ? (s.params.path as string | undefined) : undefined;
    if (!path) continue;
    guard.check(path, `export (step ${s.index}, line ${s.range.start.line})`);
    if (!writtenByRun.has(path)) refuseExisting(path, force);
  }
}
