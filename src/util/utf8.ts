// Bytes → text without losing any: a file that is not UTF-8 is named with the place of its first bad byte
// instead of being decoded with U+FFFD in place of what it held (a formatter that wrote that back would
// destroy the author's bytes).
import { isUtf8 } from 'node:buffer';

export type Decoded = { ok: true; text: string } | { ok: false; offset: number; byte: number; line: number; col: number };

/** The text of `bytes` if they are UTF-8; otherwise where the first byte that is not lies. */
export function decodeUtf8(bytes: Uint8Array): Decoded {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(buf)) return { ok: true, text: buf.toString('utf8') };
  const offset = firstBadByte(buf);
  const lineStart = buf.lastIndexOf(0x0a, offset - 1) + 1;
  let line = 1;
  for (let i = buf.indexOf(0x0a); i !== -1 && i < offset; i = buf.indexOf(0x0a, i + 1)) line++;
  const col = buf.subarray(lineStart, offset).toString('utf8').length + 1;
  return { ok: false, offset, byte: buf[offset]!, line, col };
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence (-1: none). */
export function firstBadByte(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    if (c < 0x80) { i++; continue; }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (n === 0) return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8 either.
    if (cp < [0, 0x80, 0x800, 0x10000][n]! || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}
