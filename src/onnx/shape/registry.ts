// Shape rules, one per op, sorted (ONNX's reference/ops style). An op without a rule leaves its outputs' types
// unknown and is reported by inferShapes, naming the node.
import type { ShapeRule } from './types.ts';
import { rule as Abs } from './ops/Abs.ts';
import { rule as Add } from './ops/Add.ts';
import { rule as And } from './ops/And.ts';
import { rule as Atan } from './ops/Atan.ts';
import { rule as AveragePool } from './ops/AveragePool.ts';
import { rule as BatchNormalization } from './ops/BatchNormalization.ts';
import { rule as Cast } from './ops/Cast.ts';
import { rule as Clip } from './ops/Clip.ts';
import { rule as Concat } from './ops/Concat.ts';
import { rule as Constant } from './ops/Constant.ts';
import { rule as ConstantOfShape } from './ops/ConstantOfShape.ts';
import { rule as Conv } from './ops/Conv.ts';
import { rule as ConvInteger } from './ops/ConvInteger.ts';
import { rule as ConvTranspose } from './ops/ConvTranspose.ts';
import { rule as DequantizeLinear } from './ops/DequantizeLinear.ts';
import { rule as Div } from './ops/Div.ts';
import { rule as Equal } from './ops/Equal.ts';
import { rule as Exp } from './ops/Exp.ts';
import { rule as Flatten } from './ops/Flatten.ts';
import { rule as Gather } from './ops/Gather.ts';
import { rule as Gemm } from './ops/Gemm.ts';
import { rule as GlobalAveragePool } from './ops/GlobalAveragePool.ts';
import { rule as Greater } from './ops/Greater.ts';
import { rule as GreaterOrEqual } from './ops/GreaterOrEqual.ts';
import { rule as HardSigmoid } from './ops/HardSigmoid.ts';
import { rule as HardSwish } from './ops/HardSwish.ts';
import { rule as Identity } from './ops/Identity.ts';
import { rule as LeakyRelu } from './ops/LeakyRelu.ts';
import { rule as Less } from './ops/Less.ts';
import { rule as LessOrEqual } from './ops/LessOrEqual.ts';
import { rule as Log } from './ops/Log.ts';
import { rule as MatMul } from './ops/MatMul.ts';
import { rule as MatMulInteger } from './ops/MatMulInteger.ts';
import { rule as Max } from './ops/Max.ts';
import { rule as MaxPool } from './ops/MaxPool.ts';
import { rule as Min } from './ops/Min.ts';
import { rule as Mul } from './ops/Mul.ts';
import { rule as Neg } from './ops/Neg.ts';
import { rule as Pad } from './ops/Pad.ts';
import { rule as Pow } from './ops/Pow.ts';
import { rule as QLinearConv } from './ops/QLinearConv.ts';
import { rule as QLinearMatMul } from './ops/QLinearMatMul.ts';
import { rule as QuantizeLinear } from './ops/QuantizeLinear.ts';
import { rule as ReduceMean } from './ops/ReduceMean.ts';
import { rule as ReduceSum } from './ops/ReduceSum.ts';
import { rule as Relu } from './ops/Relu.ts';
import { rule as Reshape } from './ops/Reshape.ts';
import { rule as Resize } from './ops/Resize.ts';
import { rule as Round } from './ops/Round.ts';
import { rule as Shape } from './ops/Shape.ts';
import { rule as Sigmoid } from './ops/Sigmoid.ts';
import { rule as Sign } from './ops/Sign.ts';
import { rule as Slice } from './ops/Slice.ts';
import { rule as Softmax } from './ops/Softmax.ts';
import { rule as Softplus } from './ops/Softplus.ts';
import { rule as Split } from './ops/Split.ts';
import { rule as Sqrt } from './ops/Sqrt.ts';
import { rule as Squeeze } from './ops/Squeeze.ts';
import { rule as Sub } from './ops/Sub.ts';
import { rule as Sum } from './ops/Sum.ts';
import { rule as Tanh } from './ops/Tanh.ts';
import { rule as Transpose } from './ops/Transpose.ts';
import { rule as Unsqueeze } from './ops/Unsqueeze.ts';
import { rule as Upsample } from './ops/Upsample.ts';
import { rule as Where } from './ops/Where.ts';

export const shapeRules: readonly ShapeRule[] = [
  Abs, Add, And, Atan, AveragePool, BatchNormalization, Cast, Clip, Concat, Constant, ConstantOfShape, Conv,
  ConvInteger, ConvTranspose, DequantizeLinear, Div, Equal, Exp, Flatten, Gather, Gemm, GlobalAveragePool,
  Greater, GreaterOrEqual, HardSigmoid, HardSwish, Identity, LeakyRelu, Less, LessOrEqual, Log, MatMul,
  MatMulInteger, Max, MaxPool, Min, Mul, Neg, Pad, Pow, QLinearConv, QLinearMatMul, QuantizeLinear, ReduceMean,
  ReduceSum, Relu, Reshape, Resize, Round, Shape, Sigmoid, Sign, Slice, Softmax, Softplus, Split, Sqrt,
  Squeeze, Sub, Sum, Tanh, Transpose, Unsqueeze, Upsample, Where,
];

export const shapeRuleByOp = new Map(shapeRules.map((r) => [r.op, r]));
