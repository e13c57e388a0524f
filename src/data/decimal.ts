// Numbers in the text formats (YOLO label lines, VOC XML): decimal only. JavaScript's Number() would also
// take '0x10', '' and ' ', which no exporter writes and no other reader of these files accepts.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The finite number `text` spells in decimal, or undefined. */
export function decimal(text: string): number | undefined {
  const n = DECIMAL.test(text) ? Number(text) : NaN;
  return Number.isFinite(n) ? n : undefined;
}
