// Darknet .cfg (and optionally .weights) → an ONNX model. Nodes of darknet layer i are named
// `layers.III.KIND` (conv, bn, act, pool, route, shortcut, upsample), which the stdlib profiles' scopes
// select. The [yolo] layers' anchors and masks go into the model's metadata (`lithe.yolo`), and the
// convolutions feeding them are the graph outputs. Without .weights the weights are a seeded He
// initialisation: an untrained architecture, as a zoo model is.
import type { ModelProto, NodeProto, TensorProto } from 'onnx-buf';
import { DataType, graph, model, node, tensor, valueInfo } from '../onnx/make.ts';
import { CfgError, Opts, type Cfg, type Section } from './cfg.ts';
import { WeightReader } from './weights.ts';

export interface ImportOptions {
  /** Input width and height; the cfg's [net] width by default. */
  size?: number;
  /** Number of classes; the cfg's by default (the output convs' filters follow). */
  classes?: number;
  /** The .weights file's bytes; a seeded initialisation without them. */
  weights?: Uint8Array;
  weightsFile?: string;
  seed?: number;
}

export interface YoloHead { layer: number; output: string; mask: number[]; anchors: number[]; classes: number }

const pad3 = (i: number): string => String(i).padStart(3, '0');

/** The state as layers are added: each layer's output value and channel count, and the pieces made. */
class Builder {
  readonly nodes: NodeProto[] = [];
  readonly inits: TensorProto[] = [];
  readonly channels: number[] = [];
  readonly yolo: YoloHead[] = [];

  constructor(readonly file: string, readonly weights: WeightReader) {}

  out(i: number): string { return i < 0 ? 'images' : `layers.${pad3(i)}.out`; }
}

type LayerFn = (b: Builder, i: number, o: Opts, s: Section, cfg: Cfg, opts: ImportOptions) => number;

const ACTIVATIONS: Record<string, (b: Builder, p: string, x: string, y: string) => void> = {
  linear: (b, p, x, y) => { b.nodes.push(node('Identity', [x], [y], {}, `${p}.act`)); },
  leaky: (b, p, x, y) => { b.nodes.push(node('LeakyRelu', [x], [y], { alpha: 0.1 }, `${p}.act`)); },
  relu: (b, p, x, y) => { b.nodes.push(node('Relu', [x], [y], {}, `${p}.act`)); },
  logistic: (b, p, x, y) => { b.nodes.push(node('Sigmoid', [x], [y], {}, `${p}.act`)); },
  // x * sigmoid(x) and x * tanh(softplus(x)), in ops every runtime has
  swish: (b, p, x, y) => { b.nodes.push(node('Sigmoid', [x], [`${p}.sig`], {}, `${p}.sig`), node('Mul', [x, `${p}.sig`], [y], {}, `${p}.act`)); },
  mish: (b, p, x, y) => {
    b.nodes.push(node('Softplus', [x], [`${p}.sp`], {}, `${p}.softplus`), node('Tanh', [`${p}.sp`], [`${p}.th`], {}, `${p}.tanh`), node('Mul', [x, `${p}.th`], [y], {}, `${p}.act`));
  },
};

const convolutional: LayerFn = (b, i, o, s, cfg, opts) => {
  const p = `layers.${pad3(i)}`;
  const cin = b.channels[i - 1] ?? 3;
  const k = o.int('size', 1);
  const stride = o.int('stride', 1);
  const groups = o.int('groups', 1);
  const bn = o.int('batch_normalize', 0) === 1;
  const next = cfg.layers[i + 1];
  const mask = next?.type === 'yolo' ? new Opts(next, b.file).ints('mask') : undefined;
  // Before a [yolo] layer, the filters are the output format: (classes + 5) per anchor.
  const filters = mask && opts.classes !== undefined ? (opts.classes + 5) * mask.length : o.int('filters');
  const padding = o.int('pad', 0) ? Math.floor(k / 2) : o.int('padding', 0);
  const act = o.string('activation', 'logistic');
  const activate = ACTIVATIONS[act];
  if (!activate) throw new CfgError(`${b.file}:${s.line}: activation '${act}' is not supported (${Object.keys(ACTIVATIONS).join(', ')})`);
  if (cin % groups) throw new CfgError(`${b.file}:${s.line}: ${cin} input channels do not split into ${groups} groups`);
  const attrs = { kernel_shape: [k, k], strides: [stride, stride], pads: [padding, padding, padding, padding], group: groups };
  const w = b.weights.conv(`${p}.conv`, filters, (cin / groups) * k * k, bn);
  const wName = `${p}.weight`;
  b.inits.push(tensor(wName, [filters, cin / groups, k, k], w.weights));
  if (bn) {
    for (const [n, v] of [['gamma', w.scales!], ['beta', w.biases], ['mean', w.mean!], ['var', w.variance!]] as const) b.inits.push(tensor(`${p}.${n}`, [filters], v));
    b.nodes.push(node('Conv', [b.out(i - 1), wName], [`${p}.conv`], attrs, `${p}.conv`));
    b.nodes.push(node('BatchNormalization', [`${p}.conv`, `${p}.gamma`, `${p}.beta`, `${p}.mean`, `${p}.var`], [`${p}.bn`], { epsilon: 1e-5 }, `${p}.bn`));
    activate(b, p, `${p}.bn`, b.out(i));
  } else {
    b.inits.push(tensor(`${p}.bias`, [filters], w.biases));
    const y = act === 'linear' ? b.out(i) : `${p}.conv`;
    b.nodes.push(node('Conv', [b.out(i - 1), wName, `${p}.bias`], [y], attrs, `${p}.conv`));
    if (act !== 'linear') activate(b, p, y, b.out(i));
  }
  return filters;
};

const maxpool: LayerFn = (b, i, o) => {
  const k = o.int('size', 2);
  const stride = o.int('stride', 2);
  // Darknet pads `size - 1` in total by default, padding/2 before and the rest after (bottom and right).
  const padding = o.int('padding', k - 1);
  const begin = Math.floor(padding / 2);
  const end = padding - begin;
  b.nodes.push(node('MaxPool', [b.out(i - 1)], [b.out(i)], { kernel_shape: [k, k], strides: [stride, stride], pads: [begin, begin, end, end] }, `layers.${pad3(i)}.pool`));
  return b.channels[i - 1]!;
};

const route: LayerFn = (b, i, o, s) => {
  if (o.string('groups', '1') !== '1') throw new CfgError(`${b.file}:${s.line}: [route] with groups (yolov4-tiny) is not supported yet`);
  const from = (o.ints('layers') ?? []).map((l) => (l < 0 ? i + l : l));
  if (!from.length || from.some((l) => l < 0 || l >= i)) throw new CfgError(`${b.file}:${s.line}: [route] layers must name earlier layers`);
  const p = `layers.${pad3(i)}`;
  b.nodes.push(from.length === 1 ? node('Identity', [b.out(from[0]!)], [b.out(i)], {}, `${p}.route`) : node('Concat', from.map((l) => b.out(l)), [b.out(i)], { axis: 1 }, `${p}.route`));
  return from.reduce((a, l) => a + b.channels[l]!, 0);
};

const shortcut: LayerFn = (b, i, o, s) => {
  const f = o.int('from');
  const from = f < 0 ? i + f : f;
  if (from < 0 || from >= i) throw new CfgError(`${b.file}:${s.line}: [shortcut] from=${f} names no earlier layer`);
  if (o.string('activation', 'linear') !== 'linear') throw new CfgError(`${b.file}:${s.line}: [shortcut] with an activation is not supported yet`);
  b.nodes.push(node('Add', [b.out(i - 1), b.out(from)], [b.out(i)], {}, `layers.${pad3(i)}.shortcut`));
  return b.channels[i - 1]!;
};

const upsample: LayerFn = (b, i, o) => {
  const s = o.int('stride', 2);
  const p = `layers.${pad3(i)}`;
  b.inits.push(tensor(`${p}.roi`, [0], new Float32Array(0)), tensor(`${p}.scales`, [4], Float32Array.from([1, 1, s, s])));
  b.nodes.push(node('Resize', [b.out(i - 1), `${p}.roi`, `${p}.scales`], [b.out(i)], { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }, `${p}.upsample`));
  return b.channels[i - 1]!;
};

const yolo: LayerFn = (b, i, o, _s, _cfg, opts) => {
  const mask = o.ints('mask') ?? [];
  const anchors = o.ints('anchors') ?? [];
  const output = b.out(i - 1);
  b.yolo.push({ layer: i, output, mask, anchors, classes: opts.classes ?? o.int('classes', 80) });
  // The yolo layer itself decodes boxes; in ONNX the raw map is the output and decoding is lithe's job.
  b.nodes.push(node('Identity', [output], [b.out(i)], {}, `layers.${pad3(i)}.yolo`));
  return b.channels[i - 1]!;
};

const LAYERS: Record<string, LayerFn> = { convolutional, maxpool, route, shortcut, upsample, yolo };

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
  // Identity nodes that only pass a value on (linear activations, single routes, yolo) keep darknet's
  // numbering readable; fuse removes them.
  const nodes = b.nodes.filter((n) => !(n.opType === 'Identity' && n.name.endsWith('.yolo')));
  const g = graph(file.replace(/^.*\//, '').replace(/\.cfg$/, ''), nodes,
    [valueInfo('images', DataType.FLOAT, ['N', 3, size, size])],
    b.yolo.map((y) => valueInfo(y.output, DataType.FLOAT, ['N', b.channels[y.layer - 1]!, '?', '?'])), b.inits);
  return model(g, { metadata: { 'lithe.yolo': JSON.stringify(b.yolo), 'lithe.source': `darknet ${file.replace(/^.*\//, '')} at ${size}x${size}` } });
}
