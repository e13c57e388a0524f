// An image's size from its header alone (PNG's IHDR chunk, JPEG's frame header), without decoding it: data-set
// loaders need the size of every image, and decoding them all would make loading as slow as evaluating.
import { readRegular } from '../util/files.ts';
import { ImageError, isJpeg, isPng } from './image.ts';

export interface ImageSize { width: number; height: number }

/** The most pixels lithe decodes: 1 GiB as RGBA, jpeg-js's own memory limit. */
export const MAX_PIXELS = 1 << 28;
/** The largest image file lithe reads. */
export const MAX_IMAGE_BYTES = 1 << 28;

// The frame-header (SOFn) markers: C0..CF but for DHT (C4), JPG (C8) and DAC (CC).
const isFrameHeader = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
// Markers without a length field: TEM, RST0..7, SOI.
const isStandalone = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd8);

/** The size, or undefined when `b` ends before the header does. */
function headerSize(b: Uint8Array, file: string): ImageSize | undefined {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (isPng(b)) {
    if (b.length < 24) return undefined;
    if (String.fromCharCode(...b.subarray(12, 16)) !== 'IHDR') throw new ImageError(`${file}: corrupt PNG (no IHDR chunk first)`);
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (!isJpeg(b)) throw new ImageError(`${file}: not a PNG or JPEG image`);
  let at = 2;
  while (at + 9 <= b.length) {
    if (b[at] !== 0xff) throw new ImageError(`${file}: corrupt JPEG (no marker at byte ${at})`);
    const m = b[at + 1]!;
    if (m === 0xff) { at += 1; continue; } // fill bytes may pad a marker
    if (isStandalone(m)) { at += 2; continue; }
    if (m === 0xda || m === 0xd9) throw new ImageError(`${file}: corrupt JPEG (no frame header before the image data)`);
    if (isFrameHeader(m)) {
      const size = { width: view.getUint16(at + 7), height: view.getUint16(at + 5) };
      // a height of 0 defers it to a DNL marker after the first scan, which no common encoder writes
      if (!size.width || !size.height) throw new ImageError(`${file}: JPEG without its size in the frame header`);
      return size;
    }
    at += 2 + view.getUint16(at + 2);
  }
  return undefined;
}

export function imageSize(bytes: Uint8Array, file: string): ImageSize {
  const size = headerSize(bytes, file);
  if (!size) throw new ImageError(`${file}: truncated image header`);
  // a header is all a decompression bomb needs to be believed: refuse it before anything is allocated
  if (!size.width || !size.height) throw new ImageError(`${file}: corrupt image header (size ${size.width}x${size.height})`);
  if (size.width * size.height > MAX_PIXELS) throw new ImageError(`${file}: ${size.width}x${size.height} pixels, more than the ${MAX_PIXELS} lithe decodes`);
  return size;
}

const HEAD = 1 << 12;

/**
 * The size of an image file from its first 4 KiB, or all of it when a JPEG's metadata pushes its frame
 * header further. Only a regular file is opened (without blocking: a FIFO named x.png is refused, not
 * waited on) and read no further than its size.
 */
export function readImageSize(file: string): ImageSize {
  const head = readRegular(file, { what: 'an image', head: HEAD });
  if (head.length < HEAD || headerSize(head, file)) return imageSize(head, file);
  return imageSize(readRegular(file, { what: 'an image', max: MAX_IMAGE_BYTES }), file);
}
