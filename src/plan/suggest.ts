// "Did you mean": the nearest known word by edit distance, if it is near enough to be a typo.
import { distance } from 'fastest-levenshtein';

export function nearest(word: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(word.toLowerCase(), k.toLowerCase());
    if (d < bestD) { best = k; bestD = d; }
  }
  // Up to one edit for short words, up to a third of the word for longer ones.
  return best !== undefined && bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

/** `unknown criterion 'entropi' (did you mean 'entropy'?)`, or the known list when nothing is near. */
export function unknownMessage(what: string, word: string, known: readonly string[]): { message: string; suggestion?: string } {
  const suggestion = nearest(word, known);
  const tail = suggestion ? `did you mean '${suggestion}'?` : `expected one of: ${known.join(', ')}`;
  return { message: `unknown ${what} '${word}'; ${tail}`, suggestion };
}
