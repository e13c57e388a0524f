// The loader hook behind module-log.mjs (hooks run on their own thread, hence a file and not a message).
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.LITHE_MODULE_LOG, `${r.url}\n`);
  return r;
}
