// Paths no file can have, and exports over the run's own inputs: refused at `lithe check` (CMP2006,
// CMP3012), not after a run of hours. `lithe run` guards writes again through links (src/run).
import { linkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RobustCase } from '../types.ts';
import { recipeCase } from './case.ts';

/** A recipe whose text names files of its folder: `{dir}` is replaced by the folder. */
const inDir = (name: string, expect: 'fail' | 'ok', text: string, codes: string[], make?: (dir: string) => void): RobustCase => {
  const c = recipeCase(name, expect, {}, { main: 'r.cmp', codes, make: (dir) => { writeFileSync(join(dir, 'm.onnx'), 'model'); make?.(dir); writeFileSync(join(dir, 'r.cmp'), text.replaceAll('{dir}', dir)); } });
  return c;
};

export const pathCases: RobustCase[] = [
  recipeCase('export onnx to a path with a NUL byte', 'fail', { 'r.cmp': 'export onnx "a\u0000b.onnx"\n' }, { codes: ['CMP2006'] }),
  recipeCase('export onnx to a path with a newline', 'fail', { 'r.cmp': 'export onnx "a\\nb.onnx"\n' }, { codes: ['CMP2006'] }),
  recipeCase('export onnx to a path with an escape character', 'fail', { 'r.cmp': 'export onnx "a\u001b[31mb.onnx"\n' }, { codes: ['CMP2006'] }),
  recipeCase('model path with a NUL byte', 'fail', { 'r.cmp': 'model "m\u0000.onnx"\n' }, { codes: ['CMP2006'] }),
  recipeCase('teacher, data and use paths with control characters', 'fail', { 'r.cmp': 'teacher "t\u0007" as big\ndata coco "a\u0000.json" val "v\\n"\nuse "u\u0000.cmp"\n' }, { codes: ['CMP2006'] }),
  recipeCase('YAML: export path with a NUL byte', 'fail', { 'r.yaml': 'steps:\n  - export: {format: onnx, path: "a\\0b"}\n' }, { codes: ['CMP2006'] }),
  recipeCase('--model with a NUL byte', 'fail', { 'r.cmp': 'fuse\n' }, { flags: ['--model', 'm\u0000.onnx'], codes: ['CMP2006'] }),
  inDir('export over the model', 'fail', 'model "{dir}/m.onnx"\nexport onnx "{dir}/m.onnx"\n', ['CMP3012']),
  inDir('export over the model through ./ and ..', 'fail', 'model "{dir}/m.onnx"\nexport onnx "{dir}/./sub/../m.onnx"\n', ['CMP3012']),
  inDir('export over the model through a symlink', 'fail', 'model "{dir}/m.onnx"\nexport onnx "{dir}/link.onnx"\n', ['CMP3012'], (dir) => symlinkSync('m.onnx', join(dir, 'link.onnx'))),
  inDir('export over a hard link of the model', 'fail', 'model "{dir}/m.onnx"\nexport onnx "{dir}/hard.onnx"\n', ['CMP3012'], (dir) => linkSync(join(dir, 'm.onnx'), join(dir, 'hard.onnx'))),
  inDir('export over a teacher', 'fail', 'teacher "{dir}/m.onnx" as big\nexport onnx "{dir}/m.onnx"\n', ['CMP3012']),
  inDir('export over the recipe', 'fail', 'export onnx "{dir}/r.cmp"\n', ['CMP3012']),
  inDir('export over a used file', 'fail', 'use "lib.cmp"\nexport onnx "{dir}/lib.cmp"\n', ['CMP3012'], (dir) => writeFileSync(join(dir, 'lib.cmp'), 'scope s = "x*"\n')),
  inDir('export beside the model', 'ok', 'model "{dir}/m.onnx"\nexport onnx "{dir}/out.onnx"\n', []),
];
