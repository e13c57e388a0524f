// The command table: each command's help, its flags, and a loader. Only the chosen command's module is
// imported (`lithe check` never loads onnxruntime or the training engine), which is what makes start-up fast.
import type { ParseArgsConfig } from 'node:util';
import { UsageError, type Io } from './io.ts';

type Values = Record<string, string | boolean | undefined>;

export interface Command {
  /** This command's part of `lithe --help`, and all of `lithe COMMAND --help`. */
  help: string;
  options: ParseArgsConfig['options'];
  run(args: string[], values: Values, io: Io): number | Promise<number>;
}

/** `--force`: replace an existing output file that lithe did not write (never an input: see util/guard.ts). */
const FORCE = { type: 'boolean', default: false } as const;
const str = { type: 'string' } as const;
const bool = { type: 'boolean', default: false } as const;

/** The flags of check, explain and run that name what lithe knows (main.ts checks them before the command loads). */
const OVERRIDES = `      --target NAME      check against this target instead of the recipe's
      --model M          use this model (a path or zoo:NAME) instead of the recipe's`;

export const COMMANDS: Record<string, Command> = {
  bench: {
    help: `bench MODEL            latency after warm-up (median, p90, fastest, CPU time per run) and
                         FPS in onnxruntime-node, as a run's report measures it: at least
                         --runs N (30) timed runs spanning 2 s; the load average and host
      --batch N, --threads N, --runs N, --json, --size N|HxW (fixes a symbolic input size)`,
    options: { batch: str, threads: str, runs: str, size: str, json: bool },
    run: async (files, v, io) => (await import('./commands/bench.ts')).runBench(files, v as { batch?: string; threads?: string; runs?: string; size?: string; json: boolean }, io),
  },
  check: {
    help: `check FILE...          report every problem in recipes (.cmp or .yaml)
      --format F         text (default), pretty (with the source and carets), json, sarif
${OVERRIDES}
      --data PATH        use this data set (a COCO .json, a YOLO data.yaml, a VOC folder or
                         a folder of images) instead of the recipe's. Paths in a recipe are
                         relative to its folder; these two, to the working folder`,
    options: { format: { type: 'string', default: 'text' }, target: str, model: str, data: str },
    async run(files, v, io) {
      const { FORMATS, runCheck } = await import('./commands/check.ts');
      const format = v.format as (typeof FORMATS)[number];
      if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
      return runCheck(files, { format, target: v.target as string | undefined, model: v.model as string | undefined, data: v.data as string | undefined }, io);
    },
  },
  convert: {
    help: `convert IN OUT         load an ONNX model, verify it, and save it (never over IN; an
                         existing OUT is replaced only with --force)
      --half-weights     store conv and matmul weights as float16 behind Casts: half the
                         file, still a float32 model (lithe reads them back as float32)
      --profile NAME     record the stdlib profile that names the model's scopes
      --opset N          upgrade a model of an older opset (7 and up) to N, at most 13 (the
                         one lithe writes); without it the model keeps its own opset`,
    options: { 'half-weights': bool, profile: str, opset: str, force: FORCE },
    async run(files, v, io) {
      if (files.length !== 2) throw new UsageError('convert takes IN.onnx and OUT.onnx');
      const { runConvert } = await import('./commands/convert.ts');
      return runConvert(files[0]!, files[1]!, io, { halfWeights: !!v['half-weights'], profile: v.profile as string | undefined, opset: v.opset as string | undefined, force: !!v.force });
    },
  },
  data: {
    // the defaults are the generator's, spelled out here so that help loads nothing (test/cli-help checks them)
    help: `data synth --out DIR    the built-in benchmark as COCO JSON + PNG (--seed N, default 0;
                         --train N 2000; --val N 500; --size N 320)`,
    options: { out: str, seed: str, train: str, val: str, size: str },
    run: async (args, v, io) => (await import('./commands/data.ts')).runData(args, v as { out?: string; seed?: string; train?: string; val?: string; size?: string }, io),
  },
  eval: {
    help: `eval MODEL --data PATH
                         COCO-style mAP of a model on the val split of a data set: a COCO
                         annotation file (--images DIR) or lithe data synth folder, a YOLO
                         data.yaml or its folder, or a Pascal VOC folder (--batch N,
                         --limit N, --size N|HxW, --json)
  eval --detections DETS.json --gt GT.json [--json]
                         the same for a COCO results file (the 12 numbers, per class)`,
    options: { detections: str, gt: str, data: str, images: str, batch: str, limit: str, size: str, json: bool },
    run: async (args, v, io) => { const m = await import('./commands/eval.ts'); return m.runEval(args, v as unknown as Parameters<typeof m.runEval>[1], io); },
  },
  explain: {
    help: `explain FILE [--json]  the resolved plan, step by step (--json: plan.schema.json), with the
                         params, MACs, size and latency predicted after each step (nothing is run)
${OVERRIDES}
                         (--target a --target b: the plan on each target, side by side)`,
    options: { json: bool, target: { type: 'string', multiple: true }, model: str },
    async run(files, v, io) {
      if (files.length !== 1) throw new UsageError('explain takes exactly one FILE');
      return (await import('./commands/explain.ts')).runExplain(files[0]!, { json: !!v.json, target: v.target as string[] | undefined, model: v.model as string | undefined }, io);
    },
  },
  fmt: {
    help: `fmt [--check] FILE...  rewrite .cmp recipes in the canonical layout; --check only lists
                         the files that are not formatted`,
    options: { check: bool },
    run: async (files, v, io) => (await import('./commands/fmt.ts')).runFmt(files, { check: !!v.check }, io),
  },
  import: {
    help: `import darknet CFG [WEIGHTS] -o OUT.onnx
                         a darknet model as ONNX (--size N, --classes K, --force); without
                         .weights, seeded initial weights`,
    options: { size: str, classes: str, out: { type: 'string', short: 'o' }, force: FORCE },
    run: async (args, v, io) => (await import('./commands/import.ts')).runImport(args, { size: v.size as string | undefined, classes: v.classes as string | undefined, out: v.out as string | undefined, force: !!v.force }, io),
  },
  info: {
    help: `info MODEL [--json]    parameters, MACs, FLOPs and bytes of an ONNX model, per scope of its
                         stdlib profile (--profile NAME; zoo models record theirs), per op,
                         and the --top N nodes; --size N|HxW fixes a symbolic input size`,
    options: { json: bool, top: { type: 'string', default: '10' }, profile: str, size: str },
    async run(files, v, io) {
      if (files.length !== 1) throw new UsageError('info takes exactly one MODEL');
      const top = Number(v.top);
      if (!Number.isInteger(top) || top < 0) throw new UsageError('--top expects a whole number');
      return (await import('./commands/info.ts')).runInfo(files[0]!, { json: !!v.json, top, profile: v.profile as string | undefined, size: v.size as string | undefined }, io);
    },
  },
  lsp: {
    help: `lsp --stdio            the language server for editors (diagnostics, completion, hover,
                         definitions, symbols, formatting, quick fixes), over stdin/stdout`,
    // `--stdio` is how editors start a language server (the only transport); `--clientProcessId` VS Code adds.
    options: { stdio: bool, clientProcessId: str },
    async run(args) {
      if (args.length) throw new UsageError('lsp takes no arguments (lithe lsp --stdio)');
      return (await import('../lsp/server.ts')).runLsp();
    },
  },
  repl: {
    help: `repl [MODEL]           statements of the language applied at once to a model in memory,
                         a one-line summary after each (.help lists the dot commands);
                         reads piped statements too (results on stdout)
      --target NAME      a target statement first; --threads N for the steps (default 2)
                         History: $LITHE_HISTORY, else ~/.lithe_history`,
    options: { target: str, threads: str },
    run: async (args, v, io) => (await import('./commands/repl.ts')).runRepl(args, v, io),
  },
  run: {
    help: `run RECIPE             check the recipe and execute its plan into a run folder (the
                         plan, run.log, the model after each step, report.json,
                         report.md and report.html, its charts), then print the
                         before/after table (--out DIR, default runs/RECIPE;
                         --resume continues a stopped run; --data PATH overrides
                         the recipe's data, --size N|HxW its input; --threads N).
                         A missing model or data set stops it before it starts. One
                         run at a time per folder. A run never writes over its
                         model, teachers, data or recipe; --force lets it replace
                         other files it did not write (an existing export path, a
                         folder's files)
${OVERRIDES}`,
    options: { target: str, model: str, data: str, out: str, resume: bool, threads: str, size: str, force: FORCE },
    async run(files, v, io) {
      if (files.length !== 1) throw new UsageError('run takes exactly one RECIPE');
      const m = await import('./commands/run.ts');
      return m.runRun(files[0]!, v as Parameters<typeof m.runRun>[1], io);
    },
  },
  target: {
    help: `target calibrate       time micro-benchmarks on this CPU (1 thread, float and int8) and write a
                         target profile with fitted latency factors (--from NAME: the profile to
                         start from, x86 unless told; --out FILE: where, else stdout; --runs N
                         timed runs per measurement, 10; --rounds N passes, the least kept, 3:
                         more on a busy machine)`,
    options: { from: str, out: str, runs: str, rounds: str, force: FORCE },
    run: async (args, v, io) => (await import('./commands/target.ts')).runTarget(args, v as { from?: string; out?: string; runs?: string; rounds?: string; force?: boolean }, io),
  },
  train: {
    help: `train --model M --data PATH --epochs N --out DIR
                         train a YOLO-style detector (M: zoo:NAME or a file) in lithe, on CPU,
                         with a progress bar; then its mAP on the val split (--size N,
                         --batch N, --lr X, --optimizer sgd|adamw, --seed S, --threads N
                         (default: all cores), --workers N (threads drawing batches),
                         --resume to continue from DIR/checkpoint.bin)`,
    options: {
      model: str, data: str, epochs: str, size: str, batch: str, out: { type: 'string', short: 'o' },
      lr: str, optimizer: str, seed: str, threads: str, workers: str, resume: bool,
    },
    async run(args, v, io) {
      if (args.length) throw new UsageError('train takes no positional arguments (give --model, --data, --epochs, --out)');
      const m = await import('./commands/train.ts');
      return m.runTrain(v as unknown as Parameters<typeof m.runTrain>[0], io);
    },
  },
  zoo: {
    help: `zoo list               the built-in architectures
  zoo build NAME -o OUT  build one as ONNX (--size N, --classes K, --seed S, --force)`,
    options: { size: str, classes: str, seed: str, out: { type: 'string', short: 'o' }, force: FORCE },
    run: async (args, v, io) => (await import('./commands/zoo.ts')).runZoo(args, v as { size?: string; classes?: string; seed?: string; out?: string; force?: boolean }, io),
  },
};
