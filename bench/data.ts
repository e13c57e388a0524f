// `npm run bench:data`: images per second for PNG decoding, letterboxing and batching on the synthetic
// benchmark at 320x320, and the time to evaluate 500 images with a zoo model (yolov3-tiny, 9 classes, 2
// threads). Prints a Markdown table; always exits 0.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSynth } from '../src/data/synth/generate.ts';
import { loadCoco } from '../src/data/coco.ts';
import { decodeImage } from '../src/data/image.ts';
import { letterbox } from '../src/data/letterbox.ts';
import { evaluateModel } from '../src/metrics/evaluate-model.ts';
import { zooByName } from '../src/zoo/registry.ts';

const dir = mkdtempSync(join(tmpdir(), 'lithe-bench-data-'));
try {
  const t0 = performance.now();
  generateSynth({ out: join(dir, 's'), seed: 1, train: 0, val: 500, size: 320 });
  const gen = (performance.now() - t0) / 1000;
  const data = loadCoco(join(dir, 's'));
  const files = data.gt.images.map((i) => readFileSync(data.path(i)));
  const time = (f: () => void): number => { const a = performance.now(); f(); return (performance.now() - a) / 1000; };
  const imgs = files.map((f, i) => decodeImage(f, String(i)));
  const decode = time(() => files.forEach((f, i) => decodeImage(f, String(i))));
  const boxed = imgs.map((im) => letterbox(im, 320));
  const lb = time(() => imgs.forEach((im) => letterbox(im, 320)));
  const batching = time(() => {
    for (let i = 0; i < boxed.length; i += 8) {
      const chunk = boxed.slice(i, i + 8);
      const t = new Float32Array(chunk.length * 3 * 320 * 320);
      chunk.forEach((l, k) => t.set(l.tensor, k * 3 * 320 * 320));
    }
  });
  const r = await evaluateModel(zooByName.get('yolov3-tiny')!.build({ size: 320, classes: 9 }), data, { batch: 8, threads: 2 });
  const per = (s: number) => `${(500 / s).toFixed(0)} images/s`;
  console.log('# lithe data benchmark\n');
  console.log(`- node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores); 500 synthetic images at 320x320\n`);
  console.log('| step | time | throughput |\n|---|---:|---:|');
  console.log(`| generate (lithe data synth, 500 val images) | ${gen.toFixed(2)} s | ${per(gen)} |`);
  console.log(`| decode PNG | ${decode.toFixed(2)} s | ${per(decode)} |`);
  console.log(`| letterbox to 320 (bilinear, normalised CHW) | ${lb.toFixed(2)} s | ${per(lb)} |`);
  console.log(`| batching (8 per batch) | ${batching.toFixed(3)} s | ${per(batching)} |`);
  console.log(`| evaluate yolov3-tiny (decode, letterbox, run, decode, NMS, COCO mAP), 2 threads | ${r.seconds.toFixed(1)} s | ${per(r.seconds)} |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
