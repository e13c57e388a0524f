// Images in and out: PNG through pngjs and JPEG through jpeg-js (both pure JavaScript, so nothing native is
// downloaded at install). Decoded images are 8-bit RGB, row-major. Every failure names the file.
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { EXIT, LitheError, printable } from '../errors.ts';

export interface Image { width: number; height: number; data: Uint8Array }

/** An image lithe cannot use: nothing runs (exit 2). The message is one line, whatever the file is called. */
export class ImageError extends LitheError {
  override name = 'ImageError';
  constructor(message: string) {
    super(printable(message), EXIT.usage);
  }
}

export const isPng = (b: Uint8Array) => b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
export const isJpeg = (b: Uint8Array) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** RGBA → RGB. */
function rgb(width: number, height: number, rgba: Uint8Array): Image {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < data.length; i += 3, j += 4) { data[i] = rgba[j]!; data[i + 1] = rgba[j + 1]!; data[i + 2] = rgba[j + 2]!; }
  return { width, height, data };
}

// The decoders' words for the commonest failure, in a user's.
const SAID: Record<string, string> = {
  'There are some read requests waitng on finished stream': 'the file ends early',
  'marker was not found': 'the file ends early or a marker is missing',
};

export function decodeImage(bytes: Uint8Array, file: string): Image {
  const format = isPng(bytes) ? 'PNG' : 'JPEG';
  try {
    if (isPng(bytes)) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return rgb(png.width, png.height, png.data);
    }
    if (isJpeg(bytes)) {
      const j = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
      return rgb(j.width, j.height, j.data);
    }
  } catch (e) {
    const said = String((e as Error)?.message ?? e);
    throw new ImageError(`${file}: corrupt or truncated ${format} (${SAID[said] ?? said})`);
  }
  throw new ImageError(`${file}: not a PNG or JPEG image`);
}

export function encodePng(img: Image): Buffer {
  const png = new PNG({ width: img.width, height: img.height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  // One fixed filter (Sub) instead of trying all five per row: on noisy images the choice gains little.
  return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false, filterType: 1 });
}
