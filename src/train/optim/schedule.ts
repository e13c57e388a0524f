// Learning-rate schedules by step: a linear warm-up from `warmupStart`·lr, then constant or a cosine decay
// to `final`·lr at the last step (YOLO trainers' one-cycle shape).
export interface ScheduleOptions { lr: number; steps: number; warmup?: number; warmupStart?: number; final?: number; kind?: 'cosine' | 'constant' }

export function schedule(o: ScheduleOptions): (step: number) => number {
  const warmup = o.warmup ?? 0;
  const start = o.warmupStart ?? 0.1;
  const final = o.final ?? 0.01;
  return (step) => {
    if (step < warmup) return o.lr * (start + ((1 - start) * step) / warmup);
    if (o.kind === 'constant') return o.lr;
    const span = Math.max(1, o.steps - 1 - warmup);
    const p = Math.min(1, (step - warmup) / span);
    return o.lr * (final + ((1 - final) * (1 + Math.cos(Math.PI * p))) / 2);
  };
}
