// `lithe data synth`: the built-in detection benchmark as a COCO data set — train.json, val.json and PNG
// images in train/ and val/ — deterministic by seed (each image from its own seeded stream, so a split can
// grow without changing the images before). Written into a temporary folder and renamed: a folder that
// exists is always complete.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mulberry32 } from '../../util/random.ts';
import { encodePng } from '../image.ts';
import { SYNTH_CLASSES } from './classes.ts';
import { scene } from './scene.ts';
import { cleanStaleTemps, makeDir, tempName } from '../../util/files.ts';
import { EXIT, fsError, LitheError } from '../../errors.ts';

export interface SynthOptions { out: string; seed?: number; train?: number; val?: number; size?: number }
export const SYNTH_DEFAULTS = { seed: 0, train: 2000, val: 500, size: 320 } as const;

/** A data set, image or folder lithe cannot use: nothing runs (exit 2). */
export class SynthError extends LitheError {
  override name = 'SynthError';
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

/** The stream of image `index` of `split`: independent of every other image's. */
const streamFor = (seed: number, split: number, index: number) => mulberry32(Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(split * 1_000_003 + index + 1, 0x85ebca6b));

function split(dir: string, name: string, splitIndex: number, count: number, seed: number, size: number): object {
  mkdirSync(join(dir, name));
  const images: object[] = [];
  const annotations: object[] = [];
  for (let i = 0; i < count; i++) {
    const { image, objects } = scene(size, streamFor(seed, splitIndex, i));
    const file = `${name}/${String(i).padStart(6, '0')}.png`;
    writeFileSync(join(dir, file), encodePng(image));
    images.push({ id: i + 1, file_name: file, width: size, height: size });
    for (const o of objects) {
      annotations.push({ id: annotations.length + 1, image_id: i + 1, category_id: o.cls + 1, bbox: o.bbox, area: o.area, iscrowd: 0 });
    }
  }
  const categories = SYNTH_CLASSES.map((c, k) => ({ id: k + 1, name: c.name }));
  return { info: { description: `lithe synthetic detection benchmark, seed ${seed}, ${size}x${size}` }, images, annotations, categories };
}

export function generateSynth(o: SynthOptions): { train: number; val: number; annotations: number } {
  const seed = o.seed ?? SYNTH_DEFAULTS.seed;
  const train = o.train ?? SYNTH_DEFAULTS.train;
  const val = o.val ?? SYNTH_DEFAULTS.val;
  const size = o.size ?? SYNTH_DEFAULTS.size;
  if (existsSync(o.out)) throw new SynthError(`${o.out} already exists: remove it or choose another folder`);
  if (size < 64 || size % 32) throw new SynthError(`--size ${size}: use a multiple of 32, at least 64`);
  makeDir(dirname(o.out));
  cleanStaleTemps(dirname(o.out)); // what a killed generator left
  const tmp = tempName(o.out); // this process's own: no other live process has its name
  try {
    mkdirSync(tmp);
    const t = split(tmp, 'train', 0, train, seed, size) as { annotations: unknown[] };
    const v = split(tmp, 'val', 1, val, seed, size) as { annotations: unknown[] };
    writeFileSync(join(tmp, 'train.json'), JSON.stringify(t));
    writeFileSync(join(tmp, 'val.json'), JSON.stringify(v));
    renameSync(tmp, o.out);
    return { train, val, annotations: t.annotations.length + v.annotations.length };
  } catch (e) {
    try { rmSync(tmp, { recursive: true, force: true }); } catch { /* the write's error is the one to report */ }
    throw fsError(e, o.out, 'write the data set');
  }
}
