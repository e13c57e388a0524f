// The upgrader's contracts. A rule (ops/, one per op or op family) rewrites one node of an older opset into
// nodes that mean the same at the target opset; the driver (index.ts) calls it for every node whose op's
// definition differs between the two opsets, and refuses, naming the node, an op no rule knows.
import type { NodeProto, TensorProto } from 'onnx-buf';
import type { ValueType } from '../shape/types.ts';
import { LitheError } from '../../errors.ts';

/** A node lithe cannot upgrade, or an upgrade that would change what the model computes (exit 1). */
export class UpgradeError extends LitheError {
  override name = 'UpgradeError';
}

export interface UpgradeContext {
  /** The model's opset and the one it is upgraded to. */
  from: number;
  to: number;
  /** Whether the upgrade passes the opset at which `opset`'s change happened (from < opset <= to). */
  crosses(opset: number): boolean;
  /** `node 'NAME' (OP)`, for messages. */
  at: string;
  /** A constant value's tensor: an initializer or a Constant node of this graph or an enclosing one. */
  constant(value: string): TensorProto | undefined;
  /** What is known of a value's element type and shape (shape inference at the old opset). */
  type(value: string): ValueType | undefined;
  /** Whether anything reads the value (a node of any graph, or a graph output). */
  read(value: string): boolean;
  /** Adds an initializer to the node's graph under a fresh name made from `base`; returns the name. */
  add(base: string, make: (name: string) => TensorProto): string;
  /** A value or node name used nowhere in the model yet, made from `base`. */
  fresh(base: string): string;
  /** Stops the upgrade with an error naming the node. */
  fail(why: string): never;
}

export interface UpgradeRule {
  /** The rule's id: its file's name. */
  id: string;
  /** The ops it upgrades. */
  ops: readonly string[];
  /** What it does, for the notes of a run and for `lithe convert --opset`. */
  summary: string;
  /** The nodes that replace `node` at ctx.to (it may be edited in place and returned); undefined when the
   *  node stays as it is. */
  upgrade(node: NodeProto, ctx: UpgradeContext): NodeProto[] | undefined;
}
