// Small, valid inputs the reliability cases start from: a micro-yolo at 64 px for the synthetic set's nine
// classes and a 16-image synthetic data set, each made once per process and copied into a case's folder.
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeModel } from '../../../src/onnx/io.ts';
import { setMetadata } from '../../../src/onnx/make.ts';
import { zooByName } from '../../../src/zoo/registry.ts';
import { generateSynth } from '../../../src/data/synth/generate.ts';

let root: string | undefined;
const shared = (): string => (root ??= mkdtempSync(join(tmpdir(), 'lithe-fixture-')));

let modelFile: string | undefined;
/** The model's bytes, written once; `modelIn(dir)` copies it. */
function sharedModel(): string {
  if (modelFile) return modelFile;
  const m = zooByName.get('micro-yolo')!.build({ size: 64, classes: 9, seed: 0 });
  setMetadata(m, 'lithe.profile', 'micro-yolo');
  modelFile = join(shared(), 'micro.onnx');
  writeFileSync(modelFile, encodeModel(m));
  return modelFile;
}

/** A copy of the fixture model in `dir` (a file of its own, so a case may damage it); an existing copy is kept. */
export function modelIn(dir: string, name = 'model.onnx'): string {
  const p = join(dir, name);
  if (!existsSync(p)) copyFileSync(sharedModel(), p);
  return p;
}

/** A 16 + 8 image synthetic set at 64 px, shared by every case of the process (cases only read it). */
export function synthSet(): string {
  const p = join(shared(), 'synth');
  if (!existsSync(p)) generateSynth({ out: p, seed: 0, train: 16, val: 8, size: 64 });
  return p;
}

/** A recipe in `dir` over `model` with `body`; data is the shared synthetic set unless `data` says otherwise. */
export function recipeIn(dir: string, body: string, opts: { model?: string; data?: string; name?: string } = {}): string {
  const file = join(dir, opts.name ?? 'recipe.cmp');
  const data = opts.data ?? `data coco "${synthSet()}"`;
  writeFileSync(file, `model "${opts.model ?? modelIn(dir)}"\n${data}\ntarget x86\n${body}\n`);
  return file;
}
