import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasFastPrecision, listTargets, loadTarget, TargetError, targetsDir } from '../src/targets/load.js';
import { loadOpTable, opTableOf } from '../src/targets/ops.ts';
import { schemaAt } from '../src/onnx/schema/table.ts';

// A profile with one bad field, written to a temp folder so the repo's targets/ stay untouched.
function withTempProfile(name: string, yaml: string, body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-targets-'));
  try {
    writeFileSync(join(dir, `${name}.yaml`), yaml);
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function isTargetError(match: (message: string) => boolean): (err: unknown) => boolean {
  return (err) => err instanceof TargetError && err.name === 'TargetError' && match(err.message);
}

test('targets folder is found independently of the cwd and lists the three profiles', () => {
  assert.match(targetsDir(), /targets[/\\]?$/);
  assert.deepEqual(listTargets(), ['kirin990', 'tx2', 'x86']);
});

test('every profile in targets/ loads, validates and is named after its file', () => {
  for (const name of listTargets()) {
    const t = loadTarget(name);
    assert.equal(t.name, name);
    assert.ok(t.precisions[t.defaults.precision]?.supported, `${name}: default precision supported`);
  }
});

test('loaded profiles are cached and frozen', () => {
  const t = loadTarget('tx2');
  assert.equal(loadTarget('tx2'), t);
  assert.ok(Object.isFrozen(t.precisions));
});

test('tx2: fp16 is the fast path, int8 is not, TensorRT 8.2 at opset 13', () => {
  const t = loadTarget('tx2');
  assert.equal(hasFastPrecision(t, 'fp16'), true);
  assert.equal(hasFastPrecision(t, 'int8'), false);
  assert.equal(t.precisions.int8?.supported, true);
  assert.equal(t.channel_alignment, 8);
  assert.equal(t.onnx.opset, 13);
  assert.equal(t.runtime.name, 'TensorRT');
  assert.ok(t.runtime.version.startsWith('8.2'));
  assert.equal(t.quantization.zero_point, 0);
  assert.equal(t.quantization.calibration_cache, 'tensorrt');
  assert.equal(t.defaults.precision, 'fp16');
});

test('kirin990: exported through MindSpore Lite, unfused BatchNormalization falls back', () => {
  const t = loadTarget('kirin990');
  assert.equal(t.export.format, 'mslite');
  assert.ok(t.unsupported_ops.includes('BatchNormalization'));
  assert.equal(hasFastPrecision(t, 'int8'), true);
  assert.equal(hasFastPrecision(t, 'fp32'), false);
  assert.equal(t.onnx.max_opset, 18);
});

test('x86: int8 is fast through VNNI', () => {
  const t = loadTarget('x86');
  assert.equal(hasFastPrecision(t, 'int8'), true);
  assert.equal(hasFastPrecision(t, 'fp16'), false);
  assert.equal(t.export.format, 'onnx');
});

test('an invalid profile names the file and the bad field', () => {
  const bad = readFileSync(join(targetsDir(), 'x86.yaml'), 'utf8')
    .replace('name: x86', 'name: bad')
    .replace(/int8:\n {4}supported: true\n {4}fast: true/, 'int8:\n    supported: true\n    fast: "yes"');
  withTempProfile('bad', bad, (dir) => {
    assert.throws(
      () => loadTarget('bad', dir),
      isTargetError((m) => m.includes(join(dir, 'bad.yaml')) && m.includes('/precisions/int8/fast must be boolean')),
    );
  });
});

test('every violation is reported, with unknown keys named', () => {
  const bad = readFileSync(join(targetsDir(), 'tx2.yaml'), 'utf8')
    .replace('channel_alignment: 8', 'channel_alignment: 0\nchannels: 8')
    .replace('format: tensorrt', 'format: engine');
  withTempProfile('tx2', bad, (dir) => {
    assert.throws(() => loadTarget('tx2', dir), (err: unknown) => {
      assert.ok(err instanceof TargetError);
      assert.equal(err.problems.length, 3, err.message);
      assert.match(err.message, /tx2\.yaml: \/channel_alignment must be >= 1/);
      assert.match(err.message, /tx2\.yaml: \(top level\) must NOT have additional property 'channels'/);
      assert.match(err.message, /tx2\.yaml: \/export\/format must be one of "onnx", "tensorrt", "mslite"/);
      return true;
    });
  });
});

test('a name that differs from the file name is an error', () => {
  const renamed = readFileSync(join(targetsDir(), 'x86.yaml'), 'utf8');
  withTempProfile('pc', renamed, (dir) => {
    assert.throws(() => loadTarget('pc', dir), isTargetError((m) => m.includes("/name must equal the file name 'pc'")));
  });
});

test('broken YAML is a TargetError naming the file, not a raw parser error', () => {
  withTempProfile('broken', 'name: broken\nsummary: [unclosed\n', (dir) => {
    assert.throws(() => loadTarget('broken', dir), isTargetError((m) => m.startsWith(join(dir, 'broken.yaml'))));
  });
});

test('an unknown name lists the known ones', () => {
  assert.throws(
    () => loadTarget('foo'),
    isTargetError((m) => m === "unknown target 'foo' (known: kirin990, tx2, x86)"),
  );
  assert.throws(() => loadTarget('../package'), TargetError);
});

test('a profile compiled ahead is used only while its YAML and the schema are unchanged', async () => {
  const { compiledProfile, stampOf } = await import('../src/targets/compiled.ts');
  const dir = mkdtempSync(join(tmpdir(), 'lithe-compiled-'));
  try {
    for (const f of ['x86.yaml', 'target.schema.json']) writeFileSync(join(dir, f), readFileSync(join(targetsDir(), f)));
    const target = { ...loadTarget('x86'), summary: 'from the compiled file' };
    const out = new URL(`file://${join(dir, 'compiled')}/`);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(out);
    writeFileSync(new URL('x86.json', out), JSON.stringify({ yaml: stampOf(join(dir, 'x86.yaml')), schema: stampOf(join(dir, 'target.schema.json')), target }));
    assert.equal(compiledProfile(dir, 'x86', 'target.schema.json', out)?.summary, 'from the compiled file');
    assert.equal(compiledProfile(dir, 'tx2', 'target.schema.json', out), undefined, 'none compiled');
    writeFileSync(join(dir, 'x86.yaml'), `${readFileSync(join(dir, 'x86.yaml'), 'utf8')}# edited\n`);
    assert.equal(compiledProfile(dir, 'x86', 'target.schema.json', out), undefined, 'the YAML was edited');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the profiles `npm run build` compiled equal the YAML files', async (t) => {
  const { distIsFresh } = await import('../bin/fresh.js');
  if (!distIsFresh(new URL('..', import.meta.url).pathname)) return t.skip('dist/ is not built from these sources (npm run build)');
  const { compiledProfile } = await import('../src/targets/compiled.ts');
  const compiled = new URL('../dist/targets/compiled/', import.meta.url);
  for (const name of listTargets()) assert.deepEqual(compiledProfile(targetsDir(), name, 'target.schema.json', compiled), loadTarget(name), name);
});

test('the op tables the profiles name load and validate; every op and attribute in them is ONNX\'s at the profile\'s opset', () => {
  for (const name of listTargets()) {
    const t = loadTarget(name);
    if (!t.ops) continue;
    const table = opTableOf(t)!;
    for (const [op, rule] of Object.entries(table.ops)) {
      const schema = schemaAt(op, t.onnx.opset);
      assert.ok(schema, `${t.ops.table}: ${op} is an ONNX op at opset ${t.onnx.opset}`);
      for (const a of Object.keys(rule?.attributes ?? {})) assert.ok(schema.attrs.has(a), `${t.ops.table}: ${op} has attribute ${a}`);
      for (const i of rule?.constant_inputs ?? []) assert.ok(i < schema.inputs.max, `${t.ops.table}: ${op} has input ${i}`);
    }
  }
  assert.deepEqual([loadTarget('tx2').ops, loadTarget('kirin990').ops], [{ table: 'tensorrt-8.2.yaml', unlisted: 'error' }, { table: 'kirin-npu.yaml', unlisted: 'cpu' }]);
});

test('int8 Q/DQ encoding comes from the profile (quantization.encoding), not the target\'s name', () => {
  assert.deepEqual(listTargets().map((n) => [n, loadTarget(n).quantization.encoding]), [['kirin990', 'tensorrt'], ['tx2', 'tensorrt'], ['x86', 'onnxruntime']]);
  assert.deepEqual(loadTarget('kirin990').export.accelerator?.precisions, ['fp16']);
});

test('a broken op table is a TargetError naming the file and the field', () => {
  assert.throws(() => loadOpTable('no-such.yaml'), isTargetError((m) => /targets\/ops\/no-such\.yaml: cannot read the operator table/.test(m)));
});
