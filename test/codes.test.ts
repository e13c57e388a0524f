// Diagnostic codes are documented, stable, and each example triggers its code and nothing else (but the codes
// its entry says it cannot help triggering too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CODES } from '../src/diagnostics/codes.ts';
import { checkText } from '../src/plan/build.ts';

test('codes are sorted and unique', () => {
  const codes = CODES.map((c) => c.code);
  assert.deepEqual(codes, [...codes].sort());
  assert.equal(new Set(codes).size, codes.length);
});

for (const c of CODES.filter((x) => x.example)) {
  test(`${c.code} (${c.title}): its example triggers it, with its severity`, () => {
    const ds = checkText('recipes/example.cmp', c.example).diagnostics;
    const mine = ds.filter((d) => !c.also?.includes(d.code));
    assert.deepEqual(mine.map((d) => `${d.code} ${d.severity}`), [`${c.code} ${c.severity}`], JSON.stringify(ds.map((d) => d.message)));
    assert.deepEqual([...new Set(ds.map((d) => d.code))].filter((x) => x !== c.code).sort(), [...c.also ?? []].sort(), 'the codes it also triggers');
  });
}

for (const c of CODES.filter((x) => x.large)) {
  test(`${c.code} (${c.title}): its large example (${c.large!.describe}) triggers it alone`, () => {
    const ds = checkText('recipes/example.cmp', c.large!.make()).diagnostics;
    assert.deepEqual(ds.map((d) => `${d.code} ${d.severity}`), [`${c.code} ${c.severity}`], JSON.stringify(ds.map((d) => d.message)));
  });
}

test('every code without an example says where it is shown', () => {
  for (const c of CODES.filter((x) => !x.example && !x.large)) assert.ok(c.note || ['CMP0005', 'CMP3006', 'CMP3009', 'CMP4008'].includes(c.code), c.code);
});

test('every code the source reports is in the catalogue', () => {
  const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
  const known = new Set(CODES.map((c) => c.code));
  for (const f of files('src')) {
    for (const m of readFileSync(f, 'utf8').matchAll(/'(CMP\d{4})'/g)) assert.ok(known.has(m[1]!), `${f} uses undocumented ${m[1]}`);
  }
});
