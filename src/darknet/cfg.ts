// Darknet .cfg files: `[section]` headers and `key=value` lines, `#` and `;` comments. Each section after
// [net] is one layer, numbered from 0 (darknet's own numbering, which routes and the stdlib profiles use).
import { LitheError } from '../errors.ts';
export interface Section { type: string; line: number; options: Map<string, string> }
export interface Cfg { net: Section; layers: Section[] }

export class CfgError extends LitheError {
  override name = 'CfgError';
}

export function parseCfg(text: string, file: string): Cfg {
  const sections: Section[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (!line) return;
    const header = /^\[([a-z_][a-z0-9_]*)\]$/i.exec(line);
    if (header) return void sections.push({ type: header[1]!.toLowerCase(), line: i + 1, options: new Map() });
    const kv = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!kv) throw new CfgError(`${file}:${i + 1}: expected [section] or key=value, found '${line.slice(0, 40)}'`);
    if (!sections.length) throw new CfgError(`${file}:${i + 1}: '${kv[1]}' comes before any [section]`);
    sections[sections.length - 1]!.options.set(kv[1]!, kv[2]!.trim());
  });
  const [net, ...layers] = sections;
  if (!net || (net.type !== 'net' && net.type !== 'network')) throw new CfgError(`${file}: a darknet .cfg starts with a [net] section`);
  return { net, layers };
}

/** Typed reads of a section's options, with errors naming the file, line and key. */
export class Opts {
  constructor(private readonly s: Section, private readonly file: string) {}

  private bad(key: string, v: string, want: string): never {
    throw new CfgError(`${this.file}:${this.s.line}: [${this.s.type}] ${key}=${v} is not ${want}`);
  }

  int(key: string, def?: number): number {
    const v = this.s.options.get(key);
    if (v === undefined) { if (def === undefined) throw new CfgError(`${this.file}:${this.s.line}: [${this.s.type}] needs ${key}=`); return def; }
    return /^-?\d+$/.test(v) ? Number(v) : this.bad(key, v, 'a whole number');
  }

  float(key: string, def: number): number {
    const v = this.s.options.get(key);
    return v === undefined ? def : Number.isFinite(Number(v)) ? Number(v) : this.bad(key, v, 'a number');
  }

  ints(key: string): number[] | undefined {
    const v = this.s.options.get(key);
    if (v === undefined) return undefined;
    const xs = v.split(',').map((x) => x.trim()).filter(Boolean);
    return xs.every((x) => /^-?\d+$/.test(x)) ? xs.map(Number) : this.bad(key, v, 'a list of whole numbers');
  }

  floats(key: string): number[] | undefined {
    const v = this.s.options.get(key);
    if (v === undefined) return undefined;
    const xs = v.split(',').map((x) => x.trim()).filter(Boolean);
    return xs.every((x) => x !== '' && Number.isFinite(Number(x))) ? xs.map(Number) : this.bad(key, v, 'a list of numbers');
  }

  string(key: string, def: string): string { return this.s.options.get(key) ?? def; }

  /** Refuses options that change what the layer computes in ways lithe does not import (e.g. dilation). */
  only(defaults: Record<string, string>): void {
    for (const [key, ok] of Object.entries(defaults)) {
      const v = this.s.options.get(key);
      if (v !== undefined && v !== ok) throw new CfgError(`${this.file}:${this.s.line}: [${this.s.type}] ${key}=${v} is not supported (lithe imports ${key}=${ok})`);
    }
  }
}
