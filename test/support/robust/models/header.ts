// The model's header: IR versions and opsets lithe (and onnxruntime) cannot read, opset imports twice or at
// version 0, default-domain ops with no default opset imported.
import { create } from '@bufbuild/protobuf';
import { OperatorSetIdProtoSchema } from 'onnx-buf';
import type { Mutant } from './types.ts';

export const headerMutants: Mutant[] = [
  { name: 'IR version 0', base: 'net', mutate: (m) => { m.irVersion = 0n; } },
  { name: 'IR version 99', base: 'net', mutate: (m) => { m.irVersion = 99n; } },
  { name: 'negative IR version', base: 'net', mutate: (m) => { m.irVersion = -7n; } },
  { name: 'opset 6 (older than lithe reads)', base: 'net', mutate: (m) => { m.opsetImport[0]!.version = 6n; m.irVersion = 3n; } },
  { name: 'opset 999', base: 'net', mutate: (m) => { m.opsetImport[0]!.version = 999n; } },
  { name: 'opset 27 (newer than onnxruntime runs)', base: 'yolo', mutate: (m) => { m.opsetImport[0]!.version = 27n; m.irVersion = 10n; } },
  { name: 'default opset imported twice', base: 'net', mutate: (m) => { m.opsetImport.push(create(OperatorSetIdProtoSchema, { domain: 'ai.onnx', version: 13n })); } },
  { name: 'a domain imported at version 0', base: 'net', mutate: (m) => { m.opsetImport.push(create(OperatorSetIdProtoSchema, { domain: 'com.microsoft', version: 0n })); } },
  { name: 'no opset imported', base: 'net', mutate: (m) => { m.opsetImport = []; } },
  { name: 'only another domain imported', base: 'net', mutate: (m) => { m.opsetImport = [create(OperatorSetIdProtoSchema, { domain: 'ai.onnx.ml', version: 3n })]; } },
];
