// Diagnostics as text (`PATH:LINE:COL: SEVERITY CODE: MESSAGE`), with carets under the code (golden tests,
// `--format pretty`), as JSON, and as SARIF 2.1.0 for code-scanning tools.
import type { Diagnostic } from './diagnostic.ts';
import { CODES } from './codes.ts';

export const VERSION = '0.1.0';

export function line(d: Diagnostic, path: string): string {
  return `${d.file ?? path}:${d.range.start.line}:${d.range.start.col}: ${d.severity} ${d.code}: ${d.message}`;
}

/** The diagnostic, the source line it is on, and carets under its range (one line of it). */
export function withCarets(d: Diagnostic, text: string): string {
  const head = `${d.range.start.line}:${d.range.start.col}: ${d.severity} ${d.code}: ${d.message}`;
  if (d.file) return `${head}  (in ${d.file})`;
  const src = text.split('\n')[d.range.start.line - 1];
  if (src === undefined) return head;
  const shown = src.length > 160 ? `${src.slice(0, 160)}…` : src;
  const startCol = Math.min(d.range.start.col, shown.length + 1);
  const endCol = d.range.end.line === d.range.start.line ? d.range.end.col : src.length + 1;
  const width = Math.max(1, Math.min(endCol, shown.length + 1) - startCol);
  return `${head}\n  ${shown.replace(/\t/g, ' ')}\n  ${' '.repeat(startCol - 1)}${'^'.repeat(width)}`;
}

export function toJson(ds: readonly Diagnostic[], path: string): object[] {
  return ds.map((d) => ({
    file: d.file ?? path,
    line: d.range.start.line, col: d.range.start.col, endLine: d.range.end.line, endCol: d.range.end.col,
    severity: d.severity, code: d.code, message: d.message,
    ...(d.fix ? { fix: d.fix.text } : {}),
  }));
}

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

export function toSarif(files: { path: string; diagnostics: readonly Diagnostic[] }[]): object {
  const results = files.flatMap(({ path, diagnostics }) => diagnostics.map((d) => ({
    ruleId: d.code,
    level: LEVEL[d.severity],
    message: { text: d.message },
    locations: [{
      physicalLocation: {
        artifactLocation: { uri: (d.file ?? path).replaceAll('\\', '/') },
        region: { startLine: d.range.start.line, startColumn: d.range.start.col, endLine: d.range.end.line, endColumn: d.range.end.col },
      },
    }],
    ...(d.fix ? {
      fixes: [{
        description: { text: `replace with '${d.fix.text}'` },
        artifactChanges: [{
          artifactLocation: { uri: (d.file ?? path).replaceAll('\\', '/') },
          replacements: [{
            deletedRegion: { startLine: d.fix.range.start.line, startColumn: d.fix.range.start.col, endLine: d.fix.range.end.line, endColumn: d.fix.range.end.col },
            insertedContent: { text: d.fix.text },
          }],
        }],
      }],
    } : {}),
  })));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'lithe', version: VERSION, informationUri: 'https://lithe.dev',
          rules: CODES.map((c) => ({ id: c.code, shortDescription: { text: c.title }, defaultConfiguration: { level: LEVEL[c.severity] } })),
        },
      },
      results,
    }],
  };
}
