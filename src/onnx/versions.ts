// The ONNX versions lithe reads: IR versions 3 to 11 (ONNX 1.3 to 1.20, what onnx-buf decodes) and default-
// domain opsets from 7 (ONNX 1.2: the oldest that published detectors use — the model zoo's YOLOv3 and SSD
// are opset 10, darknet and TensorRT-sample exports opset 9 with Upsample; onnx/upgrade/ brings them to the
// opset lithe writes) to 26, the newest onnxruntime-node 1.30 runs (it refuses 27:
// test/onnx-verify.test.ts keeps this number honest when onnxruntime moves).
export const IR_VERSIONS = { min: 3, max: 11 } as const;
export const MIN_OPSET = 7;
export const MAX_OPSET = 26;

/** The IR version each opset came with (ONNX's versioning table, ONNX 1.2 to 1.17): a model upgraded to
 *  opset N is written at least at this IR version. */
export const IR_OF_OPSET: Readonly<Partial<Record<number, number>>> = {
  7: 3, 8: 3, 9: 4, 10: 5, 11: 6, 12: 7, 13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10, 22: 10,
};

/** The version of the default ("" or "ai.onnx") domain a model imports. */
export function defaultOpset(model: { opsetImport: readonly { domain: string; version: bigint }[] }): number | undefined {
  const imp = model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  return imp && Number(imp.version);
}
