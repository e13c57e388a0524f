/** A model the zoo builds: an architecture with seeded initial weights, and the stdlib profile of its scopes. */
export interface ZooModel {
  name: string;
  summary: string;
  /** The stdlib profile (`stdlib/NAME.cmp`) that defines its backbone, neck and head. */
  profile: string;
  defaultSize: number;
  /** The input side must be a multiple of it, so every downsampling halves the map exactly (size.ts checks). */
  stride: number;
  build(opts: { size?: number; classes?: number; seed?: number }): import('onnx-buf').ModelProto;
}
