// An image file as the pipeline reads it (evaluation, batches): a regular file only, its header checked
// before anything is decoded, so that a decompression bomb, a FIFO or a file that is not the size its data
// set declares is refused by name instead of hanging, exhausting memory or skewing every box.
import { readRegular } from '../util/files.ts';
import { decodeImage, ImageError, type Image } from './image.ts';
import { imageSize, MAX_IMAGE_BYTES, type ImageSize } from './image-size.ts';

/** `declared`: the size the data set gives the image; a file of another size is an error. */
export function readImage(file: string, declared?: ImageSize): Image {
  const bytes = readRegular(file, { what: 'an image', max: MAX_IMAGE_BYTES });
  const size = imageSize(bytes, file);
  if (declared) checkSize(file, size, declared);
  return decodeImage(bytes, file);
}

/** The same words wherever a header disagrees with the data set (at load time and when decoded). */
export function checkSize(file: string, size: ImageSize, declared: ImageSize): void {
  if (size.width !== declared.width || size.height !== declared.height) {
    throw new ImageError(`${file}: the image is ${size.width}x${size.height}, but the data set says ${declared.width}x${declared.height}`);
  }
}
