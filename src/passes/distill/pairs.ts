// What a distillation step pairs, checked before anything trains: the teacher's heads against the student's
// (same classes, anchors and map sizes: the class and box losses compare them cell by cell), and the feature
// maps the feature losses compare (by default each head's input, the last neck feature of each scale, found
// in each model by its own heads, so a different architecture pairs too; with `at`, the selected nodes'
// outputs, by name, which lithe's pruning keeps). A mismatch is an error naming both tensors.
import type { ModelProto } from 'onnx-buf';
import { Graph } from '../../onnx/graph.ts';
import { defaultOpset } from '../../onnx/io.ts';
import { inferShapes } from '../../onnx/shape/infer.ts';
import type { YoloOutput } from '../../metrics/decode/yolo.ts';
import { rawMaps } from '../../train/loss/yolo-loss.ts';
import { LitheError } from '../../errors.ts';

/** A value in one model and its shape (batch first, as inferred). */
export interface Side { value: string; shape: (number | string)[] }
export interface Pairing { student: Side; teacher: Side }

export interface DistillPairs {
  /** Student head output → the teacher's output that is compared with it. */
  heads: Pairing[];
  /** Feature maps compared by `feat`, `attn` and `corr`. */
  features: Pairing[];
}

const shown = (s: Side) => `'${s.value}' (${s.shape.slice(1).join('x')})`;

class Model {
  readonly g: Graph;
  readonly heads: YoloOutput[];
  private readonly types;
  constructor(readonly role: 'student' | 'teacher', m: ModelProto) {
    this.g = Graph.fromModel(m);
    // the raw anchor maps the loss reads (before a decoding inside the graph); a head without them is refused
    try { this.heads = rawMaps(m); } catch (e) { throw new LitheError(`the ${role}: ${(e as Error).message}`); }
    this.types = inferShapes(this.g, defaultOpset(m) ?? 13).types;
  }

  side(value: string): Side {
    const shape = this.types.get(value)?.shape;
    if (!this.g.hasValue(value) && !this.g.initializers.has(value)) throw new LitheError(`the ${this.role} has no value '${value}' to pair`);
    if (!shape || shape.length !== 4 || shape.slice(1).some((d) => typeof d !== 'number')) throw new LitheError(`the ${this.role}'s '${value}' is not a feature map of known size (${shape?.join('x') ?? 'unknown shape'})`);
    return { value, shape };
  }

  /** The input of each head's output convolution: the feature map the head reads. */
  headInputs(): string[] {
    return this.heads.map((h) => {
      const conv = this.g.producer(h.output);
      if (!conv?.input[0]) throw new LitheError(`the ${this.role}'s head output '${h.output}' is not made by a node reading a feature map`);
      return conv.input[0];
    });
  }
}

function sameHeads(s: Model, t: Model): Pairing[] {
  if (s.heads.length !== t.heads.length) throw new LitheError(`the teacher has ${t.heads.length} detection heads and the student ${s.heads.length}: distillation compares them one by one`);
  return s.heads.map((sh, i) => {
    const th = t.heads[i]!;
    const pair = { student: s.side(sh.output), teacher: t.side(th.output) };
    const why = sh.classes !== th.classes ? `${th.classes} classes against ${sh.classes}`
      : JSON.stringify([sh.mask.map((m) => sh.anchors.slice(2 * m, 2 * m + 2))]) !== JSON.stringify([th.mask.map((m) => th.anchors.slice(2 * m, 2 * m + 2))]) ? 'other anchors'
        : (sh.style ?? 'v3') !== (th.style ?? 'v3') ? `${th.style ?? 'v3'} box decoding against ${sh.style ?? 'v3'}`
          : pair.student.shape.slice(1).join() !== pair.teacher.shape.slice(1).join() ? 'maps of another size' : undefined;
    if (why) throw new LitheError(`the teacher's head output ${shown(pair.teacher)} does not match the student's ${shown(pair.student)}: ${why}`);
    return pair;
  });
}

function sameSize(p: Pairing): Pairing {
  if (p.student.shape.slice(2).join() !== p.teacher.shape.slice(2).join()) {
    throw new LitheError(`the teacher's feature map ${shown(p.teacher)} and the student's ${shown(p.student)} differ in spatial size: they cannot be compared position by position`);
  }
  return p;
}

/** The pairs of a distillation from `teacher` into `student`; `at`: the nodes whose outputs pair, by name. */
export function distillPairs(student: ModelProto, teacher: ModelProto, at?: ReadonlySet<string>): DistillPairs {
  const s = new Model('student', student);
  const t = new Model('teacher', teacher);
  const heads = sameHeads(s, t);
  const features = at
    ? [...at].map((name) => s.g.node(name)?.output[0]).filter((v): v is string => !!v).map((v) => sameSize({ student: s.side(v), teacher: t.side(v) }))
    : s.headInputs().map((v, i) => sameSize({ student: s.side(v), teacher: t.side(t.headInputs()[i]!) }));
  if (at && !features.length) throw new LitheError('`at` selects no node with an output to pair');
  return { heads, features };
}
