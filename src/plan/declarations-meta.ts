// What the declarations accept: data formats and their options, and the `set` keys.
import type { ArgKind } from './args.ts';
import type { BoundName } from './bounds.ts';

export interface DataFormat { name: string; summary: string; needsPath: boolean }

export const DATA_FORMATS: readonly DataFormat[] = [
  { name: 'coco', summary: 'COCO annotation JSON; option `images PATH` names the image folder.', needsPath: true },
  { name: 'synth', summary: 'The built-in generated detection benchmark (options `seed N`, `images N`).', needsPath: false },
  { name: 'voc', summary: 'A Pascal VOC folder (Annotations/, JPEGImages/, ImageSets/).', needsPath: true },
  { name: 'yolo', summary: 'A YOLO data.yaml with label .txt files beside the images.', needsPath: true },
];

export interface DataOption { name: string; summary: string; arg: ArgKind | 'int-or-string' }

export const DATA_OPTIONS: readonly DataOption[] = [
  { name: 'calib', arg: 'int', summary: 'Number of calibration images drawn from the training split.' },
  { name: 'images', arg: 'int-or-string', summary: 'coco: the image folder; synth: the number of images to generate.' },
  { name: 'seed', arg: 'int', summary: 'Seed of the synthetic benchmark.' },
  { name: 'val', arg: 'string', summary: 'The validation split (a file or folder).' },
];

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
