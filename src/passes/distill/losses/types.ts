// A distillation loss: a piece of the training graph, added to the detection loss with its weight. Each
// reads the student's values by name and the teacher's as tensors fed each step (the same images through
// the frozen teacher), so nothing flows back into the teacher.
import type { LossBuilder } from '../../../train/graph.ts';
import type { InputSize } from '../../../data/size.ts';
import type { HeadGeometry } from '../../../train/loss/yolo-targets.ts';

/** A student feature map and the teacher's it is compared with, as the training graph sees them. */
export interface Pair {
  /** The student's value (a map of the training graph). */
  student: string;
  /** The teacher's map, fed each step. */
  teacher: string;
  /** Shapes at the training batch, [batch, channels, height, width]; the channels may differ. */
  studentShape: number[];
  teacherShape: number[];
}

export interface LossContext {
  b: LossBuilder;
  /** The student's detection heads (the teacher's have the same layout: checked before training). */
  heads: HeadGeometry[];
  pairs: Pair[];
  /** The teacher's output for the student's head output `output`, fed each step (same shape). */
  teacher(output: string): string;
  temperature: number;
  batch: number;
  /** The input size, height × width, pixels. */
  size: InputSize;
  /** Seeded random numbers in [0, 1), for the initial values of a loss's own weights (adapters). */
  random(): number;
}

export interface Loss {
  id: string;
  summary: string;
  /** The default weight (`weight ID X` overrides), and why it is that. */
  weight: number;
  /** What the loss reads of the teacher: its head outputs, the paired feature maps, or both. */
  needs: readonly ('heads' | 'features')[];
  /** Adds the loss's nodes; returns its scalar value, unweighted. */
  build(ctx: LossContext): string;
}
