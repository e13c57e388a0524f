// Zoo models defined by a darknet .cfg in the repository's zoo/ folder; their default size is the cfg's
// [net] width, which the importer also takes when no size is given.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Opts, parseCfg } from '../darknet/cfg.ts';
import { importDarknet } from '../darknet/import.ts';
import type { ZooModel } from './types.ts';

export function darknetModel(name: string, summary: string): ZooModel {
  const file = `zoo/${name}.cfg`;
  const cfg = () => parseCfg(readFileSync(fileURLToPath(new URL(`../../${file}`, import.meta.url)), 'utf8'), file);
  return {
    name, summary, profile: name, defaultSize: new Opts(cfg().net, file).int('width', 416), stride: 32,
    build: (opts) => importDarknet(cfg(), file, opts),
  };
}
