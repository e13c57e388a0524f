// External data that must not be read: a symbolic link or a path out of the model's folder (to /etc/passwd,
// to a secret beside it), a folder, a FIFO, a link loop, a missing file, offsets and lengths that are not
// whole numbers or lie beyond the file. The secret holds exactly the bytes the tensor needs, so that only
// the escape itself can be refused.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { create } from '@bufbuild/protobuf';
import { StringStringEntryProtoSchema, TensorProto_DataLocation, type ModelProto } from 'onnx-buf';
import { initOf } from './edit.ts';
import type { Mutant } from './types.ts';

/** What a secret outside the model's folder holds; no output of lithe may contain it. */
export const SECRET = 'LITHE-SECRET-';

/** Moves initializer `w` out of the model: its bytes into `dir/file` (unless `write` is false), its entry
 * to the given location, offset and length. Returns the tensor's bytes. */
export function externalize(m: ModelProto, dir: string, info: Record<string, string>, opts: { file?: string; write?: boolean; pad?: number } = {}): Uint8Array {
  const t = initOf(m, 'w');
  const bytes = t.rawData.slice();
  if (opts.write !== false) {
    const pad = opts.pad ?? 0;
    const blob = new Uint8Array(pad + bytes.length);
    blob.set(bytes, pad);
    mkdirSync(join(dir, opts.file ?? 'w.bin', '..'), { recursive: true });
    writeFileSync(join(dir, opts.file ?? 'w.bin'), blob);
  }
  t.rawData = new Uint8Array(0);
  t.dataLocation = TensorProto_DataLocation.EXTERNAL;
  t.externalData = Object.entries(info).map(([key, value]) => create(StringStringEntryProtoSchema, { key, value }));
  return bytes;
}

/** A secret of the tensor's exact size outside the model's folder. */
function secret(root: string, size: number): string {
  const path = join(root, 'secret.bin');
  writeFileSync(path, Buffer.from(SECRET.repeat(Math.ceil(size / SECRET.length)).slice(0, size)));
  return path;
}

const WEIGHT_BYTES = 3 * 2 * 3 * 3 * 4;
const ext = (name: string, info: Record<string, string>, opts: Parameters<typeof externalize>[3] = {}): Mutant =>
  ({ name, base: 'net', mutate: (m, dir) => { externalize(m, dir, info, opts); } });

export const externalMutants: Mutant[] = [
  { name: 'external data: a link to a secret outside the folder', base: 'net', mutate: (m, dir, root) => {
    externalize(m, dir, { location: 'w.bin' }, { write: false });
    symlinkSync(secret(root, WEIGHT_BYTES), join(dir, 'w.bin'));
  } },
  { name: 'external data: a link to /etc/passwd', base: 'net', mutate: (m, dir) => {
    externalize(m, dir, { location: 'w.bin' }, { write: false });
    symlinkSync('/etc/passwd', join(dir, 'w.bin'));
  } },
  { name: 'external data: a linked folder leading outside', base: 'net', mutate: (m, dir, root) => {
    secret(root, WEIGHT_BYTES);
    symlinkSync(root, join(dir, 'up'));
    externalize(m, dir, { location: 'up/secret.bin' }, { write: false });
  } },
  { name: 'external data: ../secret.bin', base: 'net', mutate: (m, dir, root) => { secret(root, WEIGHT_BYTES); externalize(m, dir, { location: '../secret.bin' }, { write: false }); } },
  { name: 'external data: an absolute path', base: 'net', mutate: (m, dir) => { externalize(m, dir, { location: '/etc/passwd' }, { write: false }); } },
  { name: 'external data: the folder itself', base: 'net', mutate: (m, dir) => { externalize(m, dir, { location: '.' }, { write: false }); } },
  { name: 'external data: a folder', base: 'net', mutate: (m, dir) => { externalize(m, dir, { location: 'w.bin' }, { write: false }); mkdirSync(join(dir, 'w.bin')); } },
  { name: 'external data: a FIFO', base: 'net', subprocess: true, mutate: (m, dir) => {
    externalize(m, dir, { location: 'w.bin' }, { write: false });
    spawnSync('mkfifo', [join(dir, 'w.bin')]);
  } },
  { name: 'external data: a link loop', base: 'net', mutate: (m, dir) => { externalize(m, dir, { location: 'w.bin' }, { write: false }); symlinkSync('w.bin', join(dir, 'w.bin')); } },
  { name: 'external data: a dangling link', base: 'net', mutate: (m, dir) => { externalize(m, dir, { location: 'w.bin' }, { write: false }); symlinkSync('gone.bin', join(dir, 'w.bin')); } },
  { name: 'external data: a missing file', base: 'net', mutate: (m, dir) => { externalize(m, dir, { location: 'w.bin' }, { write: false }); } },
  { name: 'external data: no location', base: 'net', mutate: (m, dir) => { externalize(m, dir, { offset: '0' }); } },
  { name: 'external data: an empty location', base: 'net', mutate: (m, dir) => { externalize(m, dir, { location: '' }); } },
  { name: 'external data: a NUL byte in the location', base: 'net', mutate: (m, dir) => { externalize(m, dir, { location: 'w\0.bin' }); } },
  { name: 'external data: the model itself', base: 'net', mutate: (m, dir) => { externalize(m, dir, { location: 'm.onnx' }, { write: false }); } },
  ext('external data: offset past the end', { location: 'w.bin', offset: '100000' }),
  ext('external data: length past the end', { location: 'w.bin', length: '100000' }),
  ext('external data: offset + length past the end', { location: 'w.bin', offset: '8', length: String(WEIGHT_BYTES) }),
  ext('external data: negative offset', { location: 'w.bin', offset: '-8' }, { pad: 8 }),
  ext('external data: offset not a number', { location: 'w.bin', offset: 'eight' }),
  ext('external data: fractional length', { location: 'w.bin', length: '1.5' }),
  ext('external data: length 10^30', { location: 'w.bin', length: '1000000000000000000000000000000' }),
  ext('external data: shorter than the tensor', { location: 'w.bin', length: String(WEIGHT_BYTES - 4) }),
  ext('external data: a file with more than the tensor', { location: 'w.bin' }, { pad: 4 }),
];

/** External data lithe must read: beside the model, in a subfolder, at an offset, through a link inside. */
export const externalOk: Mutant[] = [
  ext('external data beside the model', { location: 'w.bin' }),
  ext('external data in a subfolder', { location: 'data/w.bin' }, { file: 'data/w.bin' }),
  ext('external data at an offset, with its length', { location: 'w.bin', offset: '16', length: String(WEIGHT_BYTES) }, { pad: 16 }),
  { name: 'external data through a link inside the folder', base: 'net', mutate: (m, dir) => {
    externalize(m, dir, { location: 'w.bin' }, { file: 'store/weights.bin' });
    symlinkSync('store/weights.bin', join(dir, 'w.bin'));
  } },
];
