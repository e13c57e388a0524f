// A batch worker thread (see prefetch.ts): rebuilds the loader from the set's plain data, then draws the
// batches it is asked for and hands their input tensors over without copying.
import { parentPort, workerData } from 'node:worker_threads';
import { LitheError } from '../errors.ts';
import { DetectionLoader } from './batches.ts';
import type { BatchReply, BatchRequest, BatchWorkerData } from './prefetch.ts';

const data = workerData as BatchWorkerData;
const index = new Map(data.gt.images.map((img, i) => [img, i]));
const loader = new DetectionLoader({ gt: data.gt, categories: data.categories, path: (img) => data.files[index.get(img)!]! }, data.options);

parentPort!.on('message', (request: BatchRequest) => {
  if ('close' in request) return parentPort!.close(); // nothing left to listen to: the thread ends by itself
  if (Atomics.load(data.stop, 0)) return;
  const { epoch, b } = request;
  let reply: BatchReply;
  try {
    reply = { epoch, b, batch: loader.batch(epoch, b) };
  } catch (e) {
    reply = { epoch, b, error: String((e as Error)?.message ?? e), ...(e instanceof LitheError && { exit: e.exit }) };
  }
  parentPort!.postMessage(reply, 'batch' in reply ? [reply.batch.input.buffer as ArrayBuffer] : []);
});
