// Before the first step of a run (and in `lithe explain`): the model as loaded, checked against the op table
// of each tensorrt or mslite export's toolchain. A node TensorRT cannot import stops the run (CMP4014) before
// hours of training rather than at its end; for the Kirin NPU the run says which ops would fall back to the
// CPU while a `fuse` can still fold them. lithe's passes bring only ops the tables take (Q/DQ, the replace
// blocks' convolutions and activations), so what the input model lacks now, the exported model would lack too.
import type { ModelProto } from 'onnx-buf';
import { Graph } from '../onnx/graph.ts';
import type { Plan, PlanStep } from '../plan/types.ts';
import { loadTarget } from '../targets/load.ts';
import { checkOps, describeFinding, loadOpTable, type OpFinding, type OpTable } from '../targets/ops.ts';

const SHOWN = 10;
/** The table each folder format checks against when the recipe's target is not one of its own. */
const DEFAULTS: Record<string, { table: string; unlisted: 'error' | 'cpu' }> = {
  mslite: { table: 'kirin-npu.yaml', unlisted: 'cpu' },
  tensorrt: { table: 'tensorrt-8.2.yaml', unlisted: 'error' },
};

interface Checked { step: PlanStep; format: string; table: OpTable; found: OpFinding[] }

function checked(plan: Plan, input: ModelProto): Checked[] {
  const steps = plan.steps.filter((s) => s.pass === 'export' && String(s.params.format) in DEFAULTS);
  if (!steps.length) return [];
  const target = plan.target ? loadTarget(plan.target.name) : undefined;
  const g = Graph.fromModel(input);
  return steps.map((step) => {
    const format = String(step.params.format);
    const ops = target?.export.format === format && target.ops ? target.ops : DEFAULTS[format]!;
    const table = loadOpTable(ops.table);
    return { step, format, table, found: checkOps(g, table, ops.unlisted) };
  });
}

const where = (s: PlanStep) => `step ${s.index} (export, line ${s.range.start.line})`;
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

function refusal(c: Checked): string {
  const lines = c.found.map(describeFinding);
  const shown = [...lines.slice(0, SHOWN), ...(lines.length > SHOWN ? [`... and ${lines.length - SHOWN} more`] : [])];
  return [`CMP4014: ${c.table.name} cannot import ${plural(lines.length, 'node')} of the model:`, ...shown.map((l) => `  ${l}`)].join('\n');
}

function fallback(c: Checked): string {
  const counts = new Map<string, number>();
  for (const f of c.found) counts.set(f.op, (counts.get(f.op) ?? 0) + 1);
  const byOp = [...counts].map(([op, n]) => `${n} ${op}`).join(', ');
  return `${c.table.name} does not run ${plural(c.found.length, 'node')} of the model as loaded (${byOp}); they fall back to the CPU unless a step removes them (fuse folds BatchNormalization)`;
}

/** One paragraph per `export tensorrt` step the model cannot pass, naming the step, its line and the nodes. */
export function exportProblems(plan: Plan, input: ModelProto): string[] {
  return checked(plan, input).filter((c) => c.format === 'tensorrt' && c.found.length).map((c) => `${where(c.step)}: ${refusal(c)}`);
}

/** For each `export mslite` step: the ops of the model as loaded that the NPU does not run, counted by op. */
export function exportNotes(plan: Plan, input: ModelProto): string[] {
  return checked(plan, input).filter((c) => c.format === 'mslite' && c.found.length).map((c) => `${where(c.step)}: ${fallback(c)}`);
}

/** What `lithe explain` says under each tensorrt or mslite export step. */
export function exportLines(plan: Plan, input: ModelProto): Map<number, string[]> {
  return new Map(checked(plan, input).map((c) => [c.step.index, c.found.length
    ? (c.format === 'tensorrt' ? refusal(c) : fallback(c)).split('\n').map((l, i) => (i ? `  ${l}` : `ops     ${l}`))
    : [`ops     all ${c.format === 'tensorrt' ? 'accepted' : 'run'} by ${c.table.name} (${c.table.source})`]]));
}
