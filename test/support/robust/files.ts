// Reliability cases about files: what is not a regular file (a FIFO, /dev/zero, a folder) given as every kind
// of input, outputs that would land on an input (the model, the recipe, the data) by a plain path, `..`, a
// symlink or a hard link, existing files lithe did not write, and output folders that cannot be made.
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { modelIn, recipeIn, synthSet } from './fixture.ts';
import type { Outcome, RobustCase } from './types.ts';

/** Ways a path can be something other than a regular file. */
const NOT_FILES: Record<string, (p: string) => void> = {
  fifo: (p) => execFileSync('mkfifo', [p]),
  'dev-zero': (p) => symlinkSync('/dev/zero', p),
  folder: (p) => mkdirSync(p),
};

/** Each place a command reads a file, as (the bad file's name, the arguments that read it). */
const READERS: [string, string, (dir: string, bad: string) => string[]][] = [
  ['info MODEL', 'm.onnx', (_d, bad) => ['info', bad]],
  ['convert MODEL', 'm.onnx', (d, bad) => ['convert', bad, join(d, 'out.onnx')]],
  ['bench MODEL', 'm.onnx', (_d, bad) => ['bench', bad, '--runs', '1']],
  ['eval MODEL', 'm.onnx', (_d, bad) => ['eval', bad, '--data', synthSet()]],
  ['run: model in the recipe', 'm.onnx', (d, bad) => ['run', recipeIn(d, 'fuse', { model: bad }), '--out', join(d, 'run')]],
  ['train --model', 'm.onnx', (d, bad) => ['train', '--model', bad, '--data', synthSet(), '--epochs', '1', '--size', '64', '--out', join(d, 'train')]],
  ['check RECIPE', 'r.cmp', (_d, bad) => ['check', bad]],
  ['run RECIPE', 'r.cmp', (d, bad) => ['run', bad, '--out', join(d, 'run')]],
  ['explain RECIPE', 'r.cmp', (_d, bad) => ['explain', bad]],
  ['fmt RECIPE', 'r.cmp', (_d, bad) => ['fmt', bad]],
  ['import darknet CFG', 'y.cfg', (d, bad) => ['import', 'darknet', bad, '-o', join(d, 'out.onnx')]],
  ['eval --detections', 'dets.json', (_d, bad) => ['eval', '--detections', bad, '--gt', join(synthSet(), 'val.json')]],
  ['eval --gt', 'gt.json', (d, bad) => ['eval', '--detections', emptyDetections(d), '--gt', bad]],
];

function emptyDetections(dir: string): string {
  const p = join(dir, 'dets.json');
  writeFileSync(p, '[]');
  return p;
}

/** Nothing but the case's own inputs in `dir` afterwards: no output, no temporary. */
const wroteNothing = (names: string[]) => (dir: string): string | undefined => {
  const made = names.filter((n) => existsSync(join(dir, n)));
  return made.length ? `wrote ${made.join(', ')} although it failed` : undefined;
};

const notFileCases: RobustCase[] = Object.entries(NOT_FILES).flatMap(([kind, make]) => READERS.map(([reader, name, args]): RobustCase => ({
  kind: 'input', name: `${kind} as ${reader}`, expect: 'fail', subprocess: kind === 'fifo',
  setup(dir) { const bad = join(dir, name); make(bad); return args(dir, bad); },
  verify: wroteNothing(['out.onnx', 'train/model.onnx', 'run/01-fuse.onnx']),
})));

/** The bytes of every file named, to compare after the run. */
function snapshot(files: string[]): () => string | undefined {
  const before = files.map((f) => readFileSync(f));
  return () => {
    const changed = files.filter((f, i) => !existsSync(f) || !readFileSync(f).equals(before[i]!));
    return changed.length ? `changed ${changed.map((f) => basename(f)).join(', ')}` : undefined;
  };
}

/** A case whose setup returns the arguments and the files that must come out unchanged. */
function keeps(kind: string, name: string, expect: 'fail' | 'ok', setup: (dir: string) => { args: string[]; keep: string[]; check?: (dir: string, o: Outcome) => string | undefined }): RobustCase {
  let unchanged: () => string | undefined = () => undefined;
  let check: ((dir: string, o: Outcome) => string | undefined) | undefined;
  return {
    kind, name, expect,
    setup(dir) { const s = setup(dir); unchanged = snapshot(s.keep); check = s.check; return s.args; },
    verify: (dir, o) => unchanged() ?? check?.(dir, o),
  };
}

const QUANT = 'quantize int8 ptq calib 8';

/** Outputs aimed at inputs, by every road there is, and at files lithe did not write. */
const outputCases: RobustCase[] = [
  keeps('output', 'export over the input model', 'fail', (d) => {
    const m = modelIn(d);
    return { args: ['run', recipeIn(d, `${QUANT}\nexport onnx "${m}"`, { model: m }), '--out', join(d, 'run')], keep: [m] };
  }),
  keeps('output', 'export over the model through ..', 'fail', (d) => {
    const m = modelIn(d);
    mkdirSync(join(d, 'sub'));
    return { args: ['run', recipeIn(d, `${QUANT}\nexport onnx "${join(d, 'sub', '..', 'model.onnx')}"`, { model: m }), '--out', join(d, 'run')], keep: [m] };
  }),
  keeps('output', 'export over the model through a symlinked folder', 'fail', (d) => {
    const m = modelIn(d);
    symlinkSync(d, join(d, 'link'));
    return { args: ['run', recipeIn(d, `${QUANT}\nexport onnx "${join(d, 'link', 'model.onnx')}"`, { model: m }), '--out', join(d, 'run')], keep: [m] };
  }),
  keeps('output', 'export over a hard link to the model', 'fail', (d) => {
    const m = modelIn(d);
    linkSync(m, join(d, 'hard.onnx'));
    return { args: ['run', recipeIn(d, `${QUANT}\nexport onnx "${join(d, 'hard.onnx')}"`, { model: m }), '--out', join(d, 'run')], keep: [m, join(d, 'hard.onnx')] };
  }),
  keeps('output', 'export over the recipe', 'fail', (d) => {
    const r = join(d, 'recipe.cmp');
    recipeIn(d, `${QUANT}\nexport onnx "${r}"`);
    return { args: ['run', r, '--out', join(d, 'run')], keep: [r, join(d, 'model.onnx')] };
  }),
  keeps('output', 'export into the data set', 'fail', (d) => {
    const victim = join(synthSet(), 'val.json');
    return { args: ['run', recipeIn(d, `${QUANT}\nexport onnx "${victim}"`), '--out', join(d, 'run')], keep: [victim] };
  }),
  keeps('output', 'export over a file lithe did not write', 'fail', (d) => {
    writeFileSync(join(d, 'notes.txt'), 'my notes\n');
    return { args: ['run', recipeIn(d, `${QUANT}\nexport onnx "${join(d, 'notes.txt')}"`), '--out', join(d, 'run')], keep: [join(d, 'notes.txt'), join(d, 'model.onnx')] };
  }),
  keeps('output', 'export over a file lithe did not write, with --force', 'ok', (d) => {
    writeFileSync(join(d, 'old.onnx'), 'old\n');
    return {
      args: ['run', recipeIn(d, `${QUANT}\nexport onnx "${join(d, 'old.onnx')}"`), '--out', join(d, 'run'), '--force'], keep: [join(d, 'model.onnx')],
      check: (dir) => (readFileSync(join(dir, 'old.onnx'), 'utf8') === 'old\n' ? 'the forced export did not replace old.onnx' : undefined),
    };
  }),
  keeps('output', 'the run folder is the data set', 'fail', (d) => ({ args: ['run', recipeIn(d, QUANT), '--out', synthSet()], keep: [join(synthSet(), 'train.json')] })),
  keeps('output', 'a run folder of files lithe did not write', 'fail', (d) => {
    mkdirSync(join(d, 'mine'));
    writeFileSync(join(d, 'mine', 'report.md'), '# my report\n');
    return { args: ['run', recipeIn(d, QUANT), '--out', join(d, 'mine')], keep: [join(d, 'mine', 'report.md'), join(d, 'model.onnx')] };
  }),
  keeps('output', 'convert over its input', 'fail', (d) => {
    const m = modelIn(d);
    return { args: ['convert', m, m], keep: [m] };
  }),
  keeps('output', 'convert over its input through a symlinked folder', 'fail', (d) => {
    const m = modelIn(d);
    symlinkSync(d, join(d, 'link'));
    return { args: ['convert', m, join(d, 'link', 'model.onnx')], keep: [m] };
  }),
  keeps('output', 'convert over a hard link to its input', 'fail', (d) => {
    const m = modelIn(d);
    linkSync(m, join(d, 'hard.onnx'));
    return { args: ['convert', m, join(d, 'hard.onnx')], keep: [m] };
  }),
  keeps('output', 'convert over a file lithe did not write', 'fail', (d) => {
    writeFileSync(join(d, 'notes.txt'), 'my notes\n');
    return { args: ['convert', modelIn(d), join(d, 'notes.txt')], keep: [join(d, 'notes.txt'), join(d, 'model.onnx')] };
  }),
  keeps('output', 'convert with --force over a file lithe did not write', 'ok', (d) => {
    writeFileSync(join(d, 'old.onnx'), 'old\n');
    return { args: ['convert', modelIn(d), join(d, 'old.onnx'), '--force'], keep: [join(d, 'model.onnx')] };
  }),
  keeps('output', 'convert to a new file', 'ok', (d) => ({ args: ['convert', modelIn(d), join(d, 'new.onnx')], keep: [join(d, 'model.onnx')] })),
  keeps('output', 'zoo build over a file lithe did not write', 'fail', (d) => {
    writeFileSync(join(d, 'notes.txt'), 'my notes\n');
    return { args: ['zoo', 'build', 'micro-yolo', '--size', '64', '-o', join(d, 'notes.txt')], keep: [join(d, 'notes.txt')] };
  }),
  keeps('output', 'import darknet over its cfg', 'fail', (d) => {
    const cfg = join(d, 'tiny.cfg');
    writeFileSync(cfg, readFileSync(new URL('../../../zoo/yolov3-tiny.cfg', import.meta.url)));
    return { args: ['import', 'darknet', cfg, '-o', cfg], keep: [cfg] };
  }),
  keeps('output', 'train into the data set', 'fail', (d) => ({
    args: ['train', '--model', 'zoo:micro-yolo', '--data', synthSet(), '--epochs', '1', '--size', '64', '--out', join(synthSet(), 'train')], keep: [join(synthSet(), 'train.json')],
  })),
];

/** Output folders that cannot be made: under /proc (Node's recursive mkdir loops there), under a file. */
const folderCases: RobustCase[] = [
  { kind: 'output', name: 'run --out under /proc', expect: 'fail', subprocess: true, setup: (d) => ['run', recipeIn(d, 'fuse'), '--out', '/proc/lithe-robust/run'] },
  { kind: 'output', name: 'data synth --out under /proc', expect: 'fail', subprocess: true, setup: () => ['data', 'synth', '--out', '/proc/lithe-robust/synth', '--train', '8', '--val', '8', '--size', '64'] },
  { kind: 'output', name: 'train --out under /proc', expect: 'fail', subprocess: true, setup: () => ['train', '--model', 'zoo:micro-yolo', '--data', synthSet(), '--epochs', '1', '--size', '64', '--out', '/proc/lithe-robust/t'] },
  { kind: 'output', name: 'export under /proc', expect: 'fail', subprocess: true, setup: (d) => ['run', recipeIn(d, `fuse\nexport onnx "/proc/lithe-robust/m.onnx"`), '--out', join(d, 'run')] },
  { kind: 'output', name: 'convert under /proc', expect: 'fail', subprocess: true, setup: (d) => ['convert', modelIn(d), '/proc/lithe-robust/m.onnx'] },
  {
    kind: 'output', name: 'run --out under a file', expect: 'fail',
    setup: (d) => { writeFileSync(join(d, 'f'), ''); return ['run', recipeIn(d, 'fuse'), '--out', join(d, 'f', 'run')]; },
  },
  { kind: 'output', name: 'data synth --out under a file', expect: 'fail', setup: (d) => { writeFileSync(join(d, 'f'), ''); return ['data', 'synth', '--out', join(d, 'f', 's'), '--train', '8', '--val', '8', '--size', '64']; } },
];

export const fileCases: RobustCase[] = [...notFileCases, ...outputCases, ...folderCases];
