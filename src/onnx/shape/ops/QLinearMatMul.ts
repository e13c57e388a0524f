// Shape rule for QLinearMatMul: MatMul's, with B at input 3, in the type of y's zero point (input 7).
import type { ShapeRule } from '../types.ts';
import { rule as matmul } from './MatMul.ts';

export const rule: ShapeRule = {
  op: 'QLinearMatMul',
  infer(ctx) {
    // com.microsoft's forms (onnxruntime's optimised models: channels-last QLinearConv) have other layouts
    if (ctx.node.domain !== '' && ctx.node.domain !== 'ai.onnx') return [{ elem: ctx.inputs[7]?.elem ?? ctx.inputs[0]?.elem ?? 1 }];
    const [y] = matmul.infer({ ...ctx, inputs: [ctx.inputs[0], ctx.inputs[3]] });
    return [{ elem: ctx.inputs[7]?.elem ?? ctx.inputs[0]?.elem ?? 1, shape: y?.shape }];
  },
};
