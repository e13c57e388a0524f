// What steps need besides the model (PassDef.needs), in the words the checker says them.
import type { Need } from './types.ts';

/** A step that trains or measures with the detection loss or mAP: labelled images and a head lithe decodes. */
export const withLabels = (why: string, at?: string): Need[] =>
  (['data', 'labels', 'head'] as const).map((what) => ({ what, why, ...(at && { at }) }));

/** A step that only runs images through the model (calibration, activation statistics). */
export const withImages = (why: string, at?: string): Need[] => [{ what: 'data', why, ...(at && { at }) }];
