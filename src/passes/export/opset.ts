// The opset an export writes: the target's (`onnx.opset`), upgraded to from an older model, refused from a
// newer one the device's toolchain cannot read (`onnx.max_opset`).
import type { ModelProto } from 'onnx-buf';
import { defaultOpset } from '../../onnx/io.ts';
import { upgradeModel } from '../../onnx/upgrade/index.ts';
import { LitheError } from '../../errors.ts';
import type { Target } from '../../targets/target.ts';

export function atTargetOpset(model: ModelProto, target: Target | undefined, toolchain: string): { model: ModelProto; opset: number } {
  const want = target?.onnx.opset ?? 13;
  const max = target?.onnx.max_opset ?? want;
  const have = defaultOpset(model) ?? want;
  if (have > max) throw new LitheError(`the model is at opset ${have}; ${toolchain} reads opsets up to ${max}: export the model at opset ${max} or older`);
  return have < want ? { model: upgradeModel(model, want).model, opset: want } : { model, opset: have };
}
