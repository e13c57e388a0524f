// The worked recipes and the stdlib architecture profiles: every file checks clean (no error, no warning but
// the files a user downloads and the steps this version cannot run),
// every .cmp recipe has a YAML twin that lowers to the same plan, and the profiles' scopes split each
// model's darknet layers exactly as their header comments say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkText } from '../src/plan/build.ts';
import { format } from '../src/fmt/format.ts';
import type { Plan } from '../src/plan/types.ts';
import type { SelectorJson } from '../src/plan/selector.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const recipesDir = join(root, 'recipes');
const stdlibDir = join(root, 'stdlib');

const filesIn = (dir: string, ext: string): string[] => readdirSync(dir).filter((f) => f.endsWith(ext)).sort();

function check(path: string) {
  return checkText(path, readFileSync(path, 'utf8'));
}

function describeDiagnostics(path: string, ds: ReturnType<typeof checkText>['diagnostics']): string {
  return ds.map((d) => `${d.file ?? path}:${d.range.start.line}:${d.range.start.col}: ${d.severity} ${d.code}: ${d.message}`).join('\n');
}

/** A copy without source positions: every `range` and `source` key, at any depth, removed. */
function stripPositions(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripPositions);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'range' && k !== 'source').map(([k, x]) => [k, stripPositions(x)]));
}

// ── every file checks clean ──
const checked = [
  ...filesIn(recipesDir, '.cmp').map((f) => join(recipesDir, f)),
  ...filesIn(recipesDir, '.yaml').map((f) => join(recipesDir, f)),
  ...filesIn(stdlibDir, '.cmp').map((f) => join(stdlibDir, f)),
];

test('there are recipes and stdlib profiles to check', () => {
  assert.ok(filesIn(recipesDir, '.cmp').length >= 6, 'recipes/ holds the worked recipes');
  assert.deepEqual(filesIn(stdlibDir, '.cmp').filter((f) => f.startsWith('yolov3')), ['yolov3-tiny.cmp', 'yolov3.cmp']);
});

// The worked recipes name data sets you download (COCO, VOC) and steps this version cannot execute yet: those
// are the only warnings they may have (CMP3013, CMP4012), and the quickstart, which npm start runs, has none.
// The thesis's int8 for the Kirin 990 is its published choice; MindSpore Lite's NPU path is fp16 only, which
// CMP4013 says (and its header comment repeats).
const EXPECTED_WARNINGS = ['CMP3013', 'CMP4012'];
const EXPECTED_IN: Record<string, string[]> = { 'thesis-yolov3.cmp': ['CMP4013'], 'thesis-yolov3.yaml': ['CMP4013'] };

for (const path of checked) {
  test(`${path.slice(root.length + 1)} checks with no error and no warning but missing downloads and unrunnable steps`, () => {
    const r = check(path);
    const bad = r.diagnostics.filter((d) => d.severity === 'error' || (d.severity === 'warning' && ![...EXPECTED_WARNINGS, ...EXPECTED_IN[basename(path)] ?? []].includes(d.code)));
    assert.equal(bad.length, 0, describeDiagnostics(path, bad));
    assert.ok(r.plan, 'a plan is produced');
  });
}

test('the quickstart checks with no warning at all: its model is in the repository and every step runs', () => {
  for (const f of ['quickstart.cmp', 'quickstart.yaml']) assert.deepEqual(check(join(recipesDir, f)).diagnostics, [], f);
});

// ── YAML twins ──
test('every .cmp recipe has a YAML twin', () => {
  const missing = filesIn(recipesDir, '.cmp').filter((f) => !existsSync(join(recipesDir, f.replace(/\.cmp$/, '.yaml'))));
  assert.deepEqual(missing, []);
});

for (const f of filesIn(recipesDir, '.cmp')) {
  const twin = join(recipesDir, f.replace(/\.cmp$/, '.yaml'));
  if (!existsSync(twin)) continue;
  test(`recipes/${f} and its YAML twin give the same plan`, () => {
    const a = check(join(recipesDir, f));
    const b = check(twin);
    assert.ok(a.plan && b.plan, 'both check');
    assert.ok(a.plan.steps.length > 0, 'the recipe has steps');
    assert.deepEqual(stripPositions(b.plan), stripPositions(a.plan));
  });
}

// ── stdlib scope coverage ──
/** A node-name glob as a RegExp: `*` any run of characters, `?` one character, `[..]` a class. */
function globRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    const close = c === '[' ? glob.indexOf(']', i + 1) : -1;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (close > i) { out += glob.slice(i, close + 1); i = close; }
    else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

test('globRegExp: * ? and classes, everything else literal', () => {
  assert.ok(globRegExp('layers.00?.*').test('layers.007.conv'));
  assert.ok(!globRegExp('layers.00?.*').test('layers.010.conv'));
  assert.ok(!globRegExp('layers.00?.*').test('layersX007.conv'));
  assert.ok(globRegExp('layers.01[0-2].*').test('layers.012.bn'));
  assert.ok(!globRegExp('layers.01[0-2].*').test('layers.013.bn'));
  assert.ok(globRegExp('a+b(c)').test('a+b(c)'));
});

function matches(sel: SelectorJson, name: string, plan: Plan): boolean {
  if ('glob' in sel) return globRegExp(sel.glob).test(name);
  if ('union' in sel) return sel.union.some((s) => matches(s, name, plan));
  if ('except' in sel) return matches(sel.except[0], name, plan) && !matches(sel.except[1], name, plan);
  if ('scope' in sel) {
    const def = plan.scopes[sel.scope];
    assert.ok(def && 'selector' in def, `scope ${sel.scope} resolves to a selector`);
    return matches(def.selector, name, plan);
  }
  throw new Error(`op ${sel.op}: a selector by op type cannot be expanded over names alone`);
}

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const name = (i: number): string => `layers.${String(i).padStart(3, '0')}.conv`;

/** The layer indices (out of 0..count-1) whose `layers.III.conv` the profile's scope selects. */
function expandScope(plan: Plan, scope: string, count: number): number[] {
  const def = plan.scopes[scope];
  assert.ok(def && 'selector' in def, `${scope} comes from the profile, not inferred`);
  assert.equal(def.from, `stdlib/${plan.profile}.cmp`);
  return range(0, count - 1).filter((i) => matches(def.selector, name(i), plan));
}

interface Split { model: string; layers: number; scopes: Record<string, number[]> }

const SPLITS: Split[] = [
  {
    model: 'yolov3-tiny',
    layers: 24,
    scopes: {
      backbone: range(0, 12),
      neck: [13, 17, 18, 19, 20],
      head: [14, 15, 16, 21, 22, 23],
      detect_large: [14, 15, 16],
      detect_small: [21, 22, 23],
      outputs: [15, 22],
    },
  },
  {
    model: 'yolov3',
    layers: 107,
    scopes: {
      backbone: range(0, 74),
      neck: [...range(75, 79), ...range(83, 91), ...range(95, 103)],
      head: [80, 81, 82, 92, 93, 94, 104, 105, 106],
      stem: range(0, 4),
      stage2: range(5, 11),
      stage3: range(12, 36),
      stage4: range(37, 61),
      stage5: range(62, 74),
      detect_large: [80, 81, 82],
      detect_medium: [92, 93, 94],
      detect_small: [104, 105, 106],
      outputs: [81, 93, 105],
    },
  },
];

for (const split of SPLITS) {
  test(`stdlib/${split.model}.cmp: backbone, neck and head split layers 0..${split.layers - 1} as intended`, () => {
    const r = checkText('split.cmp', `model zoo:${split.model}\n`);
    assert.ok(r.plan, describeDiagnostics('split.cmp', r.diagnostics));
    assert.equal(r.plan.profile, split.model);
    const got = Object.fromEntries(Object.keys(split.scopes).map((s) => [s, expandScope(r.plan!, s, split.layers)]));
    assert.deepEqual(got, split.scopes);
    // The three built-in scopes are disjoint and together cover every layer.
    const owners = range(0, split.layers - 1).map((i) => ['backbone', 'neck', 'head'].filter((s) => got[s]!.includes(i)));
    assert.deepEqual(owners.filter((o) => o.length !== 1), []);
    // Nothing outside the model: the next index is selected by no scope.
    for (const s of Object.keys(split.scopes)) {
      const def = r.plan.scopes[s]!;
      assert.ok('selector' in def && !matches(def.selector, name(split.layers), r.plan));
    }
  });
}

test('stdlib/yolov3.cmp: the Darknet-53 stages partition the backbone', () => {
  const r = checkText('split.cmp', 'model zoo:yolov3\n');
  assert.ok(r.plan);
  const stages = ['stem', 'stage2', 'stage3', 'stage4', 'stage5'].flatMap((s) => expandScope(r.plan!, s, 107));
  assert.deepEqual(stages, expandScope(r.plan, 'backbone', 107));
});

test('the output convolutions are the only conv of their layer the outputs scope names', () => {
  for (const model of ['yolov3-tiny', 'yolov3']) {
    const r = checkText('split.cmp', `model zoo:${model}\n`);
    const def = r.plan?.scopes.outputs;
    assert.ok(def && 'selector' in def);
    assert.ok(!matches(def.selector, 'layers.015.bn', r.plan!) && !matches(def.selector, 'layers.081.act', r.plan!));
  }
});

test('shipped recipes and profiles are in the canonical layout (lithe fmt --check passes)', () => {
  for (const f of [...readdirSync('recipes').map((n) => `recipes/${n}`), ...readdirSync('stdlib').map((n) => `stdlib/${n}`)].filter((p) => p.endsWith('.cmp'))) {
    const text = readFileSync(f, 'utf8');
    const r = format(text);
    assert.ok(r.ok && r.text === text, `${f} is not formatted: run lithe fmt ${f}`);
  }
});
