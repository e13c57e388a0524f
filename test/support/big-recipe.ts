// A long recipe for timing the language service (bench:lsp and a bound in lsp.test.ts): `lines` lines of
// scopes and steps, with `$1` (completion: a criterion) and `$2` (hover: a scope) in the middle.
export function bigRecipe(lines: number): string {
  const out = ['model  zoo:yolov3-tiny', 'data   synth', 'target x86'];
  for (let i = 0; out.length < lines - 2; i++) {
    out.push(`scope s${i} = "layers.0${i % 10}*", op Conv except scope head`, `# step ${i}`, `prune s${i} l1+bn 0.5 round 8 keep "layers.01*"`, `set lr 0.0${(i % 9) + 1}`);
    if (out.length > lines / 2 && !out.some((l) => l.includes('$1'))) out.push('prune backbone $1', 'prune $2s1 l1 0.5');
  }
  return `${out.join('\n')}\n`;
}
