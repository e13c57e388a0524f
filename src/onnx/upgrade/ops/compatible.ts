// The ops whose definitions changed between opsets 7 and 13 in ways an old node keeps its meaning through,
// so it stays as it is: more element types, negative axes or indices, broadcasting where shapes had to be
// equal, or a new optional input or attribute whose default is the old behaviour. Each says which; an op
// missing here and from the other rules is refused by the driver, never passed through unread. Where an
// op's oldest definitions meant something else (Scan-8), `since` is the first version this holds from.
import { schemaAt } from '../../schema/table.ts';
import type { UpgradeRule } from '../types.ts';

const TYPES = 'more element types';
const AXES = 'negative axes allowed';
const BROADCAST = 'multidirectional broadcasting of its inputs';

const SAME: Readonly<Record<string, { why: string; since?: number }>> = {
  Abs: { why: TYPES }, Add: { why: TYPES }, ArgMax: { why: `${AXES}; select_last_index (default 0: the first, as before)` },
  ArgMin: { why: `${AXES}; select_last_index (default 0: the first, as before)` },
  AveragePool: { why: 'ceil_mode (default 0: floor, as before)' }, Cast: { why: TYPES }, Ceil: { why: TYPES },
  Compress: { why: AXES }, Concat: { why: AXES }, Constant: { why: 'value_* and sparse_value forms added' },
  Conv: { why: 'documentation of auto_pad only' }, ConvTranspose: { why: 'documentation of auto_pad only' },
  DepthToSpace: { why: 'mode (default DCR: the old order)' }, DequantizeLinear: { why: 'axis, for per-axis scales (a scalar scale, all opset 10 allows, ignores it)' },
  Div: { why: TYPES }, Equal: { why: TYPES }, Erf: { why: TYPES }, Exp: { why: TYPES }, Expand: { why: TYPES },
  Flatten: { why: `${TYPES}; ${AXES}` }, Floor: { why: TYPES }, Gather: { why: `${AXES}; negative indices` },
  GatherElements: { why: TYPES }, GatherND: { why: 'batch_dims (default 0: as before)' }, Gemm: { why: `${TYPES}; C optional` },
  Greater: { why: TYPES }, Identity: { why: TYPES }, If: { why: TYPES }, IsNaN: { why: TYPES }, LRN: { why: TYPES }, Less: { why: TYPES },
  Log: { why: TYPES }, Loop: { why: 'M and cond may be omitted' }, LpPool: { why: 'documentation of auto_pad only' }, MatMul: { why: TYPES },
  Max: { why: `${TYPES}; ${BROADCAST}` }, MaxPool: { why: 'storage_order, ceil_mode and dilations (defaults: as before); an optional Indices output' },
  MaxUnpool: { why: 'documentation of auto_pad only' }, NegativeLogLikelihoodLoss: { why: TYPES }, SoftmaxCrossEntropyLoss: { why: TYPES }, Mean: { why: BROADCAST }, MeanVarianceNormalization: { why: TYPES },
  Min: { why: `${TYPES}; ${BROADCAST}` }, Mod: { why: TYPES }, Mul: { why: TYPES }, Neg: { why: TYPES },
  NonMaxSuppression: { why: 'documentation only' }, NonZero: { why: TYPES }, OneHot: { why: `${AXES}; negative indices` },
  PRelu: { why: TYPES }, Pow: { why: 'the exponent may have another type' }, QuantizeLinear: { why: 'axis, for per-axis scales (a scalar scale, all opset 10 allows, ignores it)' },
  Reciprocal: { why: TYPES }, ReduceL1: { why: AXES }, ReduceL2: { why: AXES }, ReduceLogSum: { why: AXES }, ReduceLogSumExp: { why: AXES },
  ReduceMax: { why: `${TYPES}; ${AXES}` }, ReduceMean: { why: AXES }, ReduceMin: { why: `${TYPES}; ${AXES}` }, ReduceProd: { why: AXES },
  ReduceSumSquare: { why: AXES }, Relu: { why: TYPES }, Reshape: { why: TYPES },
  Scan: { why: AXES, since: 9 }, ScatterElements: { why: TYPES }, ScatterND: { why: TYPES }, Shape: { why: TYPES },
  Sigmoid: { why: TYPES }, Sign: { why: TYPES }, Size: { why: TYPES }, SpaceToDepth: { why: TYPES }, Sqrt: { why: TYPES },
  Sub: { why: TYPES }, Sum: { why: `${TYPES}; ${BROADCAST}` }, Tanh: { why: TYPES }, Tile: { why: TYPES }, Transpose: { why: TYPES },
};

export const compatibleOps = (): readonly string[] => Object.keys(SAME);

/** Whether `op`, as defined at opset `from`, means the same at any later opset up to 13. */
export function keepsMeaning(op: string, from: number): boolean {
  const entry = SAME[op];
  const since = schemaAt(op, from)?.since;
  return !!entry && since !== undefined && since >= (entry.since ?? 0);
}

export const rule: UpgradeRule = {
  id: 'compatible',
  ops: Object.keys(SAME),
  summary: 'unchanged: definitions that changed only in ways an old node keeps its meaning through',
  upgrade(n, ctx) {
    if (!keepsMeaning(n.opType, ctx.from)) ctx.fail(`lithe cannot upgrade ${n.opType} as defined at opset ${ctx.from}: its meaning changed after`);
    return undefined;
  },
};
