// A corrupted (or harmless) variant of a small valid model: the reliability corpus of ONNX files.
import type { ModelProto } from 'onnx-buf';

export type BaseName = 'net' | 'yolo' | 'ssd';

export interface Mutant {
  /** Says what is wrong (or, for a harmless one, what differs). */
  name: string;
  base: BaseName;
  /** Changes the decoded model; `dir` is the model's folder (for external data files), `root` the case's. */
  mutate?(m: ModelProto, dir: string, root: string): void;
  /** Changes the encoded bytes (truncation, a corrupt tag, noise). */
  bytes?(b: Uint8Array): Uint8Array;
  /** Needs a process of its own (a FIFO). */
  subprocess?: boolean;
}
