// The stdlib profiles against the graphs the darknet importer really makes: backbone, neck and head split
// the convolutions as the profiles say, and head's output convolutions are the graph outputs' producers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseCfg } from '../src/darknet/cfg.ts';
import { importDarknet } from '../src/darknet/import.ts';
import { Graph } from '../src/onnx/graph.ts';
import { select, SelectError } from '../src/onnx/select.ts';
import { checkText } from '../src/plan/build.ts';

const layersOf = (nodes: Iterable<{ name: string; opType: string }>) =>
  [...nodes].filter((n) => n.opType === 'Conv').map((n) => Number(n.name.slice(7, 10))).sort((a, b) => a - b);
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

const PROFILES = [
  ['yolov3-tiny', range(0, 12), [15, 22]], ['yolov3', range(0, 74), [81, 93, 105]],
  ['yolov4-tiny', range(0, 26), [29, 36]], ['yolov4', range(0, 104), [138, 149, 160]],
] as const;
for (const [name, backbone, outputs] of PROFILES) {
  test(`stdlib/${name}.cmp selects the imported graph's layers as it says`, () => {
    const file = `zoo/${name}.cfg`;
    const g = Graph.fromModel(importDarknet(parseCfg(readFileSync(file, 'utf8'), file), file));
    const { plan } = checkText('p.cmp', `model zoo:${name}\n`);
    const pick = (s: string) => select({ scope: s }, g, plan!.scopes);
    const convs = layersOf(g.nodes);
    const [b, n, h] = ['backbone', 'neck', 'head'].map((s) => layersOf(pick(s)));
    assert.deepEqual([...b!, ...n!, ...h!].sort((x, y) => x - y), convs, 'every convolution in exactly one of backbone, neck, head');
    assert.deepEqual(b, convs.filter((i) => (backbone as readonly number[]).includes(i)));
    for (const o of outputs) assert.ok(h!.includes(o), `output conv ${o} is in head`);
    const producers = g.outputs.map((o) => Number(g.producer(o.name)!.name.slice(7, 10)));
    assert.deepEqual(producers, [...outputs]);
  });
}

test('a built-in scope with no profile is refused with a clear message', () => {
  const { plan } = checkText('q.cmp', 'model "custom.onnx"\n');
  const g = Graph.fromModel(importDarknet(parseCfg(readFileSync('zoo/yolov3-tiny.cfg', 'utf8'), 'x.cfg'), 'x.cfg'));
  assert.throws(() => select({ scope: 'backbone' }, g, plan!.scopes), (e: unknown) => e instanceof SelectError && /not implemented yet/.test(e.message));
  assert.equal(select({ except: [{ glob: 'layers.01?.*' }, { op: 'BatchNormalization' }] }, g, plan!.scopes).size > 0, true);
});

for (const [name, parts] of [['yolov4', ['stem', 'stage2', 'stage3', 'stage4', 'stage5']], ['yolov4-tiny', ['stem', 'csp1', 'csp2', 'csp3']]] as const) {
  test(`stdlib/${name}.cmp: its backbone stages partition the backbone; detection scopes partition the head`, () => {
    const file = `zoo/${name}.cfg`;
    const g = Graph.fromModel(importDarknet(parseCfg(readFileSync(file, 'utf8'), file), file, { size: 64 }));
    const { plan } = checkText('p.cmp', `model zoo:${name}\n`);
    const pick = (s: string) => [...select({ scope: s }, g, plan!.scopes)].map((n) => n.name).sort();
    const union = (ss: readonly string[]) => ss.flatMap(pick).sort();
    assert.deepEqual(union(parts), pick('backbone'));
    assert.ok(parts.every((p) => pick(p).length > 0));
    const detect = name === 'yolov4' ? ['detect_small', 'detect_medium', 'detect_large'] : ['detect_small', 'detect_large'];
    assert.deepEqual(union(detect), pick('head'));
    if (name === 'yolov4') assert.ok(pick('spp').every((n) => pick('neck').includes(n)) && pick('spp').some((n) => n.endsWith('.pool')));
  });
}
