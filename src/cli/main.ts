// The `lithe` command line: a thin shell over the same functions the REPL and the language server call.
// Every command follows one exit-code convention: 0 fine, 1 problems found, 2 could not run.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EXIT, processIo, UsageError, type Io } from './io.ts';
import { FORMATS, runCheck, type Format } from './commands/check.ts';
import { runFmt } from './commands/fmt.ts';
import { runExplain } from './commands/explain.ts';
import { runRun, type RunFlags } from './commands/run.ts';
import { runInfo } from './commands/info.ts';
import { runConvert } from './commands/convert.ts';
import { runImport } from './commands/import.ts';
import { runZoo } from './commands/zoo.ts';
import { runEval, type EvalFlags } from './commands/eval.ts';
import { runBench } from './commands/bench.ts';
import { runData, DATA_HELP } from './commands/data.ts';
import { runTrain, type TrainFlags } from './commands/train.ts';
import { errnoOf, fsError, isFsError, LitheError } from '../errors.ts';
import { VERSION } from '../diagnostics/render.ts';
import { listTargets } from '../targets/load.ts';
import { stdlibNames } from '../plan/sources.ts';
import { unknownMessage } from '../plan/suggest.ts';

const HELP = `lithe ${VERSION}: compress ONNX object detectors for edge devices

Usage: lithe <command> [options]

Commands:
  bench MODEL            latency after warm-up (median, p90) and FPS in onnxruntime-node
      --batch N, --threads N, --runs N, --json, --size N|HxW (fixes a symbolic input size)
  check FILE...          report every problem in recipes (.cmp or .yaml)
      --format F         text (default), pretty (with the source and carets), json, sarif
      --target NAME      check against this target instead of the recipe's
      --model M          use this model (a path or zoo:NAME) instead of the recipe's
      --data PATH        use this data set (a COCO .json, a YOLO data.yaml, a VOC folder or
                         a folder of images) instead of the recipe's. Paths in a recipe are
                         relative to its folder; these two, to the working folder
  fmt [--check] FILE...  rewrite .cmp recipes in the canonical layout; --check only lists
                         the files that are not formatted
  ${DATA_HELP}
  eval MODEL --data PATH COCO-style mAP of a model on the val split of a data set: a COCO
                         annotation file (--images DIR) or lithe data synth folder, a YOLO
                         data.yaml or its folder, or a Pascal VOC folder (--batch N,
                         --limit N, --size N|HxW, --json)
  eval --detections DETS.json --gt GT.json [--json]
                         the same for a COCO results file (the 12 numbers, per class)
  explain FILE [--json]  the resolved plan, step by step (--json: plan.schema.json)
      --target, --model  as for check
  convert IN OUT         load an ONNX model, verify it, and save it (never over IN; an
                         existing OUT is replaced only with --force)
      --half-weights     store conv and matmul weights as float16 behind Casts: half the
                         file, still a float32 model (lithe reads them back as float32)
      --profile NAME     record the stdlib profile that names the model's scopes
      --opset N          upgrade a model of an older opset (7 and up) to N, at most 13 (the
                         one lithe writes); without it the model keeps its own opset
  import darknet CFG [WEIGHTS] -o OUT.onnx
                         a darknet model as ONNX (--size N, --classes K, --force); without
                         .weights, seeded initial weights
  info MODEL [--json]    parameters, MACs, FLOPs and bytes of an ONNX model, per scope of its
                         stdlib profile (--profile NAME; zoo models record theirs), per op,
                         and the --top N nodes; --size N|HxW fixes a symbolic input size
  train --model M --data PATH --epochs N --out DIR
                         train a YOLO-style detector (M: zoo:NAME or a file) in lithe, on CPU,
                         with a progress bar; then its mAP on the val split (--size N,
                         --batch N, --lr X, --optimizer sgd|adamw, --seed S, --threads N
                         (default: all cores), --workers N (threads drawing batches),
                         --resume to continue from DIR/checkpoint.bin)
  lsp --stdio            the language server for editors (diagnostics, completion, hover,
                         definitions, symbols, formatting, quick fixes), over stdin/stdout
  zoo list               the built-in architectures
  zoo build NAME -o OUT  build one as ONNX (--size N, --classes K, --seed S, --force)
  run RECIPE             check the recipe and execute its plan into a run folder (the
                         plan, run.log, the model after each step, report.json and
                         report.md), then print the before/after table (--out DIR,
                         default runs/RECIPE; --resume continues a stopped run;
                         --data PATH overrides the recipe's data, --size N|HxW its
                         input; --threads N). A missing model or data set stops it
                         before it starts. One run at a time per folder. A run never
                         writes over its model, teachers, data or recipe; --force lets
                         it replace other files it did not write (an existing export
                         path, a folder's files)
      --target, --model  as for check

  --help, -h             this help
  --version, -v          the version

Exit codes: 0 no errors, 1 errors found (or files not formatted), 2 could not run.
Language reference: grammar/lithe.ebnf; diagnostic codes: grammar/diagnostics.md.
`;

/** `--force`: replace an existing output file that lithe did not write (never an input: see util/guard.ts). */
const FORCE = { type: 'boolean', default: false } as const;

interface Command {
  options: ParseArgsConfig['options'];
  run(files: string[], values: Record<string, string | boolean | undefined>, io: Io): number | Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  bench: {
    options: { batch: { type: 'string' }, threads: { type: 'string' }, runs: { type: 'string' }, size: { type: 'string' }, json: { type: 'boolean', default: false } },
    run: (files, v, io) => runBench(files, v as { batch?: string; threads?: string; runs?: string; size?: string; json: boolean }, io),
  },
  check: {
    options: { format: { type: 'string', default: 'text' }, target: { type: 'string' }, model: { type: 'string' }, data: { type: 'string' } },
    run(files, v, io) {
      const format = v.format as Format;
      if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
      return runCheck(files, { format, target: v.target as string | undefined, model: v.model as string | undefined, data: v.data as string | undefined }, io);
    },
  },
  convert: {
    options: { 'half-weights': { type: 'boolean', default: false }, profile: { type: 'string' }, opset: { type: 'string' }, force: FORCE },
    run(files, v, io) {
      if (files.length !== 2) throw new UsageError('convert takes IN.onnx and OUT.onnx');
      return runConvert(files[0]!, files[1]!, io, { halfWeights: !!v['half-weights'], profile: v.profile as string | undefined, opset: v.opset as string | undefined, force: !!v.force });
    },
  },
  data: {
    options: { out: { type: 'string' }, seed: { type: 'string' }, train: { type: 'string' }, val: { type: 'string' }, size: { type: 'string' } },
    run: (args, v, io) => runData(args, v as { out?: string; seed?: string; train?: string; val?: string; size?: string }, io),
  },
  eval: {
    options: {
      detections: { type: 'string' }, gt: { type: 'string' }, data: { type: 'string' }, images: { type: 'string' },
      batch: { type: 'string' }, limit: { type: 'string' }, size: { type: 'string' }, json: { type: 'boolean', default: false },
    },
    run: (args, v, io) => runEval(args, v as unknown as EvalFlags, io),
  },
  explain: {
    options: { json: { type: 'boolean', default: false }, target: { type: 'string' }, model: { type: 'string' } },
    run(files, v, io) {
      if (files.length !== 1) throw new UsageError('explain takes exactly one FILE');
      return runExplain(files[0]!, { json: !!v.json, target: v.target as string | undefined, model: v.model as string | undefined }, io);
    },
  },
  fmt: {
    options: { check: { type: 'boolean', default: false } },
    run: (files, v, io) => runFmt(files, { check: !!v.check }, io),
  },
  import: {
    options: { size: { type: 'string' }, classes: { type: 'string' }, out: { type: 'string', short: 'o' }, force: FORCE },
    run: (args, v, io) => runImport(args, { size: v.size as string | undefined, classes: v.classes as string | undefined, out: v.out as string | undefined, force: !!v.force }, io),
  },
  info: {
    options: { json: { type: 'boolean', default: false }, top: { type: 'string', default: '10' }, profile: { type: 'string' }, size: { type: 'string' } },
    run(files, v, io) {
      if (files.length !== 1) throw new UsageError('info takes exactly one MODEL');
      const top = Number(v.top);
      if (!Number.isInteger(top) || top < 0) throw new UsageError('--top expects a whole number');
      return runInfo(files[0]!, { json: !!v.json, top, profile: v.profile as string | undefined, size: v.size as string | undefined }, io);
    },
  },
  train: {
    options: {
      model: { type: 'string' }, data: { type: 'string' }, epochs: { type: 'string' }, size: { type: 'string' }, batch: { type: 'string' }, out: { type: 'string', short: 'o' },
      lr: { type: 'string' }, optimizer: { type: 'string' }, seed: { type: 'string' }, threads: { type: 'string' }, workers: { type: 'string' }, resume: { type: 'boolean', default: false },
    },
    run(args, v, io) {
      if (args.length) throw new UsageError('train takes no positional arguments (give --model, --data, --epochs, --out)');
      return runTrain(v as unknown as TrainFlags, io);
    },
  },
  lsp: {
    // `--stdio` is how editors start a language server (the only transport); `--clientProcessId` VS Code adds.
    options: { stdio: { type: 'boolean', default: false }, clientProcessId: { type: 'string' } },
    async run(args) {
      if (args.length) throw new UsageError('lsp takes no arguments (lithe lsp --stdio)');
      return (await import('../lsp/server.ts')).runLsp();
    },
  },
  zoo: {
    options: { size: { type: 'string' }, classes: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string', short: 'o' }, force: FORCE },
    run: (args, v, io) => runZoo(args, v as { size?: string; classes?: string; seed?: string; out?: string; force?: boolean }, io),
  },
  run: {
    options: { target: { type: 'string' }, model: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' }, resume: { type: 'boolean', default: false }, threads: { type: 'string' }, size: { type: 'string' }, force: FORCE },
    run(files, v, io) {
      if (files.length !== 1) throw new UsageError('run takes exactly one RECIPE');
      return runRun(files[0]!, v as RunFlags, io);
    },
  },
};

/** `--target` and `--model zoo:NAME` name things lithe knows; a wrong one is a bad flag (exit 2), not a recipe error. */
function checkOverrides(v: Record<string, string | boolean | undefined>): void {
  const target = v.target;
  if (typeof target === 'string' && !listTargets().includes(target)) {
    throw new UsageError(`--target: ${unknownMessage('target', target, listTargets()).message}`);
  }
  const model = v.model;
  if (typeof model === 'string' && model.startsWith('zoo:') && !stdlibNames().includes(model.slice(4))) {
    throw new UsageError(`--model: ${unknownMessage('zoo model', model.slice(4), stdlibNames()).message}`);
  }
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (!name || name === '--help' || name === '-h' || name === 'help') { io.out(HELP); return EXIT.ok; }
    if (name === '--version' || name === '-v') { io.out(`${VERSION}\n`); return EXIT.ok; }
    const cmd = COMMANDS[name];
    if (!cmd) throw new UsageError(`unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
    const { values, positionals } = parseArgs({ args: rest, options: { ...cmd.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    if (values.help) { io.out(HELP); return EXIT.ok; }
    checkOverrides(values as Record<string, string | boolean | undefined>);
    return await cmd.run(positionals, values as Record<string, string | boolean | undefined>, io);
  } catch (e) {
    return failure(e, io);
  }
}

/** Node's names for the calls behind a file-system error, as the verb of a message. */
const SYSCALL_VERBS: Record<string, string> = { open: 'open', read: 'read', write: 'write', mkdir: 'create folder', rename: 'write', unlink: 'remove', rmdir: 'remove', scandir: 'list folder', stat: 'read', lstat: 'read' };

/**
 * What the user sees when a command fails: for everything a user can cause (a LitheError, a bad flag, a
 * file-system error such as a full disk) one line and its exit code; anything else is a bug in lithe, said
 * plainly rather than with a stack trace.
 */
function failure(e: unknown, io: Io): number {
  if (e instanceof UsageError || errnoOf(e)?.startsWith('ERR_PARSE_ARGS')) {
    io.err(`lithe: ${(e as Error).message}\nRun 'lithe --help' for usage.\n`);
    return EXIT.usage;
  }
  const sys = e as { path?: unknown; syscall?: unknown };
  // a file-system error that escaped the code that knows the file (a bug in itself) still says what happened
  const user = e instanceof LitheError ? e
    : isFsError(e) ? fsError(e, typeof sys.path === 'string' ? sys.path : 'a file', SYSCALL_VERBS[String(sys.syscall)] ?? 'use') : undefined;
  if (user) {
    io.err(`lithe: ${user.message}\n`);
    return user.exit;
  }
  io.err(`lithe: internal error: ${(e as Error)?.message ?? String(e)}\nPlease report it with the recipe that caused it.\n`);
  return EXIT.usage;
}
