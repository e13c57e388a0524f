// The model's image input: the first graph input that is not an initializer and has rank 4. The steps that
// fix its size and its layout, and the data pipeline that feeds it, all mean this one.
import type { ValueInfoProto } from 'onnx-buf';
import { declaredType } from '../shape/infer.ts';
import type { Dim } from '../shape/types.ts';

export interface ImageInput { index: number; info: ValueInfoProto; elem: number; shape: Dim[] }

export function imageInput(g: { inputs: readonly ValueInfoProto[]; initializers: { has(name: string): boolean } }): ImageInput | undefined {
  for (const [index, info] of g.inputs.entries()) {
    if (g.initializers.has(info.name)) continue;
    const t = declaredType(info);
    if (t?.shape?.length === 4) return { index, info, elem: t.elem, shape: t.shape };
  }
  return undefined;
}

/** A shape as messages write it: 1 x 3 x height x width. */
export const dims = (s: readonly Dim[]): string => s.join(' x ');
