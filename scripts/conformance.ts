// `npm run conformance`: every model of ONNX's own node test data (Debian's libonnx-testdata, installed when
// missing) loads, saves and reloads with identical nodes, attributes, initializers, inputs and outputs, and
// the reloaded model computes the same outputs in onnxruntime-node as the original on the test inputs. The
// loader verifies every model: a model its verifier refuses must be one onnxruntime refuses too. A model of
// an opset older than 13 is also upgraded to 13 (onnx/upgrade/) and must compute the same outputs, or be
// refused by the upgrade naming the node. Every model written is then held to onnx.checker's full check
// (Debian's python3-onnx, one Python process for all), where the original passes it.
// Prints tables of counts; exits 1 if any model that onnxruntime runs fails the round trip or is refused, an
// upgrade changes what a model computes, or a written model fails the checker its original passes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { fromBinary } from '@bufbuild/protobuf';
import { TensorProtoSchema, TensorProto_DataType as DT, type TensorProto } from 'onnx-buf';
import { decodeModel, defaultOpset, encodeModel, InvalidModelError, loadModel, MIN_OPSET, OnnxError, saveModel } from '../src/onnx/io.ts';
import { UpgradeError } from '../src/onnx/upgrade/index.ts';
import { DEFAULT_OPSET } from '../src/onnx/make.ts';
import { checkerMissing, checkModels } from './onnx-checker.ts';

const ROOT = '/usr/share/libonnx-testdata/data/node';

function ensureTestData(): void {
  if (existsSync(ROOT)) return;
  console.log('installing libonnx-testdata (Debian) ...');
  execFileSync('apt-get', ['install', '-y', '-qq', 'libonnx-testdata'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

const ORT_TYPES: Partial<Record<number, [ort.Tensor.Type, (b: ArrayBuffer, n: number) => ort.Tensor.DataType]>> = {
  [DT.FLOAT]: ['float32', (b, n) => new Float32Array(b, 0, n)], [DT.DOUBLE]: ['float64', (b, n) => new Float64Array(b, 0, n)],
  [DT.INT8]: ['int8', (b, n) => new Int8Array(b, 0, n)], [DT.UINT8]: ['uint8', (b, n) => new Uint8Array(b, 0, n)],
  [DT.INT16]: ['int16', (b, n) => new Int16Array(b, 0, n)], [DT.UINT16]: ['uint16', (b, n) => new Uint16Array(b, 0, n)],
  [DT.INT32]: ['int32', (b, n) => new Int32Array(b, 0, n)], [DT.UINT32]: ['uint32', (b, n) => new Uint32Array(b, 0, n)],
  [DT.INT64]: ['int64', (b, n) => new BigInt64Array(b, 0, n)], [DT.UINT64]: ['uint64', (b, n) => new BigUint64Array(b, 0, n)],
  [DT.BOOL]: ['bool', (b, n) => new Uint8Array(b, 0, n)], [DT.FLOAT16]: ['float16', (b, n) => new Uint16Array(b, 0, n)],
};

/** A test input as an onnxruntime tensor; undefined for what this script does not feed (strings, sequences). */
function toOrt(t: TensorProto): ort.Tensor | undefined {
  const spec = ORT_TYPES[t.dataType];
  if (!spec) return undefined;
  const dims = t.dims.map(Number);
  const n = dims.reduce((a, b) => a * b, 1);
  let bytes: Uint8Array;
  if (t.rawData.length) bytes = t.rawData.slice();
  else {
    // typed fields: floats in float_data, int64s in int64_data, smaller integers and bools in int32_data, ...
    const typed = t.floatData.length ? Float32Array.from(t.floatData) : t.doubleData.length ? Float64Array.from(t.doubleData)
      : t.int64Data.length ? BigInt64Array.from(t.int64Data) : t.uint64Data.length ? BigUint64Array.from(t.uint64Data) : undefined;
    if (typed) bytes = new Uint8Array(typed.buffer);
    else {
      if (t.int32Data.length !== n) return undefined; // data in a field this script does not read
      const make = spec[1](new ArrayBuffer(n * 8), n) as unknown as { [i: number]: number | bigint };
      t.int32Data.forEach((v, i) => { make[i] = typeof make[i] === 'bigint' ? BigInt(v) : v; });
      return new ort.Tensor(spec[0], make as unknown as ort.Tensor.DataType, dims);
    }
  }
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return new ort.Tensor(spec[0], spec[1](buf, n), dims);
}

const same = (a: ort.Tensor, b: ort.Tensor): boolean => {
  if (a.type !== b.type || a.dims.join() !== b.dims.join()) return false;
  const x = a.data as ArrayLike<unknown>;
  const y = b.data as ArrayLike<unknown>;
  for (let i = 0; i < x.length; i++) if (!(x[i] === y[i] || (Number.isNaN(x[i]) && Number.isNaN(y[i])))) return false;
  return true;
};

type Outcome = 'pass' | 'refused' | 'both-refuse' | 'ort-cannot-run' | 'inputs-not-fed' | 'round-trip-differs' | 'outputs-differ' | 'wrongly-refused';

/** A model the verifier refuses: fine when onnxruntime cannot load it either. */
async function verdict(path: string, e: InvalidModelError): Promise<[Outcome, string]> {
  try {
    await ort.InferenceSession.create(readFileSync(path), { logSeverityLevel: 4 });
  } catch {
    return ['both-refuse', e.problem];
  }
  return ['wrongly-refused', e.problem];
}

/** The files one case wrote, for the checker: the round-trip copy and the upgraded model. */
interface Written { original: string; copy?: string; upgraded?: string }

async function check(dir: string, tmp: string, name: string, written: Written[]): Promise<[Outcome, string?, Upgrade?]> {
  const path = join(dir, 'model.onnx');
  let model;
  try {
    model = loadModel(path);
  } catch (e) {
    if (e instanceof InvalidModelError) return verdict(path, e);
    if (e instanceof OnnxError) return ['refused', e.problem];
    throw e;
  }
  const out = join(tmp, `${name}.onnx`);
  saveModel(model, out);
  const files: Written = { original: path, copy: out };
  written.push(files);
  const back = decodeModel(readFileSync(out), out);
  const [a, b] = [encodeModel(model), encodeModel(back)];
  if (a.length !== b.length || a.some((v, i) => v !== b[i])) return ['round-trip-differs', 'the reloaded model encodes differently'];
  const set = join(dir, 'test_data_set_0');
  const inputs = existsSync(set) ? readdirSync(set).filter((f) => f.startsWith('input_')).sort() : [];
  let original: ort.InferenceSession;
  try { original = await ort.InferenceSession.create(readFileSync(path)); } catch (e) { return ['ort-cannot-run', (e as Error).message.split('\n')[0]]; }
  const feeds: Record<string, ort.Tensor> = {};
  for (const [i, f] of inputs.entries()) {
    const t = toOrt(fromBinary(TensorProtoSchema, readFileSync(join(set, f))));
    if (!t || !original.inputNames[i]) return ['inputs-not-fed', f];
    feeds[original.inputNames[i]!] = t;
  }
  const reloaded = await ort.InferenceSession.create(readFileSync(out));
  let want: ort.InferenceSession.OnnxValueMapType;
  try {
    want = await original.run(feeds);
    const got = await reloaded.run(feeds);
    for (const k of Object.keys(want)) if (!got[k] || !same(want[k]!, got[k]!)) return ['outputs-differ', k];
  } catch (e) {
    return ['ort-cannot-run', (e as Error).message.split('\n')[0]];
  }
  const opset = defaultOpset(model);
  const upgrade = opset !== undefined && opset < DEFAULT_OPSET ? await upgraded(path, join(tmp, `${name}.opset${DEFAULT_OPSET}.onnx`), feeds, want, files) : undefined;
  return ['pass', undefined, upgrade && [upgrade[0], upgrade[1], opset]];
}

/** An outcome, why, and the opset the model was upgraded from. */
type Upgrade = ['upgraded' | 'upgrade-refused' | 'upgrade-differs' | 'upgrade-cannot-run', string?, number?];

/** The model upgraded to DEFAULT_OPSET as it is loaded: it computes `want`, or the upgrade refuses it by name. */
async function upgraded(path: string, out: string, feeds: Record<string, ort.Tensor>, want: ort.InferenceSession.OnnxValueMapType, files: Written): Promise<Upgrade> {
  try {
    saveModel(loadModel(path, { opset: DEFAULT_OPSET }), out);
  } catch (e) {
    if (e instanceof UpgradeError) return ['upgrade-refused', e.message.replace(`${path}: `, '')];
    throw e;
  }
  files.upgraded = out;
  try {
    const got = await (await ort.InferenceSession.create(readFileSync(out), { logSeverityLevel: 4 })).run(feeds);
    for (const k of Object.keys(want)) if (!got[k] || !same(want[k] as ort.Tensor, got[k] as ort.Tensor)) return ['upgrade-differs', k];
  } catch (e) {
    return ['upgrade-cannot-run', (e as Error).message.split('\n')[0]];
  }
  return ['upgraded'];
}

type Checked = 'ok' | 'skipped' | 'both-fail' | 'fails';

/** onnx.checker on every written file, against its verdict on the original. */
function checkWritten(written: Written[]): { counts: Map<string, Map<Checked, number>>; failures: string[] } {
  const v = checkModels([...new Set(written.flatMap((w) => [w.original, w.copy, w.upgraded].filter((p): p is string => !!p)))]);
  const counts = new Map<string, Map<Checked, number>>([['copy', new Map()], ['upgraded', new Map()]]);
  const failures: string[] = [];
  for (const w of written) {
    const before = v.get(w.original)!;
    for (const kind of ['copy', 'upgraded'] as const) {
      const p = w[kind];
      if (!p) continue;
      const got = v.get(p)!;
      const c: Checked = got.status === 'ok' ? 'ok' : got.status === 'skipped' ? 'skipped' : before.status === 'fail' && kind === 'copy' ? 'both-fail' : 'fails';
      counts.get(kind)!.set(c, (counts.get(kind)!.get(c) ?? 0) + 1);
      if (c === 'fails') failures.push(`${p}: onnx.checker: ${got.message}${before.status === 'fail' ? ` (the original fails too: ${before.message})` : ''}`);
    }
  }
  return { counts, failures };
}

async function main(): Promise<number> {
  ensureTestData();
  const tmp = mkdtempSync(join(tmpdir(), 'lithe-conformance-'));
  const counts = new Map<Outcome, number>();
  /** outcome → counts for models of opsets 7 to 10 (refused before the upgrade existed) and 11 to 12 */
  const upgrades = new Map<string, [number, number]>();
  const failures: string[] = [];
  const refusals: string[] = [];
  const written: Written[] = [];
  const cases = readdirSync(ROOT).filter((d) => existsSync(join(ROOT, d, 'model.onnx'))).sort();
  const missing = checkerMissing();
  let checked: ReturnType<typeof checkWritten> | undefined;
  try {
    for (const name of cases) {
      const [outcome, why, upgrade] = await check(join(ROOT, name), tmp, name, written);
      counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
      if (outcome === 'round-trip-differs' || outcome === 'outputs-differ' || outcome === 'wrongly-refused') failures.push(`${name}: ${outcome} (${why})`);
      if (!upgrade) continue;
      const row = upgrades.get(upgrade[0]) ?? [0, 0];
      row[upgrade[2]! < 11 ? 0 : 1]++;
      upgrades.set(upgrade[0], row);
      if (upgrade[0] === 'upgrade-refused') refusals.push(`${name}: ${upgrade[1]}`);
      else if (upgrade[0] !== 'upgraded') failures.push(`${name}: ${upgrade[0]} (${upgrade[1]})`);
    }
    if (!missing) checked = checkWritten(written);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (checked) failures.push(...checked.failures);
  const rows: [Outcome, string][] = [
    ['pass', 'loaded, saved, reloaded identically; same outputs in onnxruntime'],
    ['refused', `refused by lithe's loader, which says why (a default-domain opset older than ${MIN_OPSET})`],
    ['both-refuse', "refused by lithe's verifier, which names the problem, and by onnxruntime too"],
    ['ort-cannot-run', 'round trip identical, but onnxruntime-node cannot run the original'],
    ['inputs-not-fed', 'round trip identical; test inputs of a type this script does not feed (strings, sequences)'],
    ['round-trip-differs', 'FAILED: the reloaded model differs'],
    ['outputs-differ', 'FAILED: the reloaded model computes different outputs'],
    ['wrongly-refused', "FAILED: lithe's verifier refuses a model onnxruntime loads"],
  ];
  console.log(`# ONNX conformance: ${cases.length} node-test models of libonnx-testdata\n`);
  console.log('| outcome | models | meaning |\n|---|---:|---|');
  for (const [k, text] of rows) console.log(`| ${k} | ${counts.get(k) ?? 0} | ${text} |`);
  const upgradeRows: [string, string][] = [
    ['upgraded', `upgraded to opset ${DEFAULT_OPSET}; same outputs in onnxruntime`],
    ['upgrade-refused', 'the upgrade refuses the model, naming the node and why'],
    ['upgrade-differs', 'FAILED: the upgraded model computes different outputs'],
    ['upgrade-cannot-run', 'FAILED: onnxruntime cannot run the upgraded model'],
  ];
  console.log(`\n## Opset upgrade to ${DEFAULT_OPSET}: the passing models of opsets ${MIN_OPSET} to ${DEFAULT_OPSET - 1}\n`);
  console.log(`| outcome | opsets ${MIN_OPSET}–10 | opsets 11–${DEFAULT_OPSET - 1} | meaning |\n|---|---:|---:|---|`);
  for (const [k, text] of upgradeRows) console.log(`| ${k} | ${upgrades.get(k)?.[0] ?? 0} | ${upgrades.get(k)?.[1] ?? 0} | ${text} |`);
  if (refusals.length) console.log(`\n${refusals.join('\n')}`);
  if (checked) {
    console.log(`\n## onnx.checker (full check) on the models written\n`);
    console.log('| written | ok | skipped (newer than the checker) | fails, as the original does | FAILED: fails where the original passes |\n|---|---:|---:|---:|---:|');
    for (const [kind, c] of checked.counts) console.log(`| ${kind === 'copy' ? 'round-trip copies' : 'upgraded models'} | ${c.get('ok') ?? 0} | ${c.get('skipped') ?? 0} | ${c.get('both-fail') ?? 0} | ${c.get('fails') ?? 0} |`);
  } else console.log(`\nonnx.checker not run: ${missing}`);
  if (failures.length) console.log(`\n${failures.join('\n')}`);
  return failures.length ? 1 : 0;
}

process.exitCode = await main();
