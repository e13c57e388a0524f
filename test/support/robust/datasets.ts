// The reliability suite's data cases (kind `data`): hostile data sets in every format lithe reads, generated
// in code (tiny PNGs and JPEGs from the project's encoders; no checked-in binaries), each run through
// `lithe eval` or `lithe run`. Broken ones must be refused with an error naming a file of the set; the
// valid controls must evaluate. The cases live by format in data/.
import type { RobustCase } from './types.ts';
import { cocoCases } from './data/coco.ts';
import { yoloCases } from './data/yolo.ts';
import { vocCases } from './data/voc.ts';
import { runCases } from './data/run.ts';

export const dataCases: RobustCase[] = [...cocoCases, ...yoloCases, ...vocCases, ...runCases];
