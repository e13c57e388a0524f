// Batches drawn ahead by worker threads. onnxruntime-node's run() blocks the thread that calls it for the
// whole step, so images decoded and augmented on the training thread add their time to every step; drawn
// in workers they overlap it. A batch depends only on (seed, epoch, position), so which worker draws it, and
// in which order, changes nothing: a run with workers sees exactly the batches a run without them sees.
import { Worker } from 'node:worker_threads';
import { LitheError, type ErrorExit } from '../errors.ts';
import type { CocoSet } from './coco.ts';
import { DetectionLoader, type Batch, type BatchOptions } from './batches.ts';
import { workerEntry } from '../util/worker-entry.ts';

/** Where the training loop gets its batches. */
export interface BatchSource {
  readonly images: number;
  batchesPerEpoch(): number;
  /** Batch `b` of `epoch`; a source may start drawing the batches that follow. */
  get(epoch: number, b: number): Promise<Batch>;
  close(): Promise<void>;
}

/** What a batch worker needs to rebuild the loader: the set without its path function. */
export interface BatchWorkerData { gt: CocoSet['gt']; categories: number[]; files: string[]; options: BatchOptions; stop: Int32Array }
export type BatchRequest = { epoch: number; b: number } | { close: true };
/** A failure comes back as its message, with its exit code when it is one a user caused (a LitheError). */
export type BatchReply = { epoch: number; b: number; batch: Batch } | { epoch: number; b: number; error: string; exit?: ErrorExit };

/** Draws in the calling thread. */
export class LocalBatches implements BatchSource {
  private readonly loader: DetectionLoader;
  constructor(set: CocoSet, options: BatchOptions) { this.loader = new DetectionLoader(set, options); }
  get images(): number { return this.loader.images; }
  batchesPerEpoch(): number { return this.loader.batchesPerEpoch(); }
  async get(epoch: number, b: number): Promise<Batch> { return this.loader.batch(epoch, b); }
  async close(): Promise<void> {}
}

interface Pending { resolve: (b: Batch) => void; reject: (e: Error) => void; promise: Promise<Batch> }

/** Draws in `workers` threads, keeping up to `ahead` batches in flight beyond the one asked for. */
export class WorkerBatches implements BatchSource {
  private readonly loader: DetectionLoader;
  private readonly pool: Worker[];
  private readonly pending = new Map<string, Pending>();
  private next = 0;
  /** Set on close: workers skip the prefetches still queued instead of drawing them. */
  private readonly stop = new Int32Array(new SharedArrayBuffer(4));

  constructor(set: CocoSet, options: BatchOptions, workers: number, private readonly ahead = 2 * workers) {
    this.loader = new DetectionLoader(set, options);
    const data: BatchWorkerData = { gt: set.gt, categories: set.categories, files: set.gt.images.map((img) => set.path(img)), options, stop: this.stop };
    this.pool = Array.from({ length: workers }, () => {
      // no inherited execArgv: `--import tsx` resolves from the working directory; the entry registers tsx itself
      const w = new Worker(workerEntry(import.meta.url, './batch-worker.ts', '../../bin/batch-worker.js'), { workerData: data, execArgv: [] });
      w.on('message', (m: BatchReply) => this.settle(m));
      w.on('error', (e) => this.failAll(e));
      return w;
    });
  }

  get images(): number { return this.loader.images; }
  batchesPerEpoch(): number { return this.loader.batchesPerEpoch(); }

  get(epoch: number, b: number): Promise<Batch> {
    const per = this.batchesPerEpoch();
    for (let k = 0; k <= this.ahead; k++) {
      const at = epoch * per + b + k;
      this.request(Math.floor(at / per), at % per);
    }
    const key = `${epoch}:${b}`;
    const p = this.pending.get(key)!;
    return p.promise.finally(() => this.pending.delete(key));
  }

  /**
   * Asks every worker to finish and waits for it to leave. Not terminate(): a worker terminated while it
   * inflates a PNG aborts the whole process (Node's zlib asserts "close before init" in the worker's cleanup).
   */
  async close(): Promise<void> {
    Atomics.store(this.stop, 0, 1);
    await Promise.all(this.pool.map((w) => new Promise<void>((resolve) => {
      if (w.threadId < 0) return resolve(); // already gone (it failed)
      w.once('exit', () => resolve());
      w.postMessage({ close: true } satisfies BatchRequest);
    })));
  }

  private request(epoch: number, b: number): void {
    const key = `${epoch}:${b}`;
    if (this.pending.has(key)) return;
    let entry!: Pending;
    const promise = new Promise<Batch>((resolve, reject) => { entry = { resolve, reject, promise: undefined! }; });
    promise.catch(() => {}); // a prefetched batch nobody asks for must not be an unhandled rejection
    entry.promise = promise;
    this.pending.set(key, entry);
    this.pool[this.next++ % this.pool.length]!.postMessage({ epoch, b } satisfies BatchRequest);
  }

  private settle(m: BatchReply): void {
    const p = this.pending.get(`${m.epoch}:${m.b}`);
    if (!p) return;
    // a broken image found by a worker is the user's to fix, as it would be in this thread: a LitheError again
    if ('error' in m) p.reject(m.exit !== undefined ? new LitheError(m.error, m.exit) : new Error(m.error));
    else p.resolve(m.batch);
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
  }
}

/** `workers` threads, or the calling thread when there are none. */
export function batchSource(set: CocoSet, options: BatchOptions, workers = 0): BatchSource {
  return workers > 0 ? new WorkerBatches(set, options, workers) : new LocalBatches(set, options);
}
