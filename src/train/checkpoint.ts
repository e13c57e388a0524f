// Checkpoints: named float32 arrays (weights, running statistics, optimizer state, EMA) and a JSON header
// (epoch, step, options), in one file written to a temporary name and renamed, so a checkpoint on disk is
// always whole. Layout: 'LITHECK1', header length (uint32 LE), header JSON, zero padding to 4 bytes, data.
import { readRegular, writeAtomic } from '../util/files.ts';
import { TrainingError } from './graph.ts';

const MAGIC = 'LITHECK1';

export interface Checkpoint<H> { header: H; tensors: Map<string, Float32Array> }

export function writeCheckpoint<H>(file: string, header: H, tensors: Map<string, Float32Array>): void {
  let offset = 0;
  const index = [...tensors].map(([name, t]) => { const e = { name, offset, length: t.length }; offset += t.length; return e; });
  const json = Buffer.from(JSON.stringify({ header, index }));
  const head = Buffer.alloc(12 + json.length + ((4 - ((12 + json.length) % 4)) % 4));
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(json.length, 8);
  json.copy(head, 12);
  writeAtomic(file, [head, ...[...tensors.values()].map((t) => new Uint8Array(t.buffer, t.byteOffset, t.byteLength))], { durable: true });
}

export function readCheckpoint<H>(file: string): Checkpoint<H> {
  let buf: Buffer;
  try { buf = readRegular(file, { what: 'a checkpoint' }); } catch { throw new TrainingError(`${file}: no checkpoint to resume from`); }
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC) throw new TrainingError(`${file}: not a lithe checkpoint`);
  const n = buf.readUInt32LE(8);
  let parsed: { header: H; index: { name: string; offset: number; length: number }[] };
  try { parsed = JSON.parse(buf.toString('utf8', 12, 12 + n)); } catch { throw new TrainingError(`${file}: truncated or corrupt checkpoint`); }
  const { header, index } = parsed;
  const start = 12 + n + ((4 - ((12 + n) % 4)) % 4);
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + buf.length));
  const tensors = new Map(index.map((e) => [e.name, data.slice(e.offset, e.offset + e.length)]));
  if (index.some((e) => e.offset + e.length > data.length)) throw new TrainingError(`${file}: truncated checkpoint`);
  return { header, tensors };
}
