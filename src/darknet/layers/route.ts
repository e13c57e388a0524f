// [route] layers=A,B,...: the named layers' maps concatenated on channels (one layer: passed on). With
// groups=G group_id=K (yolov4-tiny's CSP split) each input contributes only its K-th of G equal channel
// slices, as darknet's forward_route_layer copies them: a Slice on the channel axis, which pruning follows.
import { node, tensor } from '../../onnx/make.ts';
import { prefix, type Builder, type LayerFn } from '../builder.ts';
import { CfgError } from '../cfg.ts';

/** Channels [K·C/G, (K+1)·C/G) of layer l's output, as value `y`. */
function slice(b: Builder, l: number, groups: number, id: number, y: string, name: string): void {
  const part = b.ch(l) / groups;
  b.inits.push(
    tensor(`${name}.starts`, [1], BigInt64Array.of(BigInt(part * id))),
    tensor(`${name}.ends`, [1], BigInt64Array.of(BigInt(part * (id + 1)))),
    tensor(`${name}.axes`, [1], BigInt64Array.of(1n)),
  );
  b.nodes.push(node('Slice', [b.out(l), `${name}.starts`, `${name}.ends`, `${name}.axes`], [y], {}, name));
}

export const route: LayerFn = (b, i, o, s) => {
  const from = (o.ints('layers') ?? []).map((l) => (l < 0 ? i + l : l));
  if (!from.length || from.some((l) => l < 0 || l >= i)) throw new CfgError(`${b.file}:${s.line}: [route] layers must name earlier layers`);
  const groups = o.int('groups', 1);
  const id = o.int('group_id', 0);
  if (groups < 1 || id < 0 || id >= groups) throw new CfgError(`${b.file}:${s.line}: [route] group_id=${id} is not one of groups=${groups}`);
  const odd = from.find((l) => b.ch(l) % groups);
  if (odd !== undefined) throw new CfgError(`${b.file}:${s.line}: [route] the ${b.ch(odd)} channels of layer ${odd} do not split into ${groups} groups`);
  const p = `${prefix(i)}.route`;
  if (groups === 1) {
    b.nodes.push(from.length === 1 ? node('Identity', [b.out(from[0]!)], [b.out(i)], {}, p) : node('Concat', from.map((l) => b.out(l)), [b.out(i)], { axis: 1 }, p));
  } else if (from.length === 1) {
    slice(b, from[0]!, groups, id, b.out(i), p);
  } else {
    const parts = from.map((l, j) => { const y = `${prefix(i)}.group.${j}`; slice(b, l, groups, id, y, `${prefix(i)}.slice.${j}`); return y; });
    b.nodes.push(node('Concat', parts, [b.out(i)], { axis: 1 }, p));
  }
  return from.reduce((a, l) => a + b.ch(l), 0) / groups;
};
