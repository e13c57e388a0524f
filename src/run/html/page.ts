// report.html: the run's report as one self-contained page (no network, no files beside it): the before/after
// table, how latency was measured, and the charts of charts/, each drawn as inline SVG or replaced by the
// reason it cannot be. A few lines of script link the charts (hovering a model's point marks it in every
// chart) and say on <body> that the page ran (data-ready, data-marks), which the browser test reads.
import { busyNote, giga, methodLine, mib, millions, ratio, type Report } from '../report.ts';
import { LATENCY_THREADS } from '../measure.ts';
import { CHARTS } from './charts/index.ts';
import { esc } from './svg.ts';
import { rows } from './data.ts';

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1320px;color:#1d2330;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 2px}p.about{color:#555;margin:0 0 8px}
table{border-collapse:collapse;margin:12px 0}td,th{border-bottom:1px solid #ddd;padding:3px 10px;text-align:right;white-space:nowrap}td:first-child,th:first-child{text-align:left}
.figures{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0;flex:0 1 600px}figure:has(.wide){flex-basis:100%;overflow-x:auto}figcaption{font-size:13px;color:#444}
svg.plot{background:#fff;border:1px solid #e3e3e3;width:100%;height:auto}svg.wide{width:auto;max-width:none}.grid{stroke:#eee}.axis{stroke:#888}.tick{font-size:11px;fill:#555}.label{font-size:12px;fill:#333}
.series{fill:none;stroke-width:2;opacity:.7}.diagonal{stroke:#999;stroke-dasharray:5 4}.point-label{font-size:11px;fill:#333}
.mark.hot{stroke:#000;stroke-width:2.5}.legend span{margin-right:14px;font-size:13px}.legend i{display:inline-block;width:11px;height:11px;margin-right:5px;vertical-align:-1px}
.none{color:#7a5b00;background:#fff8e0;padding:6px 10px;border-radius:4px;display:inline-block}.method{color:#444;font-size:13px}`;

const SCRIPT = `(()=>{const b=document.body;addEventListener('error',e=>{b.dataset.errors=(+(b.dataset.errors||0)+1)+'';});
const marks=[...document.querySelectorAll('svg .mark')];
for(const m of marks){const s=m.getAttribute('data-step');if(s===null)continue;
m.addEventListener('mouseenter',()=>document.querySelectorAll('[data-step="'+s+'"]').forEach(x=>x.classList.add('hot')));
m.addEventListener('mouseleave',()=>document.querySelectorAll('.hot').forEach(x=>x.classList.remove('hot')));}
b.dataset.marks=marks.length+'';b.dataset.ready='1';})();`;

const ms = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(1));
const pts = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : (100 * x).toFixed(1));

function summary(r: Report): string {
  const head = ['model', 'params', 'MACs', 'size', 'mAP@.5:.95', 'mAP@.5', ...LATENCY_THREADS.map((t) => `ms, ${t} thread${t > 1 ? 's' : ''} (p90)`), 'CPU ms, 1 thread'];
  const body = rows(r).map((w) => {
    const m = w.m;
    const cells = [w.name, `${millions(m.params)}${ratio(m.params, r.before.params)}`, `${giga(m.macs)}${ratio(m.macs, r.before.macs)}`, `${mib(m.bytes)}${ratio(m.bytes, r.before.bytes)}`, pts(m.map), pts(m.map50),
      ...LATENCY_THREADS.map((t) => `${ms(m.latency_ms?.[t])}${m.latency_stats?.[t] ? ` (${ms(m.latency_stats[t]!.p90_ms)})` : ''}`), ms(m.latency_stats?.['1']?.cpu_ms)];
    return `<tr>${cells.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`;
  });
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

function section(c: (typeof CHARTS)[number], r: Report): string {
  const drawn = c.draw(r);
  const inner = typeof drawn === 'string' ? `<p class="none">${esc(drawn)}</p>`
    : `<div class="figures">${drawn.map((f) => `<figure>${f.svg}${f.caption ? `<figcaption>${esc(f.caption)}</figcaption>` : ''}</figure>`).join('')}</div>`;
  return `<section id="${c.id}"><h2>${esc(c.title)}</h2><p class="about">${esc(c.about)}</p>${inner}</section>`;
}

export function reportHtml(r: Report): string {
  const title = `lithe run: ${r.recipe ?? 'recipe'}`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`
    + `<title>${esc(title)}</title><style>${STYLE}</style></head><body>`
    + `<h1>${esc(title)}</h1><p>Model: ${esc(r.model ?? '—')}. mAP in points on the val split; latency is the median at batch 1 in onnxruntime on the machine that ran it. report.md and report.json beside this page hold every figure and each step's details.</p>`
    + summary(r) + (r.latency_method ? `<p class="method">${esc(methodLine(r.latency_method))}</p>` : '')
    + (busyNote(r) ? `<p class="none">${esc(busyNote(r)!.replace(/`/g, ''))}</p>` : '')
    + CHARTS.map((c) => section(c, r)).join('') + `<script>${SCRIPT}</script></body></html>\n`;
}
