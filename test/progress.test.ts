// Progress of long steps: without a terminal a plain line every few seconds (a pipe never goes quiet for an
// epoch); in a terminal one status line redrawn, cleared before any other line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressLine } from '../src/util/progress.ts';

test('without a terminal: the first update at once, then at most one line per interval', () => {
  const out: string[] = [];
  const p = progressLine((t) => out.push(t), false, 3600);
  p.update('step 1/9');
  p.update('step 2/9');
  p.clear();
  assert.deepEqual(out, ['step 1/9\n']);
  const every: string[] = [];
  const q = progressLine((t) => every.push(t), false, 0);
  q.update('a'); q.update('b');
  assert.deepEqual(every, ['a\n', 'b\n']);
});

test('in a terminal: one line redrawn in place, cleared before other output', () => {
  const out: string[] = [];
  const p = progressLine((t) => out.push(t), true, 3600);
  p.update('step 1/9');
  p.update('step 2/9');
  p.clear();
  p.clear();
  assert.deepEqual(out, ['\r\x1b[Kstep 1/9', '\r\x1b[Kstep 2/9', '\r\x1b[K']);
});
