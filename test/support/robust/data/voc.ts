// Pascal VOC data sets a user can get wrong, each a change to one small valid set (fixtures.ts): hostile XML
// (an external entity, a billion laughs, nesting without end), missing fields, lists and images. The model
// detects VOC's 20 classes.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Outcome, RobustCase } from '../types.ts';
import { evalCase } from './case.ts';
import { fifo, VOC_CLASS_COUNT, vocAnnotation, vocObject, vocSet, write } from './fixtures.ts';

const voc = (name: string, expect: 'ok' | 'fail', change: (root: string) => void, o: { subprocess?: boolean; verify?: (dir: string, o: Outcome) => string | undefined } = {}): RobustCase =>
  evalCase(`voc: ${name}`, expect, (dir) => { const root = vocSet(dir); change(root); return root; }, { classes: VOC_CLASS_COUNT, ...o });
/** Annotations/a.xml replaced by `xml`. */
const xml = (name: string, content: string, verify?: (dir: string, o: Outcome) => string | undefined): RobustCase =>
  voc(name, 'fail', (root) => { write(join(root, 'Annotations', 'a.xml'), content); }, { verify });
const object = (inner: string) => vocAnnotation('a.jpg', [32, 32], [`<object>${inner}</object>`]);

/** Nothing of /etc/passwd may show: an entity that named it was read. */
const readNoFile = (_: string, o: Outcome) => (/root:.*:0:0:/.test(o.out + o.err) ? 'the external entity was read' : undefined);
const xxe = `<?xml version="1.0"?>\n<!DOCTYPE annotation [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<annotation><filename>a.jpg</filename><size><width>32</width><height>32</height></size><object><name>&x;</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>9</xmax><ymax>9</ymax></bndbox></object></annotation>\n`;
const laughs = `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]>\n<annotation><filename>&lol9;</filename></annotation>\n`;

export const vocCases: RobustCase[] = [
  voc('a valid set', 'ok', () => {}),
  xml('an external entity (XXE) naming /etc/passwd', xxe, readNoFile),
  xml('a billion laughs', laughs),
  xml('malformed XML', '<annotation><filename>a.jpg</filename>\n<object></annotation>\n'),
  xml('nesting 100000 deep', `<annotation>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</annotation>`),
  xml('no <annotation>', '<notes>nothing here</notes>\n'),
  xml('an object without a name', object('<bndbox><xmin>1</xmin><ymin>1</ymin><xmax>9</xmax><ymax>9</ymax></bndbox>')),
  xml('an unknown class', vocAnnotation('a.jpg', [32, 32], [vocObject('kitten', [1, 1, 9, 9])])),
  xml('an object with two names', object('<name>cat</name><name>dog</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>9</xmax><ymax>9</ymax></bndbox>')),
  xml('an object without <bndbox>', object('<name>cat</name>')),
  xml('a box without xmax', object('<name>cat</name><bndbox><xmin>1</xmin><ymin>1</ymin><ymax>9</ymax></bndbox>')),
  xml('a non-numeric ymin', vocAnnotation('a.jpg', [32, 32], [vocObject('cat', [1, NaN, 9, 9])])),
  xml('a hex coordinate', object('<name>cat</name><bndbox><xmin>0x1</xmin><ymin>1</ymin><xmax>9</xmax><ymax>9</ymax></bndbox>')),
  xml('an empty box (xmax before xmin)', vocAnnotation('a.jpg', [32, 32], [vocObject('cat', [9, 1, 3, 9])])),
  xml('a box outside the image', vocAnnotation('a.jpg', [32, 32], [vocObject('cat', [20, 20, 60, 30])])),
  xml('<size> 10x10 for a 32x32 image', vocAnnotation('a.jpg', [10, 10], [])),
  xml('<size> not numbers', vocAnnotation('a.jpg', [NaN, 32], [])),
  xml('<filename> holding elements', '<annotation><filename><b>a.jpg</b></filename></annotation>\n'),
  voc('an image missing', 'fail', (root) => { rmSync(join(root, 'JPEGImages', 'a.jpg')); }),
  voc('an annotation missing', 'fail', (root) => { rmSync(join(root, 'Annotations', 'b.xml')); }),
  voc('an annotation that is a folder', 'fail', (root) => { rmSync(join(root, 'Annotations', 'a.xml')); mkdirSync(join(root, 'Annotations', 'a.xml')); }),
  voc('an image that is not one', 'fail', (root) => { writeFileSync(join(root, 'JPEGImages', 'a.jpg'), 'JFIF? no.\n'); }),
  voc('no val list', 'fail', (root) => { rmSync(join(root, 'ImageSets', 'Main', 'val.txt')); }),
  voc('an id listed twice', 'fail', (root) => { write(join(root, 'ImageSets', 'Main', 'val.txt'), 'a\nb\na\n'); }),
  voc('an empty val list', 'fail', (root) => { write(join(root, 'ImageSets', 'Main', 'val.txt'), '\n'); }),
  voc('zero annotations (no objects)', 'fail', (root) => {
    write(join(root, 'Annotations', 'a.xml'), vocAnnotation('a.jpg', [32, 32], []));
    write(join(root, 'Annotations', 'b.xml'), vocAnnotation('b.png', [48, 32], []));
  }),
  voc('a FIFO as the val list', 'fail', (root) => { rmSync(join(root, 'ImageSets', 'Main', 'val.txt')); fifo(join(root, 'ImageSets', 'Main', 'val.txt')); }, { subprocess: true }),
  voc('a FIFO as an annotation', 'fail', (root) => { rmSync(join(root, 'Annotations', 'a.xml')); fifo(join(root, 'Annotations', 'a.xml')); }, { subprocess: true }),
];
