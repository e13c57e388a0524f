// Absurd numbers in every option, declaration and `set`: each a CMP2003 (or CMP2005 for `input`) at
// `lithe check` that states the limit, not a run of 1e26 epochs or a prune that keeps everything. A
// recipe at every bound is fine.
import type { RobustCase } from '../types.ts';
import { recipeCase } from './case.ts';

const ABSURD: Record<string, string> = {
  'finetune epochs': 'finetune epochs 99999999999999999999999999',
  'finetune epochs 1e999': 'finetune epochs 1e999',
  'finetune lr': 'finetune epochs 1 lr 1e308',
  'finetune batch': 'finetune epochs 1 batch 1e12',
  'prune round': 'prune backbone l1 0.5 round 1e308',
  'prune min': 'prune backbone l1 0.5 min 1e9',
  'prune params': 'prune backbone l1 params 1e9x',
  'prune finetune epochs': 'prune backbone l1 0.5 finetune epochs 1e9',
  'prune amount': 'prune backbone l1 1e308',
  'prune step': 'prune backbone l1 0.5 step 5 until map drop 0.5%',
  'distill epochs': 'distill from teacher with cls epochs 1e9',
  'distill lr': 'distill from teacher with cls lr 1e9',
  'distill temperature': 'distill from teacher with cls temperature 1e300',
  'distill weight': 'distill from teacher with cls weight cls 1e300',
  'quantize calib': 'quantize int8 calib 1e12',
  'quantize percentile': 'quantize int8 method percentile 1e9',
  'quantize qat epochs': 'quantize int8 qat epochs 1e9',
  'replace expand': 'replace backbone conv with mbconv expand 1e9',
  'replace se': 'replace backbone conv with mbconv se 1e9',
  'replace kernel': `replace backbone conv with dsconv kernel ${Array(5000).fill(3).join(', ')}`,
  'set epochs': 'set epochs 1e15', 'set lr': 'set lr 1e9', 'set batch': 'set batch 1e9', 'set calib': 'set calib 1e9',
  'set imgsz': 'set imgsz 1e6', 'set seed': 'set seed 1e15', 'set workers': 'set workers 1e6',
  'data seed': 'data synth seed 1e15', 'data images': 'data synth images 1e12', 'data calib': 'data synth calib 1e12',
  input: 'input 100000x100000',
};

const YAML_ABSURD: Record<string, string> = {
  'finetune epochs': 'finetune: {epochs: 1e26}',
  'finetune lr': 'finetune: {epochs: 1, lr: .inf}',
  'prune round': 'prune: {scope: backbone, criterion: l1, amount: 0.5, round: 1e308}',
  'prune criteria': `prune: {scope: backbone, criterion: [${Array(10_000).fill('l1').join(', ')}], amount: 0.5}`,
  'distill losses': `distill: {from: teacher, losses: [${Array(10_000).fill('cls').join(', ')}]}`,
  'quantize calib': 'quantize: {precision: int8, calib: 1e12}',
  'replace kernel': `replace: {scope: backbone, block: dsconv, kernel: [${Array(5000).fill(3).join(', ')}]}`,
  'eval metrics': `eval: {metrics: [${Array(1000).fill('map').join(', ')}]}`,
};

// The first line declares data, so steps that train are checked for their values, not for data.
const lines = (text: string): string => (text.startsWith('data ') ? `${text}\n` : `data synth\n${text}\n`);

export const valueCases: RobustCase[] = [
  ...Object.entries(ABSURD).map(([what, text]) => recipeCase(`absurd ${what}`, 'fail', { 'r.cmp': lines(text) }, { says: / CMP200[1-5]: / })),
  ...Object.entries(YAML_ABSURD).map(([what, step]) => recipeCase(`YAML: absurd ${what}`, 'fail', { 'r.yaml': `data: {format: synth}\nsteps:\n  - ${step}\n` }, { says: / CMP200[1-7]: / })),
  recipeCase('every number at its bound', 'ok', {
    'r.cmp': 'data synth seed 4294967295 images 100000 calib 100000\ninput 8192\nset lr 10\nset batch 4096\nset workers 256\nset epochs 10000\n'
      + 'prune backbone l1+l2+bn+entropy+similarity+fpgm+dynamic+taylor+random 0.5 round 1024 min 65536 finetune epochs 10000\n'
      + 'distill from teacher with cls+feat+attn+reg+corr temperature 100 weight cls 1000\nfinetune epochs 10000 lr 10 batch 4096\n'
      + 'replace backbone conv with mbconv expand 32 se 1\nquantize int8 calib 100000 method percentile 100\n',
  }),
];
