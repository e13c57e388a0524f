// What the declarations accept: data formats and their options, and the `set` keys.
import type { ArgKind } from './args.ts';
import type { BoundName } from './bounds.ts';

/** `labelled`: the set has boxes, so mAP can be measured and steps that train on labels can run. */
export interface DataFormat { name: string; summary: string; needsPath: boolean; labelled: boolean }

export const DATA_FORMATS: readonly DataFormat[] = [
  { name: 'coco', summary: 'COCO annotation JSON; option `images PATH` names the image folder.', needsPath: true, labelled: true },
  {
    name: 'images', needsPath: true, labelled: false,
    summary: 'A folder of unlabelled images (PNG, JPEG; subfolders too): calibration, data-driven criteria, latency; no mAP.',
  },
  { name: 'synth', summary: 'The built-in generated detection benchmark (options `seed N`, `images N`).', needsPath: false, labelled: true },
  { name: 'voc', summary: 'A Pascal VOC folder (Annotations/, JPEGImages/, ImageSets/).', needsPath: true, labelled: true },
  { name: 'yolo', summary: 'A YOLO data.yaml with label .txt files beside the images.', needsPath: true, labelled: true },
];

/** `formats`: the data formats the option applies to (all when absent). */
export interface DataOption { name: string; summary: string; arg: ArgKind | 'int-or-string'; formats?: readonly string[] }

export const DATA_OPTIONS: readonly DataOption[] = [
  { name: 'bgr', arg: 'flag', summary: 'The model takes its channels in B, G, R order (OpenCV, Caffe and PaddlePaddle exports).' },
  { name: 'calib', arg: 'int', summary: 'Number of calibration images drawn from the training split (or the image folder).' },
  { name: 'images', arg: 'int-or-string', formats: ['coco', 'synth'], summary: 'coco: the image folder; synth: the number of images to generate.' },
  {
    name: 'mean', arg: 'numbers',
    summary: 'Subtracted from each channel, in pixel units (0 to 255), in the order of the model\'s channels: mean [123.675, 116.28, 103.53].',
  },
  { name: 'nhwc', arg: 'flag', summary: 'The model\'s input is laid out N, H, W, C (TensorFlow exports): recorded in the plan and the exported model.' },
  { name: 'seed', arg: 'int', formats: ['synth'], summary: 'Seed of the synthetic benchmark.' },
  {
    name: 'std', arg: 'numbers',
    summary: 'Each channel is divided by it after the mean, in pixel units: std [58.395, 57.12, 57.375]. Without mean and std, a model gets 0-1 values (std [255, 255, 255]).',
  },
  { name: 'val', arg: 'string', formats: ['coco', 'synth', 'voc', 'yolo'], summary: 'The validation split (a file or folder).' },
];

/** The preprocessing options: the same for every format, recorded in the exported model (`lithe.preprocess`). */
export const PREPROCESS_OPTIONS = ['bgr', 'mean', 'nhwc', 'std'] as const;

export interface HeadKind { name: string; summary: string; options: readonly string[]; required: readonly string[] }

/** `head KIND`: how a model lithe cannot recognise decodes its outputs. */
export const HEAD_KINDS: readonly HeadKind[] = [
  { name: 'anchor-free', summary: 'Per-cell boxes without anchors (YOLOX, YOLOv8, FCOS style).', options: ['classes', 'strides'], required: [] },
  { name: 'none', summary: 'No detection head lithe can decode: no mAP; calibration, latency and size only.', options: [], required: [] },
  { name: 'ssd', summary: 'SSD: box offsets against prior boxes, and class scores.', options: ['classes'], required: [] },
  { name: 'yolo', summary: 'YOLOv3/v5 style: anchors per output level.', options: ['anchors', 'classes', 'strides'], required: ['anchors'] },
];

export interface HeadOption { name: string; summary: string; arg: ArgKind }

export const HEAD_OPTIONS: readonly HeadOption[] = [
  { name: 'anchors', arg: 'lists', summary: 'One list of anchor (width, height) pairs in pixels per output level: anchors [10,13, 16,30, 33,23], [30,61, 62,45, 59,119].' },
  { name: 'classes', arg: 'int', summary: 'The number of classes the head detects.' },
  { name: 'strides', arg: 'int-list', summary: 'The stride of each output level in pixels, one per anchor list: strides 8, 16, 32.' },
];

/** Output levels and anchors per level a head may declare: far past any detector. */
export const MAX_HEAD_LEVELS = 16;
export const MAX_ANCHORS_PER_LEVEL = 64;

export interface SetKey { name: string; summary: string; bound: BoundName }

export const SET_KEYS: readonly SetKey[] = [
  { name: 'batch', summary: 'Images per training batch.', bound: 'batch' },
  { name: 'calib', summary: 'Calibration images for quantization.', bound: 'calib' },
  { name: 'epochs', summary: 'Training epochs of later steps.', bound: 'epochs' },
  { name: 'imgsz', summary: 'Training and evaluation image size.', bound: 'imgsz' },
  { name: 'lr', summary: 'Learning rate of later steps.', bound: 'lr' },
  { name: 'seed', summary: 'Random seed of later steps.', bound: 'seed' },
  { name: 'workers', summary: 'Data-loading worker threads.', bound: 'workers' },
];

export const BUILTIN_SCOPES = ['all', 'backbone', 'head', 'neck'] as const;
