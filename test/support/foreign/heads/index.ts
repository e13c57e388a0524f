// The foreign heads, one builder per exporter style, with what lithe should recognise in each: the tests
// (test/heads.test.ts) are this table.
import type { ModelProto } from 'onnx-buf';
import type { HeadKind } from '../../../../src/metrics/decode/head.ts';
import { anchorFreeFcos } from './anchor-free.ts';
import { darknetYolo } from './darknet.ts';
import { ssdWithPriors } from './ssd-priors.ts';
import { centerNetLike } from './unknown.ts';
import { ultralyticsV5 } from './ultralytics-v5.ts';
import { ultralyticsV8 } from './ultralytics-v8.ts';

export interface ForeignHead {
  id: string;
  build(o: { size?: number; classes?: number; batch?: number | 'dynamic'; nhwc?: boolean }): ModelProto;
  /** What detection should find; undefined: nothing (the model must be refused by name). */
  expect?: { kind: HeadKind; style: RegExp; decoded: boolean; scales: number };
}

export const FOREIGN_HEADS: readonly ForeignHead[] = [
  { id: 'anchor-free-fcos', build: anchorFreeFcos, expect: { kind: 'anchor-free', style: /anchor-free/, decoded: false, scales: 3 } },
  { id: 'centernet-like', build: centerNetLike },
  { id: 'darknet-yolov3', build: (o) => darknetYolo({ ...o, scales: 3 }), expect: { kind: 'yolo', style: /^darknet yolov3$/, decoded: false, scales: 3 } },
  { id: 'darknet-yolov3-tiny', build: (o) => darknetYolo({ ...o, scales: 2 }), expect: { kind: 'yolo', style: /^darknet yolov3-tiny$/, decoded: false, scales: 2 } },
  { id: 'ssd-decoded', build: (o) => ssdWithPriors({ ...o, decoded: true }), expect: { kind: 'ssd', style: /^ssd/, decoded: true, scales: 2 } },
  { id: 'ssd-raw-priors', build: (o) => ssdWithPriors({ ...o, decoded: false }), expect: { kind: 'ssd', style: /^ssd/, decoded: false, scales: 2 } },
  { id: 'ultralytics-v5', build: ultralyticsV5, expect: { kind: 'yolo', style: /^ultralytics v5$/, decoded: true, scales: 3 } },
  { id: 'ultralytics-v8', build: ultralyticsV8, expect: { kind: 'anchor-free', style: /^ultralytics v8$/, decoded: true, scales: 3 } },
];
