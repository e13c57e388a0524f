// The export-format contract: metadata first (read by the checker and completion), then `write`, which loads
// its logic lazily. A format reads what it needs from the target profile (runtime, precisions, opset, op
// table, alignment), never from the target's name.
import type { ModelProto } from 'onnx-buf';
import type { PlanStep } from '../../../plan/types.ts';
import type { RunContext } from '../../../run/types.ts';
import type { Target } from '../../../targets/target.ts';

/** One file an export wrote: its path and what it is, for the run's report and the folder's README. */
export interface Written { path: string; what: string }

export interface ExportJob {
  model: ModelProto;
  step: PlanStep;
  ctx: RunContext;
  /** The recipe's target profile, when it names one. */
  target?: Target;
  /** Where to write: the file (`folder: false`) or the folder. */
  out: string;
}

export interface ExportResult { files: Written[]; details: Record<string, unknown> }

export interface ExportFormat {
  id: 'mslite' | 'onnx' | 'tensorrt';
  /** One line, for completion and hover. */
  summary: string;
  /** True when the format writes a folder rather than one file. */
  folder: boolean;
  /** The name written in the step's own run folder when the recipe gives no path. */
  defaultName: string;
  /** For a folder: the names it may write there, checked against the run's inputs before the run starts. */
  writes?: readonly string[];
  write(job: ExportJob): Promise<ExportResult>;
}
