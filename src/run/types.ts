// What `lithe run` hands a pass: the current model, the plan, the data, and the run's services. A pass
// returns the model after its step (never editing the one it was given) and what it wants in the report.
import type { ModelProto } from 'onnx-buf';
import type { CocoSet } from '../data/coco.ts';
import type { Batch } from '../data/batches.ts';
import type { InputSize } from '../data/size.ts';
import type { Plan, PlanStep } from '../plan/types.ts';
import type { SelectorJson } from '../plan/selector.ts';
import { LitheError } from '../errors.ts';

export interface Measures {
  params: number;
  macs: number;
  /** Bytes of the ONNX file. */
  bytes: number;
  /** COCO mAP@.5:.95 and mAP@.5 on the val split (absent without data). */
  map?: number;
  map50?: number;
  /** Median latency at batch 1, by thread count. */
  latency_ms?: Record<string, number>;
  /** Latency predicted by a target's latency model, by target name (batch 1; compared in report.html with the
   *  measured latency at 1 thread). Absent until a latency model fills it. */
  predicted_latency_ms?: Record<string, number>;
  /** How each of those medians was measured (runs, p90, CPU time, load), by thread count. */
  latency_stats?: Record<string, LatencyStats>;
}

/** The figures beside a median that let a reader judge it (runtime/latency.ts). */
export interface LatencyStats { p90_ms: number; min_ms: number; runs: number; warmup: number; cpu_ms: number; load: [number, number] }

export interface RunData {
  train: CocoSet;
  val: CocoSet;
  /** `count` letterboxed images of the train split in a fixed order, in batches of `batch`, with targets, at
   *  `size` (height x width, or a square side). */
  calibration(count: number, size: number | InputSize, batch: number): Batch[];
}

export interface RunContext {
  plan: Plan;
  /** The model before the first step: the default teacher, and what `map drop` is measured against. */
  input: ModelProto;
  /** The step's own folder, for checkpoints (resume) and scratch files. */
  dir: string;
  threads: number;
  seed: number;
  /** The model's input size, height x width (fixed by preparation; non-square where the model is). */
  size(model: ModelProto): InputSize;
  /** Names of the nodes a selector names in `model`. */
  select(selector: SelectorJson, model: ModelProto): Set<string>;
  /** A teacher by name: a declared `teacher`, or, for `teacher` when none is declared, the input model. */
  teacher(name: string): ModelProto;
  /** The plan's data set; a clear error when the recipe declares none. */
  data(): RunData;
  measure(model: ModelProto, what?: readonly ('map' | 'latency')[]): Promise<Measures>;
  log(line: string): void;
  /** How far a long step has got (a line every few seconds, for the terminal; not in run.log). */
  progress?(line: string): void;
  /** True once the user asked the run to stop (Ctrl-C): long steps checkpoint and throw. */
  stopRequested(): boolean;
  /** Checks a path outside the run folder the step is about to write (never over the model, a teacher, the data
   *  or the recipe) and records it as the run's own. */
  checkOutput(path: string): void;
  /** The step's time so far; a step resumed from a checkpoint sets it to the time the checkpoint recorded. */
  clock: StepClock;
}

/** A step's wall time, which a resumed step continues rather than restarts, so its report equals an uninterrupted run's. */
export class StepClock {
  private t0 = performance.now();
  /** Seconds since the step started (across interruptions, once resumed). */
  elapsed(): number { return (performance.now() - this.t0) / 1000; }
  /** Continues from a checkpoint taken `seconds` into the step. */
  resumeAt(seconds: number): void { this.t0 = performance.now() - seconds * 1000; }
}

export interface StepOutcome {
  model: ModelProto;
  /** Step-specific facts for the report (channels per layer, calibration ranges, losses, ...). */
  details?: Record<string, unknown>;
  /** Measures the step took itself (eval), so the run does not repeat them. */
  measures?: Measures;
}

export type PassRun = (step: PlanStep, ctx: RunContext, model: ModelProto) => Promise<StepOutcome>;

export class RunError extends LitheError {
  override name = 'RunError';
}
