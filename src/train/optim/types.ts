// Optimizers update weights in place from their gradients, in TypeScript: even 60 M weights take
// milliseconds, next to seconds for a step in onnxruntime. Their state (momentum, moments) is checkpointed.

export interface Weights { values: Map<string, Float32Array>; grads: Map<string, Float32Array> }

export interface Optimizer {
  readonly id: string;
  /** One update with learning rate `lr`. Weight decay applies to the names `decays` accepts. */
  step(w: Weights, lr: number): void;
  state(): Record<string, Float32Array>;
  load(state: Record<string, Float32Array>): void;
}

/** Decay convolution and linear weights, not biases or BatchNorm's scale and shift (as YOLO trainers do). */
export const decaysByRank = (shapes: Map<string, number[]>) => (name: string) => (shapes.get(name)?.length ?? 0) >= 2;
