// Where a worker thread starts. Compiled (dist/*.js), the worker's own module runs as it is; from the
// TypeScript sources, a small JavaScript entry in bin/ registers tsx first, since workers do not inherit it.

/**
 * `from` is the caller's import.meta.url; `module` the worker's module relative to it, spelled `.ts`;
 * `tsEntry` the bin/ entry (relative to the caller) that loads that module through tsx.
 */
export function workerEntry(from: string, module: string, tsEntry: string): URL {
  return from.endsWith('.ts') ? new URL(tsEntry, from) : new URL(module.replace(/\.ts$/, '.js'), from);
}
