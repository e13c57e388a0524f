// An image's size from its header alone (PNG's IHDR chunk, JPEG's frame header), without decoding it: data-set
// loaders need the size of every image, and decoding them all would make loading as slow as evaluating.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { ImageError, isJpeg, isPng } from './image.ts';

export interface ImageSize { width: number; height: number }

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
  return size;
}

const HEAD = 1 << 16;

/** The size of an image file, reading only its first 64 KiB unless a JPEG's metadata pushes its frame header further. */
export function readImageSize(file: string): ImageSize {
  const head = new Uint8Array(HEAD);
  const fd = openSync(file, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, HEAD, 0);
  } finally {
    closeSync(fd);
  }
  return headerSize(head.subarray(0, n), file) ?? imageSize(n < HEAD ? head.subarray(0, n) : readFileSync(file), file);
}
