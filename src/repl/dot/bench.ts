// .bench: latency of the current model (median at batch 1, on 1 and 2 threads), as a run measures it.
import type { DotCommand } from './types.ts';
import { summary } from '../summary.ts';

export const command: DotCommand = {
  name: 'bench',
  summary: 'latency of the current model: the median at batch 1, on 1 and 2 threads',
  async run(session) {
    const s = await session.measure('latency');
    session.opts.io.out(`${summary(s.label, s.measures, session.input()!.measures)}\n`);
  },
};
