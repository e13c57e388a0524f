// Zoo models defined by a darknet .cfg in the repository's zoo/ folder.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCfg } from '../darknet/cfg.ts';
import { importDarknet } from '../darknet/import.ts';
import type { ZooModel } from './types.ts';

export function darknetModel(name: string, summary: string): ZooModel {
  const path = fileURLToPath(new URL(`../../zoo/${name}.cfg`, import.meta.url));
  return {
    name, summary, profile: name, defaultSize: 416, stride: 32,
    build: (opts) => importDarknet(parseCfg(readFileSync(path, 'utf8'), `zoo/${name}.cfg`), `zoo/${name}.cfg`, opts),
  };
}
