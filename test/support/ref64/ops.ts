// The float64 reference ops, by ONNX op type (sorted).
import { binary } from './binary.ts';
import { Conv, ConvTranspose } from './conv.ts';
import { layout } from './layout.ts';
import { Gemm, MatMul } from './linalg.ts';
import { BatchNormalization, Softmax } from './norm.ts';
import { AveragePool, GlobalAveragePool, GlobalMaxPool, MaxPool } from './pool.ts';
import { ReduceMean, ReduceSum, ReduceSumSquare } from './reduce.ts';
import { Resize } from './resize.ts';
import { MaxUnpool, ScatterElements } from './scatter.ts';
import { shape } from './shape.ts';
import type { Op } from './tensor.ts';
import { unary } from './unary.ts';

const all: Record<string, Op> = {
  ...binary, ...layout, ...shape, ...unary,
  AveragePool, BatchNormalization, Conv, ConvTranspose, Gemm, GlobalAveragePool, GlobalMaxPool, MatMul, MaxPool,
  MaxUnpool, ReduceMean, ReduceSum, ReduceSumSquare, Resize, ScatterElements, Softmax,
};

export const ops: ReadonlyMap<string, Op> = new Map(Object.entries(all).sort(([a], [b]) => (a < b ? -1 : 1)));
