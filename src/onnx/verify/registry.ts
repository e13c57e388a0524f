// The verifier's rules, sorted by id (one file each under rules/). verify.ts runs them stage by stage.
import type { VerifyRule } from './types.ts';
import { rule as arity } from './rules/arity.ts';
import { rule as attributes } from './rules/attributes.ts';
import { rule as edges } from './rules/edges.ts';
import { rule as graphIo } from './rules/graph-io.ts';
import { rule as headMetadata } from './rules/head-metadata.ts';
import { rule as inputTypes } from './rules/input-types.ts';
import { rule as names } from './rules/names.ts';
import { rule as ops } from './rules/ops.ts';
import { rule as opsetImports } from './rules/opset-imports.ts';
import { rule as shapes } from './rules/shapes.ts';
import { rule as tensors } from './rules/tensors.ts';
import { rule as windows } from './rules/windows.ts';

export const verifyRules: readonly VerifyRule[] = [
  arity, attributes, edges, graphIo, headMetadata, inputTypes, names, ops, opsetImports, shapes, tensors, windows,
];
