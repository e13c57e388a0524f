// `npm run check:written`: holds the models lithe writes to ONNX's own checker (onnx.checker.check_model with
// full_check, Debian's python3-onnx, one Python process for all of them). Every model writer notes what it
// wrote when LITHE_WRITE_LOG is set (src/onnx/write-log.ts); this runs a representative set of them — every
// zoo model (`zoo build`), `convert` (plain, --half-weights, --opset 13 of an opset-9 export), `import
// darknet`, two `lithe run`s through fuse, prune + finetune, quantize int8 and fp16, eval and export, `train`,
// and the writer property test's models — then checks every file noted.
//
//   npm run check:written                      the representative set (about half a minute)
//   npm run check:written -- test/A.test.ts ...   every model those test files write (kept by hard links)
//
// A model of an IR version or opset newer than the checker knows (onnx 1.12: IR 8, opset 17) is listed as
// skipped with the reason, not passed. Exits 1 when any model fails the check, 2 when it cannot run. With
// test files, the models tests write on purpose to be refused (a broken graph, a deprecated op, external
// data whose files are not kept beside the kept copy) are among those checked, and fail as they should.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TensorProto_DataType as DT } from 'onnx-buf';
import { main } from '../src/cli/main.ts';
import { saveModel } from '../src/onnx/io.ts';
import { setMetadata } from '../src/onnx/make.ts';
import { zoo, zooByName } from '../src/zoo/registry.ts';
import { checkText } from '../src/plan/build.ts';
import { runPlan } from '../src/run/run.ts';
import { build, yolov3Trt } from '../test/support/old-exports.ts';
import { ALL_TYPES, runnableModel, tensorModel } from '../test/support/tensors.ts';
import { checkerMissing, checkModels, type Verdict } from './onnx-checker.ts';

export interface Written { writer: string; path: string; verdict: Verdict }

async function cli(args: string[]): Promise<void> {
  let err = '';
  const code = await main(args, { out: () => {}, err: (t) => { err += t; } });
  if (code !== 0) throw new Error(`lithe ${args.join(' ')}: exit ${code}\n${err}`);
}

/** The writers, each a name and what it does in `dir`. */
function writers(dir: string): [string, () => Promise<void>][] {
  const micro = join(dir, 'micro.onnx');
  const recipe = (name: string, body: string) => {
    const file = join(dir, `${name}.cmp`);
    writeFileSync(file, `model "${micro}"\ndata synth images 16\ntarget x86\n${body}\n`);
    return file;
  };
  const run = async (name: string, body: string) => {
    const file = recipe(name, body);
    const { plan } = checkText(file, readFileSync(file, 'utf8'), {});
    if (!plan) throw new Error(`${file}: the recipe does not check`);
    await runPlan(plan, { out: join(dir, name), threads: 1, dataDir: join(dir, 'data'), recipe: file });
  };
  return [
    ...zoo.map((m): [string, () => Promise<void>] => [`zoo build ${m.name}`, () => cli(['zoo', 'build', m.name, '--size', String(m.stride * 2), '-o', join(dir, `zoo-${m.name}.onnx`)])]),
    ['the run\'s input (saveModel)', async () => {
      const m = zooByName.get('micro-yolo')!.build({ size: 64, classes: 9, seed: 0 });
      setMetadata(m, 'lithe.profile', 'micro-yolo');
      saveModel(m, micro);
    }],
    ['convert', () => cli(['convert', micro, join(dir, 'convert.onnx')])],
    ['convert --half-weights --profile', () => cli(['convert', micro, join(dir, 'half.onnx'), '--half-weights', '--profile', 'micro-yolo'])],
    ['convert --opset 13 (a darknet YOLOv3 for TensorRT, opset 9)', async () => {
      saveModel(build(yolov3Trt(9)), join(dir, 'old9.onnx'));
      await cli(['convert', join(dir, 'old9.onnx'), join(dir, 'old9-13.onnx'), '--opset', '13']);
    }],
    ['import darknet', () => cli(['import', 'darknet', 'zoo/yolov3-tiny.cfg', '--size', '64', '-o', join(dir, 'darknet.onnx')])],
    ['run: fuse, prune + finetune, quantize int8, eval, export', () => run('int8', `fuse\nprune backbone l1 0.5 finetune epochs 1\nquantize int8 ptq calib 8\neval\nexport onnx "${join(dir, 'int8-export.onnx')}"`)],
    ['run: quantize fp16, export', () => run('fp16', `quantize fp16\nexport onnx "${join(dir, 'fp16-export.onnx')}"`)],
    ['train', () => cli(['train', '--model', micro, '--data', firstSynth(join(dir, 'data')), '--epochs', '1', '--size', '64', '--batch', '8', '--threads', '1', '--workers', '1', '--out', join(dir, 'train')])],
    ['the writer property test\'s models (types the checker knows, opset 13)', async () => {
      const known = ALL_TYPES.filter((t) => t <= DT.BFLOAT16);
      for (const seed of [1, 2, 3]) saveModel(tensorModel(seed, known, 2, { opset: 13, irVersion: 7n }), join(dir, `tensors${seed}.onnx`));
      saveModel(runnableModel(4).model, join(dir, 'runnable.onnx'));
    }],
  ];
}

/** The synthetic set the runs generated (train needs a folder). */
function firstSynth(root: string): string {
  const dirs = existsSync(root) ? readdirSync(root).sort() : [];
  if (!dirs.length) throw new Error(`no synthetic set under ${root}`);
  return join(root, dirs[0]!);
}

const noted = (log: string): string[] => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);

/** Runs the representative writers with the log on, then checks every model they wrote. */
export async function checkRepresentative(say: (line: string) => void = () => {}): Promise<Written[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-written-'));
  const log = join(dir, 'written.txt');
  const before = process.env.LITHE_WRITE_LOG;
  process.env.LITHE_WRITE_LOG = log;
  const byWriter: [string, string[]][] = [];
  try {
    for (const [name, write] of writers(dir)) {
      const n = noted(log).length;
      const t0 = Date.now();
      await write();
      byWriter.push([name, noted(log).slice(n)]);
      say(`${name}: ${noted(log).length - n} models (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
    process.env.LITHE_WRITE_LOG = before ?? '';
    if (before === undefined) delete process.env.LITHE_WRITE_LOG;
    const verdicts = checkModels(byWriter.flatMap(([, paths]) => paths));
    return byWriter.flatMap(([writer, paths]) => paths.map((path) => ({ writer, path, verdict: verdicts.get(path)! })));
  } finally {
    if (before === undefined) delete process.env.LITHE_WRITE_LOG; else process.env.LITHE_WRITE_LOG = before;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs test files with the log on, keeping every model they write, then checks them all. */
function checkTests(files: string[]): Written[] {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-written-'));
  const keep = join(dir, 'kept');
  mkdirSync(keep);
  const log = join(dir, 'written.txt');
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...files], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, LITHE_WRITE_LOG: log, LITHE_WRITE_KEEP: keep } });
    if (r.status !== 0) console.error(`(the test files exited ${r.status}; checking what they wrote anyway)`);
    const paths = noted(log);
    const verdicts = checkModels(paths);
    return paths.map((path) => ({ writer: path.replace(/^.*\/\d+-\d+-/, ''), path, verdict: verdicts.get(path)! }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line per writer: models ok, skipped and failed; then each failure and skip with its reason. */
export function summary(rows: Written[]): string {
  const writers = [...new Set(rows.map((r) => r.writer))];
  const count = (w: string, s: Verdict['status']) => rows.filter((r) => r.writer === w && r.verdict.status === s).length;
  const lines = ['| writer | models | ok | skipped | FAILED |', '|---|---:|---:|---:|---:|'];
  for (const w of writers) lines.push(`| ${w} | ${rows.filter((r) => r.writer === w).length} | ${count(w, 'ok')} | ${count(w, 'skipped')} | ${count(w, 'fail')} |`);
  const notes = rows.filter((r) => r.verdict.status !== 'ok').map((r) => `${r.verdict.status === 'fail' ? 'FAILED' : 'skipped'}: ${r.path} (${r.writer}): ${r.verdict.message}`);
  return [...lines, ...(notes.length ? ['', ...notes] : [])].join('\n');
}

async function cliMain(args: string[]): Promise<number> {
  const missing = checkerMissing();
  if (missing) {
    console.error(`check:written: ${missing}`);
    return 2;
  }
  const t0 = Date.now();
  const rows = args.length ? checkTests(args.map((a) => resolve(a))) : await checkRepresentative((l) => console.error(l));
  console.log(`# onnx.checker (full check) on ${rows.length} models lithe wrote (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
  console.log(summary(rows));
  return rows.some((r) => r.verdict.status === 'fail') || !rows.length ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await cliMain(process.argv.slice(2));
