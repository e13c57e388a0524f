// What the checker needs of the zoo's models, without their builders: the largest stride of each, which
// fixes the sizes it can be built at (size.ts). `lithe check` reads this and loads no ONNX code; the
// registry (registry.ts) holds the builders, and test/zoo.test.ts holds the two equal.
export const ZOO_STRIDES: Readonly<Record<string, number>> = {
  'micro-yolo': 32,
  'ssd-lite': 64,
  yolov3: 32,
  'yolov3-tiny': 32,
  yolov4: 32,
  'yolov4-tiny': 32,
  yolov5n: 32,
};
