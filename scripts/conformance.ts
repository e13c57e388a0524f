// `npm run conformance`: every model of ONNX's own node test data (Debian's libonnx-testdata, installed when
// missing) loads, saves and reloads with identical nodes, attributes, initializers, inputs and outputs, and
// the reloaded model computes the same outputs in onnxruntime-node as the original on the test inputs. The
// loader verifies every model: a model its verifier refuses must be one onnxruntime refuses too.
// Prints a table of counts; exits 1 if any model that onnxruntime runs fails the round trip or is refused.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { fromBinary } from '@bufbuild/protobuf';
import { TensorProtoSchema, TensorProto_DataType as DT, type TensorProto } from 'onnx-buf';
import { decodeModel, encodeModel, InvalidModelError, loadModel, OnnxError, saveModel } from '../src/onnx/io.ts';

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

async function check(dir: string, tmp: string): Promise<[Outcome, string?]> {
  const path = join(dir, 'model.onnx');
  let model;
  try {
    model = loadModel(path);
  } catch (e) {
    if (e instanceof InvalidModelError) return verdict(path, e);
    if (e instanceof OnnxError) return ['refused', e.problem];
    throw e;
  }
  const out = join(tmp, 'rt.onnx');
  saveModel(model, out);
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
  try {
    const [r1, r2] = [await original.run(feeds), await reloaded.run(feeds)];
    for (const k of Object.keys(r1)) if (!r2[k] || !same(r1[k]!, r2[k]!)) return ['outputs-differ', k];
  } catch (e) {
    return ['ort-cannot-run', (e as Error).message.split('\n')[0]];
  }
  return ['pass'];
}

async function main(): Promise<number> {
  ensureTestData();
  const tmp = mkdtempSync(join(tmpdir(), 'lithe-conformance-'));
  const counts = new Map<Outcome, number>();
  const failures: string[] = [];
  const cases = readdirSync(ROOT).filter((d) => existsSync(join(ROOT, d, 'model.onnx'))).sort();
  try {
    for (const name of cases) {
      const [outcome, why] = await check(join(ROOT, name), tmp);
      counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
      if (outcome === 'round-trip-differs' || outcome === 'outputs-differ' || outcome === 'wrongly-refused') failures.push(`${name}: ${outcome} (${why})`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const rows: [Outcome, string][] = [
    ['pass', 'loaded, saved, reloaded identically; same outputs in onnxruntime'],
    ['refused', "refused by lithe's loader, which says why (a default-domain opset older than 11)"],
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
  if (failures.length) console.log(`\n${failures.join('\n')}`);
  return failures.length ? 1 : 0;
}

process.exitCode = await main();
