// The COCO evaluator against the reference evaluator, pycocotools' COCOeval (bbox), to 1e-4: the 12 summary
// numbers and the per-class AP @[.50:.95] of every case in test/data/coco-reference.json. The data comes from
// COCOeval itself, run by scripts/coco-reference.py (random cases from a fixed seed, and named tricky ones:
// score ties, crowds, areas on the range boundaries, IoUs on the thresholds, more than 100 detections...).
// Regenerate with `python3 scripts/coco-reference.py` (needs pycocotools and numpy; CI only reads the JSON).
// Annotation ids start at 1, as in COCO files: COCOeval reads a match to an annotation with id 0 as no match
// (it stores matched ids and tests them for non-zero), a quirk lithe does not copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { evaluateCoco, SUMMARY_NAMES, type CocoDetection, type CocoGt } from '../src/metrics/coco.ts';

interface ReferenceCase { name: string; gt: CocoGt; detections: CocoDetection[]; stats: number[]; perClass: Record<string, number> }

const TOLERANCE = 1e-4;
const cases: ReferenceCase[] = JSON.parse(readFileSync(new URL('./data/coco-reference.json', import.meta.url), 'utf8'));

/** Every compared number, labelled, as [label, ours, reference]. */
function comparisons(c: ReferenceCase): [string, number, number][] {
  const { stats, perClass } = evaluateCoco(c.gt, c.detections);
  assert.equal(stats.length, c.stats.length);
  assert.deepEqual([...perClass.keys()].sort((a, b) => a - b), Object.keys(c.perClass).map(Number).sort((a, b) => a - b));
  return [
    ...c.stats.map((ref, i): [string, number, number] => [SUMMARY_NAMES[i]!, stats[i]!, ref]),
    ...Object.entries(c.perClass).map(([cat, ref]): [string, number, number] => [`AP class ${cat}`, perClass.get(Number(cat))!, ref]),
  ];
}

let worst = 0;

test('the reference data has the cases the generator writes', () => {
  assert.ok(cases.length >= 40, `${cases.length} cases`);
});

for (const c of cases) {
  test(`${c.name}: same as COCOeval to ${TOLERANCE}`, (t) => {
    const rows = comparisons(c);
    const maxDiff = Math.max(...rows.map(([, ours, ref]) => Math.abs(ours - ref)));
    worst = Math.max(worst, maxDiff);
    t.diagnostic(`max |lithe - COCOeval| = ${maxDiff.toExponential(2)}`);
    const off = rows.filter(([, ours, ref]) => !(Math.abs(ours - ref) <= TOLERANCE));
    assert.deepEqual(off.map(([label, ours, ref]) => `${label}: lithe ${ours}, COCOeval ${ref}`), [], `max |difference| ${maxDiff}`);
  });
}

test('largest difference over all cases', (t) => {
  t.diagnostic(`max |lithe - COCOeval| over ${cases.length} cases = ${worst.toExponential(2)}`);
  assert.ok(worst <= TOLERANCE);
});
