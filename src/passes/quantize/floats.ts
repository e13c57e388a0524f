// Float32 initializer values as a typed array (a copy), whichever field the file stored them in: the
// weights, biases and BatchNormalization parameters the quantize and fp16 conversions rewrite.
import type { TensorProto } from 'onnx-buf';
import { float32Copy } from '../../onnx/tensor.ts';
import { QuantizeError } from './errors.ts';

export function readFloats(t: TensorProto): Float32Array {
  const v = float32Copy(t);
  if (typeof v === 'string') throw new QuantizeError(`tensor '${t.name}' ${v}`);
  return v;
}
