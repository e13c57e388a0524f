// What the dependency analysis finds: groups of channels that must be removed together. A group is born at a
// convolution's output filters; element-wise ops, BN, pools and resizes carry its channels on unchanged;
// residual Add/Mul couple two groups into one; Concat, Split and Slice move a group's channels to other
// offsets of the channel axis. Every tensor dimension and node attribute that indexes a group's channels is
// listed, so that removing channels is mechanical (apply.ts).
import { LitheError } from '../../../errors.ts';

/** Why a tensor slice belongs to a group: what it is in the layer that reads it. */
export type SliceRole =
  | 'filter' // a producer conv's output filters (weight axis 0; ConvTranspose axis 1)
  | 'bias' // a producer conv's bias
  | 'input' // a consumer conv's input channels (weight axis 1; ConvTranspose axis 0)
  | 'depthwise' // a depthwise conv's filters (and bias), which follow the channels through
  | 'gamma' | 'beta' | 'mean' | 'var' // BatchNormalization's (and InstanceNormalization's scale/bias as gamma/beta)
  | 'param'; // a per-channel constant of an element-wise op (PRelu slope, Mul/Add by a [1, C, 1, 1] tensor)

/** Indices [at, at + length) of `tensor`'s axis `axis` are the group's channels [from, from + length). */
export interface ChannelSlice { tensor: string; axis: number; at: number; from: number; length: number; role: SliceRole; node: string }

/** A node whose attributes or constant inputs count channels of its input: they are rewritten after pruning.
 * Input channels [at, at + length) of `node` are the group's channels [from, from + length); the input has
 * `channels` channels in all. */
export interface NodeFix {
  node: string; kind: 'split' | 'slice' | 'depthwise'; at: number; from: number; length: number; channels: number;
  /** Slice: the entry of starts/ends that is the channel axis. */
  entry?: number;
}

export interface BatchNorm { node: string; gamma: string; beta: string; mean: string; var: string; epsilon: number }

/** A convolution whose output filters are the group's channels (several after a residual Add). */
export interface Producer {
  node: string;
  weight: string;
  bias?: string;
  /** The weight axis of output channels: 0 for Conv, 1 for ConvTranspose. */
  axis: number;
  /** The BatchNormalization right after it, when there is one. */
  bn?: BatchNorm;
  /** Its output after BN and activation: the feature map activation-based criteria read. */
  value: string;
}

/** A convolution that reads some of the group's channels: input channels [at, at + length) are the group's
 * channels [from, from + length) (at is the offset inside a Concat). */
export interface Consumer { node: string; at: number; from: number; length: number }

export interface PruneGroup {
  /** The first producing convolution's node name (in topological order). */
  id: string;
  channels: number;
  producers: Producer[];
  consumers: Consumer[];
  /** A value that carries exactly the group's channels on axis 1, after BN and activation. */
  value: string;
  slices: ChannelSlice[];
  fixes: NodeFix[];
  /** Every value some of whose channels are the group's (their declared shapes go stale when it is pruned). */
  values: string[];
  /** False when some use of the channels cannot be followed (a Reshape, a graph output, ...): see `reason`. */
  prunable: boolean;
  reason?: string;
}

export class PruneError extends LitheError {
  override name = 'PruneError';
}
