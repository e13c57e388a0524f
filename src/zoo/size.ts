// What a zoo model can be built at: a square input whose side is a multiple of the network's largest stride
// (every downsampling must halve the map exactly, or the upsampled and skip maps would not concatenate), from
// one stride up to 4096 pixels, and 1 to 10,000 classes. Anything else is refused before any work, by name.
import { LitheError } from '../errors.ts';
import type { ZooModel } from './types.ts';

/** Beyond any image a detector for edge devices takes: activations at this size already run into gigabytes. */
export const MAX_SIZE = 4096;
/** More classes than any detection data set has (LVIS: 1,203); output convolutions grow with them. */
export const MAX_CLASSES = 10_000;

/** Why `m` cannot be built at `input` (width, height, or one side), or undefined when it can. */
export function zooInputProblem(m: Pick<ZooModel, 'name' | 'stride'>, input: readonly number[]): string | undefined {
  const [w, h = w] = input;
  if (w === undefined) return undefined;
  const at = `zoo:${m.name} at ${w}x${h}`;
  if (w !== h) return `${at}: zoo models take a square input`;
  if (!Number.isInteger(w) || w < m.stride) return `${at}: the input must be at least ${m.stride}x${m.stride}`;
  if (w % m.stride) return `${at}: the input size must be a multiple of ${m.stride}, so that every downsampling halves the map exactly (${Math.floor(w / m.stride) * m.stride || m.stride} or ${(Math.floor(w / m.stride) + 1) * m.stride} would do)`;
  if (w > MAX_SIZE) return `${at}: the input is larger than the ${MAX_SIZE}x${MAX_SIZE} lithe builds`;
  return undefined;
}

/** `m` whose build refuses, with a LitheError naming the model, a size or class count it cannot build. */
export function checked(m: ZooModel): ZooModel {
  return {
    ...m,
    build(opts) {
      const problem = zooInputProblem(m, [opts.size ?? m.defaultSize]);
      if (problem) throw new LitheError(problem);
      if (opts.classes !== undefined && (!Number.isInteger(opts.classes) || opts.classes < 1 || opts.classes > MAX_CLASSES)) {
        throw new LitheError(`zoo:${m.name}: ${opts.classes} classes; lithe builds 1 to ${MAX_CLASSES}`);
      }
      return m.build(opts);
    },
  };
}
