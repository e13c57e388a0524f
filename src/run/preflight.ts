// Before the first step of a run: the model as loaded, checked against the op table of each `export
// tensorrt` step's toolchain (CMP4014), so that a node TensorRT cannot import stops the run before hours of
// training rather than at its end. lithe's passes bring only ops the tables take (Q/DQ, the replace blocks'
// convolutions and activations), so what the input model lacks now, the exported model would lack too.
import type { ModelProto } from 'onnx-buf';
import { Graph } from '../onnx/graph.ts';
import type { Plan } from '../plan/types.ts';
import { loadTarget } from '../targets/load.ts';
import { checkOps, describeFinding, loadOpTable } from '../targets/ops.ts';

const SHOWN = 10;

/** For each `export mslite` step: the ops of the model as loaded that the target's NPU does not run (they
 *  would fall back to the CPU), counted by op, so the recipe can still `fuse` or replace them. */
export function exportNotes(plan: Plan, input: ModelProto): string[] {
  const steps = plan.steps.filter((s) => s.pass === 'export' && s.params.format === 'mslite');
  if (!steps.length) return [];
  const target = plan.target ? loadTarget(plan.target.name) : undefined;
  const ops = target?.export.format === 'mslite' && target.ops ? target.ops : { table: 'kirin-npu.yaml', unlisted: 'cpu' as const };
  const table = loadOpTable(ops.table);
  const found = checkOps(Graph.fromModel(input), table, ops.unlisted);
  if (!found.length) return [];
  const counts = new Map<string, number>();
  for (const f of found) counts.set(f.op, (counts.get(f.op) ?? 0) + 1);
  const byOp = [...counts].map(([op, n]) => `${n} ${op}`).join(', ');
  return steps.map((s) => `step ${s.index} (export, line ${s.range.start.line}): ${table.name} does not run ${found.length} node${found.length > 1 ? 's' : ''} of the model as loaded (${byOp}); they fall back to the CPU unless a step removes them (fuse folds BatchNormalization)`);
}

/** One paragraph per export step the model cannot pass, naming the step, its line and the nodes. */
export function exportProblems(plan: Plan, input: ModelProto): string[] {
  const steps = plan.steps.filter((s) => s.pass === 'export' && s.params.format === 'tensorrt');
  if (!steps.length) return [];
  const target = plan.target ? loadTarget(plan.target.name) : undefined;
  const own = target?.export.format === 'tensorrt' && target.ops ? target.ops : { table: 'tensorrt-8.2.yaml', unlisted: 'error' as const };
  const table = loadOpTable(own.table);
  const found = checkOps(Graph.fromModel(input), table, 'error').map(describeFinding);
  if (!found.length) return [];
  const lines = [...found.slice(0, SHOWN), ...(found.length > SHOWN ? [`... and ${found.length - SHOWN} more`] : [])];
  return steps.map((s) => [`step ${s.index} (export, line ${s.range.start.line}): CMP4014: ${table.name} cannot import ${found.length} node${found.length > 1 ? 's' : ''} of the model:`, ...lines.map((l) => `  ${l}`)].join('\n'));
}
