// report.html: the charts drawn from a report's data (each chart, or the reason it cannot be drawn), escaping,
// and the page rendered in a real headless Chromium (Debian's `chromium`): no script errors, the script ran,
// SVG marks drawn in every chart that has data. Without Chromium the browser test is skipped, saying so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportHtml } from '../src/run/html/page.ts';
import { reportMarkdown } from '../src/run/report.ts';
import { CHARTS } from '../src/run/html/charts/index.ts';
import { ticks, xyPlot } from '../src/run/html/svg.ts';
import type { Report } from '../src/run/report.ts';
import type { Measures } from '../src/run/types.ts';
import { latencyMethod } from '../src/run/method.ts';

const m = (params: number, map: number, ms: number, extra: Partial<Measures> = {}): Measures => ({
  params, macs: params * 180, bytes: params * 4, map, map50: map + 0.3, latency_ms: { 1: ms, 2: ms * 0.6 },
  latency_stats: { 1: { p90_ms: ms * 1.1, min_ms: ms * 0.95, runs: 60, warmup: 8, cpu_ms: ms, load: [0.4, 0.5] } }, ...extra,
});

/** A report with every kind of data a chart reads: pruning per layer, progressive rounds and sensitivity,
 *  losses (as text and as a list), predicted latency on one target. */
const full: Report = {
  lithe: 'report/1', recipe: 'recipes/<demo>.cmp', model: 'models/shapes-yolo.onnx', latency_method: latencyMethod(),
  before: m(8.69e6, 0.519, 20.1),
  steps: [
    { index: 1, pass: 'prune', model: '01-prune.onnx', seconds: 40, measures: m(2.37e6, 0.33, 9.8, { predicted_latency_ms: { x86: 10.5 } }),
      details: { layers: [{ layer: 'layers.000.conv', channels_before: 16, channels_after: 5 }, { layer: 'layers.002.conv', channels_before: 32, channels_after: 10 }], finetune_mean_loss: '3.1, 2.4, 2.2' } },
    { index: 2, pass: 'prune', model: '02-prune.onnx', seconds: 90, measures: m(2.0e6, 0.31, 8.9),
      details: { rounds: [{ round: 0, removed: 0, params: '', map: 51.9 }, { round: 1, removed: 0.0625, params: 1.9e6, map: 51.2 }],
        sensitivity: [{ layer: 'layers.004.conv', channels: 64, pruned: 4, map_drop_points: 1.2 }, { layer: 'layers.006.conv', channels: 128, pruned: 8, map_drop_points: 0.3 }] } },
    { index: 3, pass: 'distill', model: '03-distill.onnx', seconds: 300, measures: m(2.0e6, 0.44, 9.0, { predicted_latency_ms: { x86: 9.5 } }), details: { mean_loss_per_epoch: [5.2, 4.1, 3.9] } },
  ],
};

const sectionOf = (html: string, id: string): string => html.slice(html.indexOf(`<section id="${id}">`), html.indexOf('</section>', html.indexOf(`<section id="${id}">`)));

test('every chart draws from a full report: an SVG with marks in each section', () => {
  const html = reportHtml(full);
  for (const c of CHARTS) {
    const s = sectionOf(html, c.id);
    assert.match(s, /<svg class="plot"/, c.id);
    assert.match(s, /class="mark"/, c.id);
  }
  assert.equal((sectionOf(html, 'channels').match(/<rect class="mark"/g) ?? []).length, 4, 'two layers, before and after');
  assert.equal((sectionOf(html, 'loss').match(/<circle class="mark"/g) ?? []).length, 6, 'two steps trained three epochs each');
  assert.equal((sectionOf(html, 'predicted').match(/<circle class="mark"/g) ?? []).length, 2);
  assert.equal((sectionOf(html, 'latency').match(/<rect class="mark"/g) ?? []).length, 12, 'four models: 1 and 2 threads, CPU time at 1');
  assert.match(sectionOf(html, 'predicted'), /class="diagonal"/);
  assert.match(html, /Host: .* cores\), .*onnxruntime/);
  assert.doesNotMatch(html, /<demo>/, 'text from the report is escaped');
  assert.match(html, /&#60;demo&#62;/);
});

test('a chart without data says why instead of drawing; predicted latency is drawn only when recorded', () => {
  const bare: Report = { lithe: 'report/1', before: { params: 10, macs: 20, bytes: 40 }, steps: [{ index: 1, pass: 'fuse', model: '01-fuse.onnx', seconds: 1, measures: { params: 9, macs: 20, bytes: 36 } }] };
  const html = reportHtml(bare);
  for (const c of CHARTS) {
    assert.doesNotMatch(sectionOf(html, c.id), /<svg/, c.id);
    assert.match(sectionOf(html, c.id), /<p class="none">/, c.id);
  }
  assert.match(sectionOf(html, 'predicted'), /recorded no predicted latencies/);
  assert.match(sectionOf(reportHtml({ ...full, steps: full.steps.map((s) => ({ ...s, measures: { ...s.measures, predicted_latency_ms: undefined } })) }), 'predicted'), /recorded no predicted latencies/);
});

test('values that are not finite are left out, never drawn at NaN', () => {
  const odd: Report = { ...full, steps: [{ ...full.steps[0]!, measures: { ...full.steps[0]!.measures, map: Number.NaN, latency_ms: { 1: Number.POSITIVE_INFINITY } } }] };
  const html = reportHtml(odd);
  assert.doesNotMatch(html, /NaN|Infinity/);
  assert.equal((sectionOf(html, 'map-latency').match(/<circle class="mark"/g) ?? []).length, 2, 'the input at 1 and 2 threads only');
  assert.match(xyPlot({ series: [{ name: 's', points: [{ x: Number.NaN, y: 1 }] }], x: { label: 'x' }, y: { label: 'y' } }), /No finite values/);
});

test('axis ticks are round numbers covering the range', () => {
  assert.deepEqual(ticks(0, 52), [0, 20, 40, 60]);
  assert.deepEqual(ticks(0.44, 0.52), [0.44, 0.46, 0.48, 0.5, 0.52]);
  assert.deepEqual(ticks(3, 3), [2, 2.5, 3, 3.5, 4], 'a single value gets a range around it');
});

test('report.md says how latency was measured, and warns when the machine was busy', () => {
  const quiet = reportMarkdown(full);
  assert.match(quiet, /Latency: median .*at least 30 timed runs spanning 2 s.*Host: /);
  assert.match(quiet, /\| 1\. prune \| 1 \| 9\.8 \| 10\.8 \| 9\.3 \| 9\.8 \| 60 after 8 \| 0\.4 → 0\.5 \|/);
  assert.doesNotMatch(quiet, /was busy/);
  assert.match(quiet, /\| CPU ms, 1 thread \|\n/);
  assert.match(quiet, /\| 3\. distill \| .* \| 9\.0 \| 5\.4 \| 9\.0 \|\n/, 'medians at 1 and 2 threads, then CPU time at 1');
  const busy = { ...full, before: { ...full.before, latency_stats: { 1: { ...full.before.latency_stats!['1']!, load: [900, 1000] as [number, number] } } } };
  assert.match(reportMarkdown(busy), /The machine was busy while measuring \(load average up to 1000\.0 on \d+ cores\)/);
  assert.match(reportHtml(busy), /<p class="none">The machine was busy while measuring/);
  assert.doesNotMatch(reportHtml(full), /was busy/);
});

/** Debian's chromium (or CHROMIUM=path), if it is installed. */
function chromium(): string | undefined {
  for (const c of [process.env.CHROMIUM, 'chromium', 'chromium-browser'].filter(Boolean) as string[]) {
    if (spawnSync(c, ['--version'], { encoding: 'utf8' }).status === 0) return c;
  }
  return undefined;
}
const browser = chromium();

test('the page renders in headless Chromium: no script errors, the script ran, every chart drawn', { skip: browser ? false : 'chromium is not installed (apt-get install chromium; .ci/run does it as root)', timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-html-'));
  const page = join(dir, 'report.html');
  writeFileSync(page, reportHtml(full));
  // root in a container has no sandbox; a profile of its own so parallel tests do not share one
  const r = spawnSync(browser!, ['--headless', '--no-sandbox', '--disable-gpu', `--user-data-dir=${join(dir, 'profile')}`, '--enable-logging=stderr', '--v=0', '--dump-dom', `file://${page}`], { encoding: 'utf8', timeout: 90_000 });
  assert.equal(r.status, 0, r.stderr);
  const console = r.stderr.split('\n').filter((l) => /CONSOLE/.test(l));
  assert.deepEqual(console.filter((l) => /Uncaught|Error/.test(l)), [], 'no script errors');
  const body = /<body([^>]*)>/.exec(r.stdout)?.[1] ?? '';
  assert.match(body, /data-ready="1"/, 'the page\'s script ran');
  assert.doesNotMatch(body, /data-errors/);
  const marks = Number(/data-marks="(\d+)"/.exec(body)?.[1]);
  assert.equal(marks, (r.stdout.match(/class="mark"/g) ?? []).length);
  assert.ok(marks >= 20, `${marks} marks drawn`);
  assert.equal((r.stdout.match(/<svg /g) ?? []).length, 9, 'map-latency, size, MACs, channels, rounds, sensitivity, loss, latency, predicted');
});
