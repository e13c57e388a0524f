// The model zoo, sorted by name. Each entry builds an ONNX model and names its stdlib profile; every build
// first checks the size and classes it is asked for (size.ts).
import type { ZooModel } from './types.ts';
import { checked } from './size.ts';
import { darknetModel } from './darknet-model.ts';
import { microYolo } from './micro-yolo.ts';
import { ssdLite } from './ssd-lite.ts';
import { yolov5n } from './yolov5n.ts';

export const zoo: readonly ZooModel[] = [
  microYolo,
  ssdLite,
  darknetModel('yolov3', 'YOLOv3 (Darknet-53, three scales), from its darknet definition: 62.0 M params, 32.9 GMACs at 416'),
  darknetModel('yolov3-tiny', 'YOLOv3-tiny, from its darknet definition: 8.86 M params, 2.78 GMACs at 416'),
  darknetModel('yolov4', 'YOLOv4 (CSPDarknet-53, mish, SPP, PAN, three scales), from its darknet definition: 64.4 M params, 64.2 GMACs at 608'),
  darknetModel('yolov4-tiny', 'YOLOv4-tiny (CSP blocks by channel-group routes, two scales), from its darknet definition: 6.06 M params, 3.45 GMACs at 416'),
  yolov5n,
].map(checked);

export const zooByName = new Map(zoo.map((m) => [m.name, m]));
