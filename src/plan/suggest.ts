// "Did you mean": the nearest known word by edit distance, if it is near enough to be a typo.

/** Optimal-string-alignment distance: Levenshtein plus a swap of two neighbours as one edit (`qta` → `qat`). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * Table cells of edit distance one check may spend on suggestions. A real recipe needs thousands; a recipe of
 * 5,000 scopes and 5,000 steps naming undeclared ones would need billions (minutes). Past the budget, words
 * get no "did you mean", and the check stays linear. Set around a whole check (withSuggestionBudget).
 */
export const SUGGESTION_CELLS = 20_000_000;
let budget = Infinity;

export function withSuggestionBudget<T>(cells: number, f: () => T): T {
  const saved = budget;
  budget = cells;
  try { return f(); } finally { budget = saved; }
}

export function nearest(word: string, known: Iterable<string>): string | undefined {
  if (word.length > 64) return undefined; // no typo is that long, and the table would be large
  // One edit for words of up to four letters; a third of the word for longer ones.
  const limit = Math.max(1, Math.floor(word.length / 3));
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    // Words whose lengths differ by more than the limit are farther than it: no need to measure them.
    if (Math.abs(k.length - w.length) > limit || k.length > 64) continue;
    budget -= (w.length + 1) * (k.length + 1);
    if (budget < 0) return undefined;
    const d = editDistance(w, k.toLowerCase());
    if (d < bestD) { best = k; bestD = d; }
  }
  return best !== undefined && bestD <= limit ? best : undefined;
}

/** `unknown criterion 'entropi'; did you mean 'entropy'?`, or the known list when nothing is near. */
export function unknownMessage(what: string, word: string, known: readonly string[]): { message: string; suggestion?: string } {
  const suggestion = nearest(word, known);
  const tail = suggestion ? `did you mean '${suggestion}'?` : `expected one of: ${known.join(', ')}`;
  return { message: `unknown ${what} '${word}'; ${tail}`, suggestion };
}
