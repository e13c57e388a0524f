// Darknet .cfg (and optionally .weights) → an ONNX model. Nodes of darknet layer i are named
// `layers.III.KIND` (conv, bn, act, pool, route, slice, shortcut, upsample), which the stdlib profiles' scopes
// select; one file per layer kind in layers/. The [yolo] layers' anchors, masks, scale_x_y and new_coords
// go into the model's metadata (`lithe.yolo`), and the maps feeding them are the graph outputs. Without
// .weights the weights are a seeded He initialisation: an untrained architecture, as a zoo model is.
import type { ModelProto } from 'onnx-buf';
import { DataType, graph, model, valueInfo } from '../onnx/make.ts';
import { Builder, type ImportOptions } from './builder.ts';
import { CfgError, Opts, type Cfg } from './cfg.ts';
import { LAYERS } from './layers/registry.ts';
import { WeightReader } from './weights.ts';

export type { ImportOptions, YoloHead } from './builder.ts';

export function importDarknet(cfg: Cfg, file: string, opts: ImportOptions = {}): ModelProto {
  const net = new Opts(cfg.net, file);
  const size = opts.size ?? net.int('width', 416);
  if (size % 32) throw new CfgError(`${file}: the input size ${size} is not a multiple of 32`);
  const b = new Builder(file, new WeightReader(opts.weights, opts.weightsFile ?? '', opts.seed ?? 1));
  cfg.layers.forEach((s, i) => {
    const f = LAYERS[s.type];
    if (!f) throw new CfgError(`${file}:${s.line}: darknet layer [${s.type}] is not supported (${Object.keys(LAYERS).join(', ')})`);
    b.channels[i] = f(b, i, new Opts(s, file), s, cfg, opts);
  });
  b.weights.finish();
  if (!b.yolo.length) throw new CfgError(`${file}: no [yolo] layer: lithe imports YOLO detectors`);
  // Identity nodes that only pass a value on (linear activations, single routes) keep darknet's numbering
  // readable; fuse removes them. The yolo layers' own are dropped: their input is the graph output.
  const nodes = b.nodes.filter((n) => !(n.opType === 'Identity' && n.name.endsWith('.yolo')));
  const g = graph(file.replace(/^.*\//, '').replace(/\.cfg$/, ''), nodes,
    [valueInfo('images', DataType.FLOAT, ['N', 3, size, size])],
    b.yolo.map((y) => valueInfo(y.output, DataType.FLOAT, ['N', b.ch(y.layer - 1), '?', '?'])), b.inits);
  return model(g, { metadata: { 'lithe.yolo': JSON.stringify(b.yolo), 'lithe.source': `darknet ${file.replace(/^.*\//, '')} at ${size}x${size}` } });
}
