/** A lightweight block that can stand in for a standard convolution. */
import type { Act } from '../act.ts';
import type { Emitter } from '../emit.ts';
import type { Layer } from '../layers.ts';

export interface BlockOptions {
  /** Depthwise kernel size. */
  kernel: number;
  /** Expansion ratio (mbconv). */
  expand: number;
  /** Squeeze-excitation ratio of the expanded channels (mbconv); absent: no SE. */
  se?: number;
  /** The activation inside the block. */
  act: Act;
}

export interface Block {
  id: string;
  summary: string;
  /** Parameters of the block's convolutions by the published formula (BN apart; SE counts its biases). */
  convWeights(cin: number, cout: number, o: BlockOptions): number;
  /** Adds the block in place of `layer` (its input in, a value of the layer's shape out), started from the
   * layer's weights (fitted to its outputs where `moments`, its input windows' second moments, are given;
   * factor.ts); returns the block's output. */
  build(e: Emitter, layer: Layer, o: BlockOptions, moments?: readonly Float64Array[]): string;
}
