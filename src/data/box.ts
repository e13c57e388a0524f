// The one check every format's boxes pass, in pixels, [x, y, w, h]. A box with no area can never be matched
// (its IoU with anything is 0), so the reference COCO evaluator counts it as an object no model can find: it
// is refused, naming it, rather than kept (a silent cap on recall) or skipped (a number that differs from
// the reference's on the same file). A box may stick out of its image by a pixel (exporters round) and is
// kept as it is, unclipped, as the reference evaluator keeps it; further out, it is refused.
import type { ImageSize } from './image-size.ts';

/** How far, in pixels, a box may stick out of its image. */
export const SLACK_PX = 1;

/** What is wrong with `bbox` in `image` of `size`, as the end of a sentence about the box, or undefined. */
export function boxProblem([x, y, w, h]: readonly number[], { width, height }: ImageSize, image = 'the image'): string | undefined {
  if (!(w! > 0 && h! > 0)) return 'is empty (its width and height must be more than 0)';
  if (x! < -SLACK_PX || y! < -SLACK_PX || x! + w! > width + SLACK_PX || y! + h! > height + SLACK_PX) return `lies outside ${image} (${width}x${height})`;
  return undefined;
}
