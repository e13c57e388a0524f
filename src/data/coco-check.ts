// What a COCO annotation file must mean, once it has the right shape (coco-schema.ts): ids unique in each
// list, every annotation on a known image and class, every box inside its image. Duplicate annotation ids
// would not even be evaluated as written by the reference evaluator (it keys annotations by id, so the last
// of two takes both places). An annotation without `area` gets its box's, as the reference does for
// detections; `area` decides the small / medium / large ranges.
import type { CocoAnnotation } from '../metrics/coco.ts';
import { boxProblem } from './box.ts';
import type { CocoImage } from './coco.ts';

interface Entry { id: number }
type Gt = { images: CocoImage[]; annotations: (Omit<CocoAnnotation, 'area'> & { area?: number })[]; categories: Entry[] };

/** The entries of `list` by id; a second entry with an id is a problem naming both. */
function byId<T extends Entry>(list: T[], name: string): Map<number, T> | string {
  const seen = new Map<number, number>();
  for (const [i, e] of list.entries()) {
    const first = seen.get(e.id);
    if (first !== undefined) return `${name}[${i}] has id ${e.id}, as ${name}[${first}] does: ids must be unique`;
    seen.set(e.id, i);
  }
  return new Map(list.map((e) => [e.id, e]));
}

/** The first problem with the meaning of `gt`, in words, or undefined; fills in missing areas. */
export function cocoMeaningProblem(gt: Gt): string | undefined {
  if (!gt.images.length) return '"images" is empty: the data set has no images';
  const images = byId(gt.images, 'images');
  const cats = byId(gt.categories, 'categories');
  const anns = byId(gt.annotations, 'annotations');
  for (const m of [images, cats, anns]) if (typeof m === 'string') return m;
  for (const [i, a] of gt.annotations.entries()) {
    const at = `annotations[${i}] (id ${a.id})`;
    const img = (images as Map<number, CocoImage>).get(a.image_id);
    if (!img) return `${at}: image_id ${a.image_id} is not in "images"`;
    if (!(cats as Map<number, Entry>).has(a.category_id)) return `${at}: unknown class ${a.category_id} (category_id not in "categories")`;
    const box = boxProblem(a.bbox, img, `image ${img.id}`);
    if (box) return `${at}: box [${a.bbox.join(', ')}] ${box}`;
    a.area ??= a.bbox[2] * a.bbox[3];
  }
  return undefined;
}
