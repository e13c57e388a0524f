// The YOLO training loss for darknet's [yolo] options: new_coords (an activated map: probabilities, not logits)
// trains exactly as YOLOv5's decoding on the logits does, and scale_x_y decides whether an object is also
// assigned to its neighbouring cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCfg } from '../src/darknet/cfg.ts';
import { importDarknet } from '../src/darknet/import.ts';
import { getMetadata, setMetadata } from '../src/onnx/make.ts';
import { TrainingSession } from '../src/train/session.ts';
import { yoloFeeds, yoloHeads, yoloLoss } from '../src/train/loss/yolo-loss.ts';
import { yoloTargets, type HeadGeometry } from '../src/train/loss/yolo-targets.ts';
import { mulberry32 } from '../src/util/random.ts';

/** One 3x3 stride-8 conv to a 4x4 map of one anchor and two classes, then [yolo]. */
const cfg = (activation: string, yolo: string) => `[net]\nwidth=32\nheight=32\nchannels=3\n[convolutional]\nfilters=7\nsize=3\nstride=8\npad=1\nactivation=${activation}\n[yolo]\nmask=0\nanchors=8,10\nclasses=2\n${yolo}\n`;

async function step(text: string, style?: 'v5'): Promise<{ loss: number; grad: Float32Array }> {
  const m = importDarknet(parseCfg(text, 'l.cfg'), 'l.cfg', { seed: 4 });
  if (style) setMetadata(m, 'lithe.yolo', JSON.stringify(JSON.parse(getMetadata(m, 'lithe.yolo')!).map((h: object) => ({ ...h, style }))));
  let heads: HeadGeometry[] = [];
  const session = await TrainingSession.create(m, { batch: 2, bn: 'frozen', threads: 1, loss: (b) => { heads = yoloHeads(m, 32, b.shape); return yoloLoss(b, heads, 32, 2); } });
  try {
    const r = mulberry32(2);
    const images = Float32Array.from({ length: 2 * 3 * 32 * 32 }, () => r());
    const targets = [{ boxes: Float32Array.of(3, 5, 14, 18), classes: Int32Array.of(1) }, { boxes: Float32Array.of(17, 9, 27, 20, 2, 20, 10, 29), classes: Int32Array.of(0, 1) }];
    const loss = await session.step({ [session.graph.feeds[0]!.name]: images, ...yoloFeeds(heads, targets) });
    return { loss, grad: Float32Array.from(session.grads.get('layers.000.weight')!) };
  } finally {
    await session.release();
  }
}

test('new_coords with scale_x_y 2 on sigmoid(t) has the loss and gradients of YOLOv5-style decoding on t', async () => {
  const v5 = await step(cfg('linear', ''), 'v5');
  const dk = await step(cfg('logistic', 'new_coords=1\nscale_x_y=2.0'));
  assert.ok(Number.isFinite(v5.loss) && v5.loss > 0);
  assert.ok(Math.abs(dk.loss - v5.loss) <= 1e-5 * v5.loss, `${dk.loss} vs ${v5.loss}`);
  const scale = Math.max(...v5.grad.map(Math.abs));
  const worst = Math.max(...dk.grad.map((g, i) => Math.abs(g - v5.grad[i]!)));
  assert.ok(scale > 0 && worst <= 1e-4 * scale, `gradients differ by ${worst} (largest ${scale})`);
});

test('scale_x_y: centres that reach half a cell beyond their own (s >= 2) also train the neighbouring cells', () => {
  const head = (scaleXY?: number): HeadGeometry => ({ output: 'y', mask: [0], anchors: [8, 10], classes: 1, h: 4, w: 4, stride: 8, ...(scaleXY ? { scaleXY } : {}) });
  // centre (10, 10): cell (1, 1) of stride 8, in its top-left quarter, so the left and upper neighbours join at s >= 2
  const targets = [{ boxes: Float32Array.of(6, 5, 14, 15), classes: Int32Array.of(0) }];
  const cells = (h: HeadGeometry) => [...yoloTargets([h], targets)[0]!.pos.entries()].filter(([, v]) => v).map(([i]) => i);
  assert.deepEqual(cells(head()), [5]);
  assert.deepEqual(cells(head(1.05)), [5]);
  assert.deepEqual(cells(head(2)), [1, 4, 5]);
});

test('yolov4-tiny trains: one YOLO-loss step through its channel-group Slices and scale_x_y decoding gives finite, non-zero gradients', async () => {
  const { zooByName } = await import('../src/zoo/registry.ts');
  const m = zooByName.get('yolov4-tiny')!.build({ size: 64, classes: 2, seed: 1 });
  let heads: HeadGeometry[] = [];
  const session = await TrainingSession.create(m, { batch: 1, bn: 'frozen', threads: 1, loss: (b) => { heads = yoloHeads(m, 64, b.shape); return yoloLoss(b, heads, 64, 1); } });
  try {
    assert.deepEqual(heads.map((h) => h.scaleXY), [1.05, 1.05]);
    const r = mulberry32(3);
    const images = Float32Array.from({ length: 3 * 64 * 64 }, () => r());
    const loss = await session.step({ [session.graph.feeds[0]!.name]: images, ...yoloFeeds(heads, [{ boxes: Float32Array.of(10, 12, 40, 50), classes: Int32Array.of(1) }]) });
    assert.ok(Number.isFinite(loss) && loss > 0);
    // the convs on both sides of the first split: the one that feeds it, and the one that reads its half
    for (const w of ['layers.002.weight', 'layers.004.weight', 'layers.029.weight']) {
      const g = session.grads.get(w)!;
      assert.ok(g.every(Number.isFinite) && g.some((v) => v !== 0), w);
    }
  } finally {
    await session.release();
  }
});
