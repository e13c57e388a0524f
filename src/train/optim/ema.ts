// An exponential moving average of the weights and running statistics, with YOLOv5's ramp
// (decay·(1 - e^(-updates/2000))) so early, poor weights fade quickly. Evaluation and export use the average.
export class Ema {
  readonly values = new Map<string, Float32Array>();
  updates = 0;

  constructor(source: Map<string, Float32Array>, private readonly decay = 0.9999, private readonly ramp = 2000) {
    for (const [k, v] of source) this.values.set(k, v.slice());
  }

  update(source: Map<string, Float32Array>): void {
    this.updates++;
    const d = this.decay * (1 - Math.exp(-this.updates / this.ramp));
    for (const [k, avg] of this.values) {
      const v = source.get(k)!;
      for (let i = 0; i < avg.length; i++) avg[i] = d * avg[i]! + (1 - d) * v[i]!;
    }
  }
}
