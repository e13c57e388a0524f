// lithe train --model zoo:NAME|FILE --data PATH --epochs N [--size N] [--batch N] --out DIR [--resume]:
// trains a YOLO-style detector in a worker thread with a progress bar (loss, images/s, ETA), then evaluates
// it on the data set's val split. Ctrl-C stops after the current step with a checkpoint; --resume goes on.
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import cliProgress from 'cli-progress';
import { EXIT, UsageError, type Io } from '../io.ts';
import { wholeFlag } from '../flags.ts';
import { LitheError } from '../../errors.ts';
import { InputGuard } from '../../util/guard.ts';
import { makeDir, writeAtomic } from '../../util/files.ts';
import { workerEntry } from '../../util/worker-entry.ts';
import { PROGRESS_SECONDS } from '../../util/progress.ts';
import { loadModel } from '../../onnx/io.ts';
import { loadDetectionSet } from '../../data/load.ts';
import { evaluateModel } from '../../metrics/evaluate-model.ts';
import { SUMMARY_NAMES } from '../../metrics/coco.ts';
import type { TrainOptions } from '../../train/loop.ts';
import type { WorkerJob, WorkerMessage } from '../../train/worker.ts';

export interface TrainFlags { model?: string; data?: string; epochs?: string; size?: string; batch?: string; out?: string; lr?: string; optimizer?: string; seed?: string; threads?: string; workers?: string; resume: boolean }

// onnxruntime takes every core for the step; batch workers mostly run while it waits on memory and between ops
const cores = availableParallelism();

function options(f: TrainFlags): TrainOptions {
  if (!f.model || !f.data || !f.out) throw new UsageError('train needs --model (zoo:NAME or a file), --data PATH and --out DIR');
  const epochs = wholeFlag(f.epochs, '--epochs');
  if (!epochs) throw new UsageError('train needs --epochs N (N ≥ 1)');
  if (f.optimizer && f.optimizer !== 'sgd' && f.optimizer !== 'adamw') throw new UsageError('--optimizer is sgd or adamw');
  const lr = f.lr === undefined ? undefined : Number(f.lr);
  if (lr !== undefined && !(lr > 0)) throw new UsageError('--lr expects a positive number');
  return {
    epochs, out: f.out, size: wholeFlag(f.size, '--size') ?? 320, batch: wholeFlag(f.batch, '--batch') ?? 8, lr,
    optimizer: f.optimizer as TrainOptions['optimizer'], seed: wholeFlag(f.seed, '--seed', 0) ?? 0, threads: wholeFlag(f.threads, '--threads') ?? cores, workers: wholeFlag(f.workers, '--workers', 0) ?? Math.max(1, Math.floor(cores / 4)), resume: f.resume,
  };
}

/** Runs the job in the worker; resolves with the trained model's path. */
function runWorker(job: WorkerJob, io: Io): Promise<string> {
  const bar = new cliProgress.SingleBar({
    format: 'epoch {epoch}/{epochs} |{bar}| {value}/{total} loss {loss} {speed} img/s ETA {eta_formatted}', stream: process.stderr, hideCursor: true,
    // without a terminal (a background job's log), a line every few seconds instead of redrawing
    noTTYOutput: true, notTTYSchedule: PROGRESS_SECONDS * 1000,
  }, cliProgress.Presets.shades_classic);
  const worker = new Worker(workerEntry(import.meta.url, '../../train/worker.ts', '../../../bin/train-worker.js'), { workerData: job, execArgv: [] });
  let stops = 0;
  const onInt = () => { if (stops++) void worker.terminate(); else { io.err('\nlithe: stopping after this step (Ctrl-C again to abandon it)\n'); worker.postMessage('stop'); } };
  process.on('SIGINT', onInt);
  let epoch = -1;
  return new Promise<string>((resolve, reject) => {
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'progress') {
        const p = m.progress;
        if (p.epoch !== epoch) { if (epoch >= 0) bar.stop(); bar.start(p.steps, 0, { epoch: p.epoch + 1, epochs: p.epochs, loss: '-', speed: '-' }); epoch = p.epoch; }
        bar.update(p.step, { loss: p.loss.toFixed(4), speed: p.imagesPerSecond.toFixed(1) });
      } else if (m.kind === 'done') resolve(m.model);
      else reject(m.exit ? new LitheError(m.message, m.exit) : new Error(m.message));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`the training worker exited (${code})`)));
  }).finally(() => { bar.stop(); process.off('SIGINT', onInt); });
}

export async function runTrain(flags: TrainFlags, io: Io): Promise<number> {
  const opts = options(flags);
  const guard = new InputGuard().file(flags.model!, 'the model');
  guard.path(flags.data!, 'the data set');
  for (const f of ['', 'model.onnx', 'checkpoint.bin', 'metrics.json']) guard.check(join(opts.out, f), '--out');
  const set = loadDetectionSet(flags.data!, { split: 'train' }); // fails fast, naming the file, before a worker starts
  makeDir(opts.out);
  const out = await runWorker({ model: flags.model!, data: flags.data!, options: opts }, io);
  io.out(`trained on ${set.gt.images.length} images for ${opts.epochs} epochs: ${out}\n`);
  const val = loadDetectionSet(flags.data!, { split: 'val' });
  const r = await evaluateModel(loadModel(out), val, { threads: opts.threads });
  writeAtomic(join(opts.out, 'metrics.json'), `${JSON.stringify({ coco: r.stats, images: r.images }, null, 2)}\n`);
  io.out(SUMMARY_NAMES.map((n, i) => `  ${n.padEnd(40)} ${r.stats[i]!.toFixed(4)}`).join('\n') + '\n');
  return EXIT.ok;
}
