// Shape rule for QLinearConv: Conv's, with the weight at input 3, in the type of y's zero point (input 7).
import type { ShapeRule } from '../types.ts';
import { rule as conv } from './Conv.ts';

export const rule: ShapeRule = {
  op: 'QLinearConv',
  infer(ctx) {
    // com.microsoft's forms (onnxruntime's optimised models: channels-last QLinearConv) have other layouts
    if (ctx.node.domain !== '' && ctx.node.domain !== 'ai.onnx') return [{ elem: ctx.inputs[7]?.elem ?? ctx.inputs[0]?.elem ?? 1 }];
    const [y] = conv.infer({ ...ctx, inputs: [ctx.inputs[0], ctx.inputs[3]] });
    return [{ elem: ctx.inputs[7]?.elem ?? ctx.inputs[0]?.elem ?? 1, shape: y?.shape }];
  },
};
