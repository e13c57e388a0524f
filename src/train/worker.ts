// Training in a worker thread: onnxruntime's run() blocks its thread for the whole step, so the CLI keeps
// its own thread free for the progress bar and for Ctrl-C, which asks the worker to stop after the current
// step and write a checkpoint. Messages out: progress, done (with the model's path) or error.
import { parentPort, workerData } from 'node:worker_threads';
import { join } from 'node:path';
import { loadModel, saveModel } from '../onnx/io.ts';
import { loadDetectionSet } from '../data/load.ts';
import { train, type TrainOptions } from './loop.ts';
import { TrainingError } from './graph.ts';
import { zooByName } from '../zoo/registry.ts';
import { setMetadata } from '../onnx/make.ts';
import { LitheError, type ErrorExit } from '../errors.ts';

/** `model`: a path, or zoo:NAME built for the data set's classes at the training size. */
export interface WorkerJob { model: string; data: string; options: TrainOptions }
export type WorkerMessage =
  | { kind: 'progress'; progress: import('./loop.ts').Progress }
  | { kind: 'done'; model: string }
  /** `exit`: the exit code of an error a user caused (a LitheError), which the CLI rebuilds as one. */
  | { kind: 'error'; name: string; message: string; exit?: ErrorExit };

const job = workerData as WorkerJob;
let stop = false;
parentPort!.on('message', (m) => { if (m === 'stop') stop = true; });
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

try {
  const data = loadDetectionSet(job.data, { split: 'train' });
  const zoo = job.model.startsWith('zoo:') ? zooByName.get(job.model.slice(4)) : undefined;
  if (job.model.startsWith('zoo:') && !zoo) throw new TrainingError(`no zoo model '${job.model.slice(4)}'`);
  const model = zoo ? zoo.build({ size: job.options.size, classes: data.categories.length, seed: job.options.seed ?? 0 }) : loadModel(job.model);
  // the trained model keeps its stdlib profile, so recipes over the file can name backbone, neck and head
  if (zoo) setMetadata(model, 'lithe.profile', zoo.profile);
  const trained = await train(model, data, job.options, { progress: (progress) => post({ kind: 'progress', progress }), stopRequested: () => stop });
  const out = join(job.options.out, 'model.onnx');
  saveModel(trained, out);
  post({ kind: 'done', model: out });
} catch (e) {
  post({ kind: 'error', name: (e as Error)?.name, message: String((e as Error)?.message ?? e), ...(e instanceof LitheError && { exit: e.exit }) });
} finally {
  parentPort!.unref(); // the job is over: the listener for 'stop' must not keep the thread (and the CLI) alive
}
