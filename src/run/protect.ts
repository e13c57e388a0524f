// The paths a run's export steps write, each checked before anything runs: never over an input (the guard of
// plan/inputs.ts: the model, teachers, data, recipe), and never over an existing file this run did not write
// unless --force.
import type { Plan } from '../plan/types.ts';
import { refuseExisting, type InputGuard } from '../util/guard.ts';
import { exportPaths } from '../passes/export/formats/index.ts';

export function checkExports(plan: Plan, guard: InputGuard, writtenByRun: ReadonlySet<string>, force: boolean | undefined): void {
  for (const s of plan.steps) {
    const path = s.pass === 'export' ? (s.params.path as string | undefined) : undefined;
    if (!path) continue;
    for (const p of exportPaths(s.params.format, path)) guard.check(p, `export (step ${s.index}, line ${s.range.start.line})`);
    if (!writtenByRun.has(path)) refuseExisting(path, force);
  }
}
