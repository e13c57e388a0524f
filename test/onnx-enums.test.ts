// src/onnx/enums.ts copies ONNX enum numbers so that light commands need not load the protobuf runtime: each
// copied value must equal onnx-buf's (generated from onnx.proto).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AttributeProto_AttributeType, TensorProto_DataType } from 'onnx-buf';
import { AttributeType, DataType, dataTypeName } from '../src/onnx/enums.ts';

test('the copied ONNX enums equal onnx-buf\'s', () => {
  for (const [k, v] of Object.entries(DataType)) assert.equal((TensorProto_DataType as unknown as Record<string, number>)[k], v, `DataType.${k}`);
  for (const [k, v] of Object.entries(AttributeType)) assert.equal((AttributeProto_AttributeType as unknown as Record<string, number>)[k], v, `AttributeType.${k}`);
  assert.equal(dataTypeName(TensorProto_DataType.FLOAT16), 'FLOAT16');
  assert.equal(dataTypeName(99), undefined);
});
