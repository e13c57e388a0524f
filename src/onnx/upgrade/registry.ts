// The upgrade rules, sorted by id (one file each under ops/). The driver (index.ts) finds a node's rule by op.
import type { UpgradeRule } from './types.ts';
import { rule as BatchNormalization } from './ops/BatchNormalization.ts';
import { rule as Clip } from './ops/Clip.ts';
import { rule as compatible } from './ops/compatible.ts';
import { rule as Dropout } from './ops/Dropout.ts';
import { rule as Pad } from './ops/Pad.ts';
import { rule as ReduceSum } from './ops/ReduceSum.ts';
import { rule as Resize } from './ops/Resize.ts';
import { rule as Scatter } from './ops/Scatter.ts';
import { rule as Slice } from './ops/Slice.ts';
import { rule as Softmax } from './ops/Softmax.ts';
import { rule as Split } from './ops/Split.ts';
import { rule as Squeeze } from './ops/Squeeze.ts';
import { rule as TopK } from './ops/TopK.ts';
import { rule as Upsample } from './ops/Upsample.ts';

export const upgradeRules: readonly UpgradeRule[] = [
  BatchNormalization, Clip, compatible, Dropout, Pad, ReduceSum, Resize, Scatter, Slice, Softmax, Split, Squeeze, TopK, Upsample,
];

export const upgradeRuleByOp: ReadonlyMap<string, UpgradeRule> = new Map(upgradeRules.flatMap((r) => r.ops.map((op) => [op, r] as const)));
