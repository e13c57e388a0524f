// Every gradient rule, sorted by op. An op without a rule cannot be trained through; the error names the node.
import type { GradRule } from './types.ts';
import { Abs } from './rules/Abs.ts';
import { Add } from './rules/Add.ts';
import { Atan } from './rules/Atan.ts';
import { AveragePool } from './rules/AveragePool.ts';
import { BatchNormalization } from './rules/BatchNormalization.ts';
import { Clip } from './rules/Clip.ts';
import { Concat } from './rules/Concat.ts';
import { Conv } from './rules/Conv.ts';
import { Div } from './rules/Div.ts';
import { Exp } from './rules/Exp.ts';
import { Flatten } from './rules/Flatten.ts';
import { Gemm } from './rules/Gemm.ts';
import { GlobalAveragePool } from './rules/GlobalAveragePool.ts';
import { HardSigmoid } from './rules/HardSigmoid.ts';
import { HardSwish } from './rules/HardSwish.ts';
import { Identity } from './rules/Identity.ts';
import { LeakyRelu } from './rules/LeakyRelu.ts';
import { Log } from './rules/Log.ts';
import { MatMul } from './rules/MatMul.ts';
import { Max } from './rules/Max.ts';
import { MaxPool } from './rules/MaxPool.ts';
import { Min } from './rules/Min.ts';
import { Mul } from './rules/Mul.ts';
import { Neg } from './rules/Neg.ts';
import { Pad } from './rules/Pad.ts';
import { ReduceMean } from './rules/ReduceMean.ts';
import { ReduceSum } from './rules/ReduceSum.ts';
import { Relu } from './rules/Relu.ts';
import { Reshape } from './rules/Reshape.ts';
import { Resize } from './rules/Resize.ts';
import { Round } from './rules/Round.ts';
import { Sigmoid } from './rules/Sigmoid.ts';
import { Slice } from './rules/Slice.ts';
import { Softmax } from './rules/Softmax.ts';
import { Softplus } from './rules/Softplus.ts';
import { Split } from './rules/Split.ts';
import { Sqrt } from './rules/Sqrt.ts';
import { Squeeze } from './rules/Squeeze.ts';
import { Sub } from './rules/Sub.ts';
import { Sum } from './rules/Sum.ts';
import { Tanh } from './rules/Tanh.ts';
import { Transpose } from './rules/Transpose.ts';
import { Unsqueeze } from './rules/Unsqueeze.ts';
import { Where } from './rules/Where.ts';

export const gradRules: readonly GradRule[] = [
  Abs,
  Add,
  Atan,
  AveragePool,
  BatchNormalization,
  Clip,
  Concat,
  Conv,
  Div,
  Exp,
  Flatten,
  Gemm,
  GlobalAveragePool,
  HardSigmoid,
  HardSwish,
  Identity,
  LeakyRelu,
  Log,
  MatMul,
  Max,
  MaxPool,
  Min,
  Mul,
  Neg,
  Pad,
  ReduceMean,
  ReduceSum,
  Relu,
  Reshape,
  Resize,
  Round,
  Sigmoid,
  Slice,
  Softmax,
  Softplus,
  Split,
  Sqrt,
  Squeeze,
  Sub,
  Sum,
  Tanh,
  Transpose,
  Unsqueeze,
  Where,
];

export const gradRuleByOp = new Map(gradRules.map((r) => [r.op, r]));
