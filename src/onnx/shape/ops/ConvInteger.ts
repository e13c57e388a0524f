// Shape rule for ConvInteger: Conv's shape, accumulated in INT32.
import type { ShapeRule } from '../types.ts';
import { DataType } from '../../make.ts';
import { rule as conv } from './Conv.ts';

export const rule: ShapeRule = {
  op: 'ConvInteger',
  infer(ctx) {
    // com.microsoft's forms (onnxruntime's optimised models: channels-last QLinearConv) have other layouts
    if (ctx.node.domain !== '' && ctx.node.domain !== 'ai.onnx') return [{ elem: DataType.INT32 }];
    const [y] = conv.infer({ ...ctx, inputs: [ctx.inputs[0], ctx.inputs[1]] });
    return [{ elem: DataType.INT32, shape: y?.shape }];
  },
};
