// The darknet layer kinds lithe imports, sorted by name: one file each.
import type { LayerFn } from '../builder.ts';
import { convolutional } from './convolutional.ts';
import { maxpool } from './maxpool.ts';
import { route } from './route.ts';
import { shortcut } from './shortcut.ts';
import { upsample } from './upsample.ts';
import { yolo } from './yolo.ts';

export const LAYERS: Record<string, LayerFn> = { convolutional, maxpool, route, shortcut, upsample, yolo };
