// lithe info MODEL [--json] [--profile NAME] [--size N|HxW]: parameters, MACs, FLOPs and bytes of an ONNX
// model, in total, per scope (of its stdlib profile, or inferred from the graph), per op type and for the
// heaviest nodes, and its detection head (declared in its metadata or recognised in the graph) — of the model
// as a run prepares it (weights in Constant nodes counted, shape arithmetic folded, --size fixing a symbolic
// input size so that MACs can be counted); what preparation changed is listed.
import { defaultOpset, MIN_OPSET } from '../../onnx/io.ts';
import { Graph } from '../../onnx/graph.ts';
import { modelStats, sumStats, type ModelStats, type NodeStats } from '../../onnx/stats.ts';
import { getMetadata } from '../../onnx/make.ts';
import { select } from '../../onnx/select.ts';
import { checkText } from '../../plan/build.ts';
import { stdlibNames } from '../../plan/sources.ts';
import { unknownMessage } from '../../plan/suggest.ts';
import { EXIT, UsageError, type Io } from '../io.ts';
import { LitheError } from '../../errors.ts';
import { headFor, type Head } from '../../metrics/decode/head.ts';
import { headText, noHeadMessage } from '../../metrics/decode/describe.ts';
import { inferScopes } from '../../run/infer-scopes.ts';
import type { ModelProto } from 'onnx-buf';
import { sizeFlag } from '../flags.ts';
import { loadPrepared } from './load-prepared.ts';

const n = (x: number): string => x.toLocaleString('en-US');
const g9 = (x: number): string => `${(x / 1e9).toFixed(3)} G`;
const mb = (x: number): string => `${(x / 2 ** 20).toFixed(2)} MiB`;

type ScopeStats = Record<string, ReturnType<typeof sumStats>>;

/** Statistics per scope: of the model's stdlib profile (`--profile`, or the one a zoo model records), or of
 *  the scopes inferred from the graph when it has none (run/infer-scopes.ts). */
function scopeStats(g: Graph, s: ModelStats, profile: string | undefined, model: ModelProto): { from: string; scopes: ScopeStats } {
  const byName = new Map(s.nodes.map((n) => [n.name, n]));
  const sum = (names: Iterable<string>) => sumStats([...names].map((n) => byName.get(n)!).filter(Boolean));
  if (!profile) {
    const inferred = inferScopes(model);
    const scopes: ScopeStats = {};
    for (const k of ['backbone', 'neck', 'head'] as const) scopes[k] = sum(inferred[k].map((n) => n.name));
    return { from: `inferred from the graph (no stdlib profile${inferred.join ? `; the neck starts at '${inferred.join.name}'` : '; no scale join, so no neck'})`, scopes };
  }
  if (!stdlibNames().includes(profile)) throw new UsageError(unknownMessage('stdlib profile', profile, stdlibNames()).message);
  const { plan } = checkText(`stdlib/${profile}.cmp`, `use stdlib ${profile}\n`, {});
  const out: ScopeStats = {};
  for (const [name, def] of Object.entries(plan!.scopes)) {
    if ('inferred' in def || name === 'all') continue;
    out[name] = sum([...select(def.selector, g, plan!.scopes)].map((n) => n.name));
  }
  return { from: `stdlib/${profile}.cmp`, scopes: out };
}

/** The head line: what headFor finds, or why nothing (a corrupt description is shown, not fatal here). */
function headInfo(model: ModelProto): { text: string; head?: Head } {
  try {
    const head = headFor(model);
    return head ? { text: headText(head, model), head } : { text: `none recognised: ${noHeadMessage(model).replace(/^no detection head recognised in [^:]*: /, '')}` };
  } catch (e) {
    if (e instanceof LitheError) return { text: e.message };
    throw e;
  }
}

export function runInfo(file: string, flags: { json: boolean; top: number; profile?: string; size?: string }, io: Io): number {
  const { model, notes, opset: fileOpset } = loadPrepared(file, sizeFlag(flags.size), false);
  const opset = defaultOpset(model) ?? MIN_OPSET;
  const g = Graph.fromModel(model);
  const s = modelStats(g, opset);
  const { from, scopes } = scopeStats(g, s, flags.profile ?? getMetadata(model, 'lithe.profile'), model);
  const head = headInfo(model);
  if (flags.json) {
    io.out(`${JSON.stringify({ file, opset: fileOpset ?? opset, irVersion: Number(model.irVersion), prepared: notes, ...s, head: { text: head.text, ...(head.head ? { description: head.head } : {}) }, scopes, scopesFrom: from }, null, 2)}\n`);
    return EXIT.ok;
  }
  const rows: string[][] = [
    ['model', file], ['ONNX', `IR ${model.irVersion}, opset ${fileOpset ?? opset}, ${s.nodes.length} nodes${notes.length ? ' after preparation' : ''}`],
    ...notes.map((line, k) => [k ? '' : 'prepared', line]),
    ['params', `${n(s.params)} (trainable ${n(s.trainable)})`], ['MACs', `${g9(s.macs)}${partly(s)}`], ['FLOPs', `${g9(s.flops)} (2 x MACs, as darknet counts)`],
    ['weights', mb(s.weightBytes)], ['activations', `${mb(s.activationBytes)} at batch 1`], ['head', head.text], ['scopes', from],
    ...(s.unfollowed.length ? [['shapes', `unknown after ${s.unfollowed.map((u) => `node '${u.node}' (${u.op})`).slice(0, 3).join(', ')}${s.unfollowed.length > 3 ? `, ...` : ''}: lithe has no shape rule for ${s.unfollowed.length > 1 ? 'these ops' : 'that op'}`]] : []),
  ];
  io.out(`${rows.map(([k, v]) => `${k!.padEnd(12)}${v}`).join('\n')}\n\n`);
  io.out(`${table(['scope', 'nodes', 'params', 'MACs'], Object.entries(scopes).map(([k, v]) => [k, String(v.nodes), n(v.params), g9(v.macs)]))}\n`);
  io.out(table(['op', 'nodes', 'params', 'MACs'], byOp(s.nodes)));
  const top = [...s.nodes].sort((a, b) => b.macs - a.macs).slice(0, flags.top).filter((x) => x.macs > 0);
  if (top.length) io.out(`\n${table(['node', 'op', 'params', 'MACs'], top.map((x) => [x.name, x.op, n(x.params), g9(x.macs)]))}`);
  return EXIT.ok;
}

/** What the MACs leave out: nodes whose shapes shape inference could not follow, said rather than counted as 0. */
function partly(s: ModelStats): string {
  if (!s.uncounted.length) return '';
  const why = s.unfollowed.length ? 'their shapes are unknown (see shapes)' : 'their shapes are unknown: the input has no fixed size (--size fixes it)';
  return ` + ${s.uncounted.length} node${s.uncounted.length === 1 ? '' : 's'} not counted, from '${s.uncounted[0]}': ${why}`;
}

function byOp(nodes: NodeStats[]): string[][] {
  const acc = new Map<string, { count: number; params: number; macs: number }>();
  for (const x of nodes) {
    const a = acc.get(x.op) ?? { count: 0, params: 0, macs: 0 };
    acc.set(x.op, { count: a.count + 1, params: a.params + x.params, macs: a.macs + x.macs });
  }
  return [...acc.entries()].sort((a, b) => b[1].macs - a[1].macs || b[1].params - a[1].params)
    .map(([op, a]) => [op, String(a.count), n(a.params), g9(a.macs)]);
}

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return `${[line(head), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line)].join('\n')}\n`;
}
