// The exporter styles, as a table the tests (and the integration test of issue 13) iterate over. `input` is
// the recipe line a run needs (styles with a symbolic size need one).
import type { ModelProto } from 'onnx-buf';
import type { ForeignOptions, Written } from './tiny.ts';
import { constantsModel, writeConstants } from './constants.ts';
import { dynamicModel, writeDynamic } from './dynamic.ts';
import { int64ShapesModel, writeInt64Shapes } from './int64-shapes.ts';
import { tf2onnxNhwcModel, writeTf2onnxNhwc } from './tf2onnx-nhwc.ts';

export interface ForeignStyle {
  id: string;
  summary: string;
  model(opts?: ForeignOptions): { model: ModelProto; params: number };
  write(path: string, opts?: ForeignOptions): Written;
  /** Whether the input size is symbolic (a run needs `input 64`). */
  symbolicSize: boolean;
  /** Whether the input is NHWC. */
  nhwc: boolean;
}

export const FOREIGN_STYLES: readonly ForeignStyle[] = [
  { id: 'constants', summary: 'weights in Constant nodes', model: constantsModel, write: writeConstants, symbolicSize: false, nhwc: false },
  { id: 'dynamic', summary: 'symbolic batch, height and width', model: dynamicModel, write: writeDynamic, symbolicSize: true, nhwc: false },
  { id: 'int64-shapes', summary: 'PyTorch int64 shape arithmetic', model: int64ShapesModel, write: writeInt64Shapes, symbolicSize: true, nhwc: false },
  { id: 'tf2onnx-nhwc', summary: 'tf2onnx NHWC input', model: tf2onnxNhwcModel, write: writeTf2onnxNhwc, symbolicSize: false, nhwc: true },
];

export { SIZE, type ForeignOptions, type Written } from './tiny.ts';
