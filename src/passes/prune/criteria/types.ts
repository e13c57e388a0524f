// An importance criterion: metadata (read by the language, the checker and hover) and one method,
// `score(group, ctx)`: one score per channel of the group, higher = more important. Only types are imported
// here, so the checker loads no runtime; data-driven criteria import onnxruntime when they score.
import type { ModelProto } from 'onnx-buf';
import type { Graph } from '../../../onnx/graph.ts';
import type { Batch } from '../../../data/batches.ts';
import type { PruneGroup } from '../dependency/types.ts';

/** What criteria may read. Calibration data is only what the recipe's `data` gives: absent otherwise. */
export interface ScoreContext {
  model: ModelProto;
  /** The model's graph, which the groups were computed on (read only). */
  graph: Graph;
  opset: number;
  /** Every group being scored: a data-driven criterion measures all of them in one pass over the data. */
  groups: readonly PruneGroup[];
  /** Calibration batches (inputs and targets, from a DetectionLoader); empty without data. */
  batches: readonly Batch[];
  threads: number;
  seed: number;
  /** Progressive pruning: this step (from 0) of `iterations`. */
  iteration: number;
  iterations: number;
  /** A float32 weight of the model by name (read once, cached). */
  weights(name: string): Float32Array;
  /** A result shared by all groups (activation statistics, gradients), computed on first use. */
  memo<T>(key: string, make: () => Promise<T>): Promise<T>;
}

export interface Criterion {
  id: string;
  summary: string;
  /** Scores come from activations or gradients on data, so the recipe must declare `data`. */
  needsData: boolean;
  /** Scores come from the detection loss, so the images need boxes (not `data images`) and a decodable head. */
  needsLabels?: boolean;
  /** Scores are on one scale across layers, so global ranking compares them as they are (others are divided
   * by their group's mean first). */
  comparable: boolean;
  score(group: PruneGroup, ctx: ScoreContext): Promise<Float32Array>;
}
