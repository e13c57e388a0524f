// Per-document analysis, cached across edits and across `use`d files (Langium's split: parse, then link and
// validate). The Workspace holds the editor's open buffers over the file system: a `use`d file that is open is
// read from its buffer. Parses are cached by text, so an edit reparses only the edited file; a whole check is
// reused while the text, the options and every file it read are unchanged.
import { resolve } from 'node:path';
import { checkText, type CheckResult } from '../plan/build.ts';
import { parse, type Parsed } from '../lang/parse.ts';
import { fsHost, isYamlPath, type FileHost, type ReadResult } from '../plan/sources.ts';
import type { ServiceOptions } from './types.ts';

export interface Analysis {
  /** The absolute path of the document. */
  file: string;
  text: string;
  yaml: boolean;
  /** The .cmp parse (undefined for YAML). */
  parsed?: Parsed;
  /** The checker's result: the same diagnostics as `lithe check`. */
  result: CheckResult;
  /** Every file the check read, with what it read: the cache entry holds while they read the same. */
  reads: Map<string, ReadResult>;
  options: string;
}

/** Texts parsed recently, by text: a used file, unchanged across edits of the recipe, is parsed once. Bounded
 *  in count and in characters: the parse of a 1 MiB recipe takes hundreds of MiB. */
const PARSE_CACHE = 64;
const PARSE_CACHE_CHARS = 2 * 2 ** 20;

export class Workspace {
  private readonly buffers = new Map<string, string>();
  private readonly analyses = new Map<string, Analysis>();
  private readonly parses = new Map<string, Parsed>();
  private parsedChars = 0;
  /** The file system with the open buffers over it. */
  readonly host: FileHost;

  constructor(base: FileHost = fsHost) {
    this.host = {
      ...base,
      read: (p) => this.buffers.get(p) ?? base.read(p),
      real: (p) => (this.buffers.has(p) ? base.real(p) ?? p : base.real(p)),
    };
  }

  /** An editor opened or changed a document. */
  open(file: string, text: string): void { this.buffers.set(resolve(file), text); }

  close(file: string): void {
    this.buffers.delete(resolve(file));
    this.analyses.delete(resolve(file));
  }

  /** The open documents whose last analysis read `file` (to be checked again when it changes). */
  dependents(file: string): string[] {
    const abs = resolve(file);
    return [...this.analyses.values()].filter((a) => a.file !== abs && a.reads.has(abs)).map((a) => a.file);
  }

  /** The text of an open document, else of the file. */
  text(file: string): string | undefined {
    const r = this.host.read(resolve(file));
    return typeof r === 'string' ? r : undefined;
  }

  hasParse(text: string): boolean { return this.parses.has(text); }

  parse(text: string): Parsed {
    const hit = this.parses.get(text);
    if (hit) {
      // Most recently used last, so the oldest is the one dropped.
      this.parses.delete(text);
      this.parses.set(text, hit);
      return hit;
    }
    const parsed = parse(text);
    this.parses.set(text, parsed);
    this.parsedChars += text.length;
    while (this.parses.size > 1 && (this.parses.size > PARSE_CACHE || this.parsedChars > PARSE_CACHE_CHARS)) {
      const oldest = this.parses.keys().next().value!;
      this.parses.delete(oldest);
      this.parsedChars -= oldest.length;
    }
    return parsed;
  }

  /** The analysis of `file` with this text (by default its buffer or its file). */
  analyze(file: string, text = this.text(file) ?? '', opts: ServiceOptions = {}): Analysis {
    const abs = resolve(file);
    const options = JSON.stringify(opts);
    const cached = this.analyses.get(abs);
    if (cached && cached.text === text && cached.options === options && this.unchanged(cached)) return cached;
    const reads = new Map<string, ReadResult>();
    const host: FileHost = { ...this.host, read: (p) => { const r = this.host.read(p); reads.set(p, r); return r; } };
    const yaml = isYamlPath(abs);
    const parsed = yaml ? undefined : this.parse(text);
    const result = checkText(file, text, { ...opts, host, parse: (t) => (t === text && parsed ? parsed : this.parse(t)) });
    const analysis: Analysis = { file: abs, text, yaml, parsed, result, reads, options };
    this.analyses.set(abs, analysis);
    return analysis;
  }

  /** The last analysis of a document, whatever its text was then (completion on a text one edit newer). */
  last(file: string): Analysis | undefined { return this.analyses.get(resolve(file)); }

  private unchanged(a: Analysis): boolean {
    for (const [p, was] of a.reads) {
      const now = this.host.read(p);
      if (typeof now === 'string' ? now !== was : typeof was === 'string' || was.problem !== now.problem) return false;
    }
    return true;
  }
}
