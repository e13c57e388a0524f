// Darknet .weights: a header (major, minor, revision as int32, then `seen` as int64 when major*10+minor >= 2,
// else int32), then per convolutional layer in order: biases (or BN beta), and with BN the scales (gamma),
// rolling mean and rolling variance, then the weights; all float32. Without a file, a seeded He
// initialisation stands in, so zoo models are runnable untrained architectures.
import { CfgError } from './cfg.ts';
import { heUniform, mulberry32 } from '../util/random.ts';

export interface ConvWeights { biases: Float32Array; scales?: Float32Array; mean?: Float32Array; variance?: Float32Array; weights: Float32Array }

export class WeightReader {
  private offset = 0;
  private readonly floats?: Float32Array;
  private readonly rnd: () => number;

  constructor(bytes: Uint8Array | undefined, private readonly file: string, seed: number) {
    this.rnd = mulberry32(seed);
    if (!bytes) return;
    if (bytes.length < 16) throw new CfgError(`${file}: too short for a darknet .weights header`);
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const [major, minor] = [v.getInt32(0, true), v.getInt32(4, true)];
    const header = major * 10 + minor >= 2 ? 20 : 16;
    if ((bytes.length - header) % 4) throw new CfgError(`${file}: ${bytes.length - header} bytes after the header is not a whole number of float32s`);
    const body = bytes.slice(header); // aligned copy: the header can leave the floats misaligned
    this.floats = new Float32Array(body.buffer, 0, body.length / 4);
  }

  private take(n: number, what: string): Float32Array {
    const f = this.floats!;
    if (this.offset + n > f.length) throw new CfgError(`${this.file}: ends at float ${f.length} while reading ${what} (${n} floats from ${this.offset}): the .weights file does not match the .cfg`);
    const out = f.slice(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  conv(name: string, filters: number, fanIn: number, bn: boolean): ConvWeights {
    if (!this.floats) return this.init(filters, fanIn, bn);
    const biases = this.take(filters, `${name} biases`);
    if (!bn) return { biases, weights: this.take(filters * fanIn, `${name} weights`) };
    const scales = this.take(filters, `${name} scales`);
    const mean = this.take(filters, `${name} rolling mean`);
    const variance = this.take(filters, `${name} rolling variance`);
    return { biases, scales, mean, variance, weights: this.take(filters * fanIn, `${name} weights`) };
  }

  /** Every float of the file must have been used: a longer file belongs to another .cfg. */
  finish(): void {
    if (this.floats && this.offset !== this.floats.length) {
      throw new CfgError(`${this.file}: ${this.floats.length - this.offset} floats are left over after the last layer: the .weights file does not match the .cfg`);
    }
  }

  private init(filters: number, fanIn: number, bn: boolean): ConvWeights {
    const weights = heUniform(filters * fanIn, fanIn, this.rnd);
    const biases = new Float32Array(filters);
    return bn ? { biases, scales: new Float32Array(filters).fill(1), mean: new Float32Array(filters), variance: new Float32Array(filters).fill(1), weights } : { biases, weights };
  }
}
