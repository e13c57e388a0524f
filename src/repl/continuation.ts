// When a line typed at the REPL is not a whole statement yet: it ends with `,` or `+` (a list or a sum goes
// on), or a `(` or `[` is still open. Strings and comments do not count.

/** Whether `text` (the lines so far) needs another line before it can be checked. */
export function needsMore(text: string): boolean {
  let depth = 0;
  let last = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) return false;  // an unterminated string: the checker says so
      i = end;
      last = c;
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      i = nl - 1;
    } else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (!/\s/.test(c)) last = c;
  }
  return depth > 0 || last === ',' || last === '+';
}
