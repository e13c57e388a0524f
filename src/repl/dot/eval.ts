// .eval: COCO mAP of the current model on the val split of the session's data, as a run measures it.
import type { DotCommand } from './types.ts';
import { summary } from '../summary.ts';

export const command: DotCommand = {
  name: 'eval',
  summary: "mAP@.5:.95 and mAP@.5 of the current model on the data's val split (needs `data`)",
  async run(session) {
    const s = await session.measure('map');
    session.opts.io.out(`${summary(s.label, s.measures, session.input()!.measures)}\n`);
  },
};
