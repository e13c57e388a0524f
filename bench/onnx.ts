// `npm run bench:onnx`: load, stats and save of the 62 M-parameter yolov3 (targets: under 3 s together, peak
// memory under 3 x the file size). The model is built once into a temporary file; the measurement runs in a
// fresh process, so building it does not count towards the peak. Prints a Markdown table; always exits 0.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { defaultOpset, MIN_OPSET, loadModel, saveModel } from '../src/onnx/io.ts';
import { Graph } from '../src/onnx/graph.ts';
import { modelStats } from '../src/onnx/stats.ts';
import { zooByName } from '../src/zoo/registry.ts';

interface Measured { load: number; graph: number; stats: number; save: number; peakRss: number; baseRss: number; params: number }

/** The peak resident set of this address space. (getrusage's maxrss would not do: Linux keeps it across
 * execve, so a child started by a big parent starts with the parent's peak.) */
function peakRss(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : process.memoryUsage().rss;
}

function measure(path: string, out: string): Measured {
  const baseRss = peakRss();
  const t0 = performance.now();
  const model = loadModel(path);
  const t1 = performance.now();
  const g = Graph.fromModel(model);
  const t2 = performance.now();
  const s = modelStats(g, defaultOpset(model) ?? MIN_OPSET);
  const t3 = performance.now();
  saveModel(g.toModel(model), out);
  const t4 = performance.now();
  return { load: t1 - t0, graph: t2 - t1, stats: t3 - t2, save: t4 - t3, peakRss: peakRss(), baseRss, params: s.params };
}

const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;
const ms = (x: number): string => `${x.toFixed(0)} ms`;

if (process.argv[2] === '--measure') {
  process.stdout.write(JSON.stringify(measure(process.argv[3]!, process.argv[4]!)));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-bench-onnx-'));
  try {
    const path = join(dir, 'yolov3.onnx');
    saveModel(zooByName.get('yolov3')!.build({}), path);
    const size = statSync(path).size;
    const self = fileURLToPath(import.meta.url);
    const m = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', self, '--measure', path, join(dir, 'out.onnx')], { encoding: 'utf8', maxBuffer: 1 << 20 })) as Measured;
    const total = m.load + m.graph + m.stats + m.save;
    const extra = m.peakRss - m.baseRss;
    console.log('# lithe ONNX benchmark\n');
    console.log(`- node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores)`);
    console.log(`- yolov3 at 416 (zoo): ${m.params.toLocaleString('en-US')} parameters, file ${mib(size)}`);
    console.log(`- peak memory is the process's maximum resident set; the baseline (node, tsx, modules) was ${mib(m.baseRss)}\n`);
    console.log('| step | time | target | verdict |');
    console.log('|---|---:|---:|---|');
    for (const [k, v] of [['load (read, decode, header checks)', m.load], ['graph (a private copy to edit)', m.graph], ['stats (shapes, params, MACs)', m.stats], ['save (encode, write, rename)', m.save]] as const) console.log(`| ${k} | ${ms(v)} | | |`);
    console.log(`| **total** | **${ms(total)}** | < 3000 ms | ${total < 3000 ? 'PASS' : 'FAIL'} |`);
    console.log(`| peak memory above the baseline | ${mib(extra)} (${(extra / size).toFixed(2)} x the file) | < 3 x the file | ${extra < 3 * size ? 'PASS' : 'FAIL'} |`);
    console.log(`| peak memory, whole process | ${mib(m.peakRss)} (${(m.peakRss / size).toFixed(2)} x the file) | | |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
