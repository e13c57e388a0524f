// The ONNX versions lithe reads: IR versions 3 to 11 (ONNX 1.3 to 1.20, what onnx-buf decodes) and default-
// domain opsets from 11 (older ones predate the ops lithe's passes rewrite) to 26, the newest onnxruntime-node
// 1.30 runs (it refuses 27: test/onnx-verify.test.ts keeps this number honest when onnxruntime moves).
export const IR_VERSIONS = { min: 3, max: 11 } as const;
export const MIN_OPSET = 11;
export const MAX_OPSET = 26;
