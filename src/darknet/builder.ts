// The importer's state as layers are added: each darknet layer's output value and channel count, and the
// nodes, initializers and [yolo] heads made so far. A layer is one function (layers/), given the builder.
import type { NodeProto, TensorProto } from 'onnx-buf';
import type { Cfg, Opts, Section } from './cfg.ts';
import type { WeightReader } from './weights.ts';

export interface ImportOptions {
  /** Input width and height; the cfg's [net] width by default. */
  size?: number;
  /** Number of classes; the cfg's by default (the output convs' filters follow). */
  classes?: number;
  /** The .weights file's bytes; a seeded initialisation without them. */
  weights?: Uint8Array;
  weightsFile?: string;
  seed?: number;
}

/** A [yolo] layer as the `lithe.yolo` metadata records it (src/metrics/decode/yolo.ts reads it). */
export interface YoloHead {
  layer: number; output: string; mask: number[]; anchors: number[]; classes: number;
  /** darknet's scale_x_y, when not 1: centre = s·sigmoid(t) − (s − 1)/2. */
  scaleXY?: number;
  /** darknet's new_coords=1: the map is already activated (logistic in the conv); sizes are (2v)²·anchor. */
  newCoords?: boolean;
}

export const pad3 = (i: number): string => String(i).padStart(3, '0');
/** The name prefix of darknet layer i's nodes. */
export const prefix = (i: number): string => `layers.${pad3(i)}`;

export class Builder {
  readonly nodes: NodeProto[] = [];
  readonly inits: TensorProto[] = [];
  readonly channels: number[] = [];
  readonly yolo: YoloHead[] = [];

  constructor(readonly file: string, readonly weights: WeightReader) {}

  /** The output value of layer i; -1 is the image. */
  out(i: number): string { return i < 0 ? 'images' : `${prefix(i)}.out`; }

  /** Channels of layer i's output; the image has 3. */
  ch(i: number): number { return i < 0 ? 3 : this.channels[i]!; }
}

/** One darknet layer kind: adds layer i's nodes and returns its output channels. */
export type LayerFn = (b: Builder, i: number, o: Opts, s: Section, cfg: Cfg, opts: ImportOptions) => number;
