// Plots as inline SVG text, drawn here rather than by a library in the browser: the page works offline, opens
// from a file, and what it shows is decided (and tested) in lithe. Two kinds cover the report: points and
// lines on two numeric axes (with an optional y = x diagonal), and grouped bars over named categories.

export interface Point { x: number; y: number; label?: string; tip?: string; step?: number }
export interface Series { name: string; points: Point[]; line?: boolean }
export interface Axis { label: string; zero?: boolean; /** Whole-number ticks only (epochs, rounds). */ whole?: boolean }
export interface XYPlot { series: Series[]; x: Axis; y: Axis; diagonal?: boolean }
export interface BarPlot { categories: string[]; series: { name: string; values: (number | undefined)[] }[]; y: Axis }

export const PALETTE = ['#2f6db5', '#d9822b', '#3a9a5b', '#c23b3b', '#7b58b0', '#8c6d3f', '#c45ca2', '#5f6b7a'];
const WIDTH = 640;
/** Room per category of a bar plot: a plot of many layers grows wider (and scrolls) rather than overlap its labels. */
const PER_CATEGORY = 18;
const PAD = { left: 64, right: 16, top: 16, bottom: 52 };
/** Plot heights: turned category labels need room below the axis. */
const HEIGHT = { plain: 360, turned: 440 };

export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (v: number): string => (Math.abs(v) >= 100 || Number.isInteger(v) ? v.toFixed(0) : Number(v.toPrecision(3)).toString());

/** About `n` round tick values covering [lo, hi] (steps of 1, 2 or 5 times a power of ten). */
export function ticks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) [lo, hi] = [lo - 1, hi + 1];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.floor(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  if (out.at(-1)! < hi) out.push(Number((out.at(-1)! + step).toPrecision(12)));
  return out;
}

/** The extent of `values`, widened to hold 0 when asked, ticked. */
function domain(values: number[], axis: Axis): number[] {
  const lo = Math.min(...values, ...(axis.zero ? [0] : []));
  const hi = Math.max(...values, ...(axis.zero ? [0] : []));
  if (hi > lo) return ticks(lo, hi);
  // one value (one epoch, one model): centred in a range around it
  const d = axis.whole ? 1 : Math.abs(lo) * 0.1 || 1;
  return ticks(axis.zero && lo >= 0 ? Math.max(0, lo - d) : lo - d, hi + d);
}

/** The y of the x axis in a plot of height H. */
const bottom = (H: number): number => H - (H === HEIGHT.turned ? PAD.bottom + 80 : PAD.bottom);
const scale = (t: number[], a: number, b: number) => (v: number) => a + ((v - t[0]!) / (t.at(-1)! - t[0]!)) * (b - a);

function frame(W: number, H: number, xTicks: string, yTicks: number[], y: (v: number) => number, axes: { x: string; y: string }, body: string): string {
  const grid = yTicks.map((v) => `<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/><text class="tick" x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${num(v)}</text>`).join('');
  return `<svg class="plot${W > WIDTH ? ' wide' : ''}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" xmlns="http://www.w3.org/2000/svg">${grid}${xTicks}`
    + `<line class="axis" x1="${PAD.left}" x2="${W - PAD.right}" y1="${bottom(H)}" y2="${bottom(H)}"/><line class="axis" x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${bottom(H)}"/>`
    + `<text class="label" x="${(PAD.left + W - PAD.right) / 2}" y="${H - 8}" text-anchor="middle">${esc(axes.x)}</text>`
    + `<text class="label" transform="translate(14 ${(PAD.top + bottom(H)) / 2}) rotate(-90)" text-anchor="middle">${esc(axes.y)}</text>${body}</svg>`;
}

const legend = (names: string[]): string => (names.length < 2 ? '' : `<p class="legend">${names.map((n, i) => `<span><i style="background:${PALETTE[i % PALETTE.length]}"></i>${esc(n)}</span>`).join('')}</p>`);

/** A point's label above it, on its left where it would pass the plot's right edge. */
function label(text: string, px: number, py: number, right: number): string {
  const left = px + 7 + 6.5 * text.length > right;
  return `<text class="point-label" x="${(left ? px - 7 : px + 7).toFixed(1)}" y="${(py - 7).toFixed(1)}"${left ? ' text-anchor="end"' : ''}>${esc(text)}</text>`;
}

/** Points (a circle each, its tip as a native tooltip) joined in order where the series asks for a line. */
export function xyPlot(plot: XYPlot): string {
  // a figure that is not a number (a failed count) is left out rather than drawn at NaN
  const p = { ...plot, series: plot.series.map((s) => ({ ...s, points: s.points.filter((q) => Number.isFinite(q.x) && Number.isFinite(q.y)) })) };
  const all = p.series.flatMap((s) => s.points);
  if (!all.length) return '<p class="none">No finite values to draw.</p>';
  const [xt, yt] = [domain(all.map((q) => q.x), p.x), domain(all.map((q) => q.y), p.y)];
  const xShown = p.x.whole ? xt.filter(Number.isInteger) : xt;
  const [W, H] = [WIDTH, HEIGHT.plain];
  const [x, y] = [scale(xt, PAD.left, W - PAD.right), scale(yt, bottom(H), PAD.top)];
  const xTicks = xShown.map((v) => `<line class="grid" x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${PAD.top}" y2="${bottom(H)}"/><text class="tick" x="${x(v).toFixed(1)}" y="${bottom(H) + 16}" text-anchor="middle">${num(v)}</text>`).join('');
  const lo = Math.max(xt[0]!, yt[0]!), hi = Math.min(xt.at(-1)!, yt.at(-1)!);
  const diagonal = p.diagonal && hi > lo ? `<line class="diagonal" x1="${x(lo).toFixed(1)}" y1="${y(lo).toFixed(1)}" x2="${x(hi).toFixed(1)}" y2="${y(hi).toFixed(1)}"><title>y = x</title></line>` : '';
  const body = p.series.map((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const line = s.line && s.points.length > 1 ? `<polyline class="series" stroke="${color}" points="${s.points.map((q) => `${x(q.x).toFixed(1)},${y(q.y).toFixed(1)}`).join(' ')}"/>` : '';
    const dots = s.points.map((q) => `<circle class="mark"${q.step !== undefined ? ` data-step="${q.step}"` : ''} cx="${x(q.x).toFixed(1)}" cy="${y(q.y).toFixed(1)}" r="5" fill="${color}"><title>${esc(q.tip ?? `${s.name}: ${num(q.x)}, ${num(q.y)}`)}</title></circle>`
      + (q.label ? label(q.label, x(q.x), y(q.y), W - PAD.right) : '')).join('');
    return line + dots;
  }).join('');
  return frame(W, H, xTicks, yt, y, { x: p.x.label, y: p.y.label }, diagonal + body) + legend(p.series.map((s) => s.name));
}

/** Bars side by side per category (labels turned when there are many), a bar's value in its tooltip. */
export function barPlot(plot: BarPlot): string {
  const p = { ...plot, series: plot.series.map((s) => ({ ...s, values: s.values.map((v) => (Number.isFinite(v) ? v : undefined)) })) };
  const values = p.series.flatMap((s) => s.values.filter((v): v is number => v !== undefined));
  if (!values.length) return '<p class="none">No finite values to draw.</p>';
  const yt = domain(values, { ...p.y, zero: p.y.zero ?? true });
  const W = Math.max(WIDTH, PAD.left + PAD.right + PER_CATEGORY * p.categories.length);
  const band = (W - PAD.left - PAD.right) / Math.max(1, p.categories.length);
  // labels wider than their band are turned (about 6.5 px a character at 11 px)
  const turned = p.categories.some((c) => Math.min(20, c.length) * 6.5 > band);
  const H = turned ? HEIGHT.turned : HEIGHT.plain;
  const y = scale(yt, bottom(H), PAD.top);
  const bar = (band * 0.8) / p.series.length;
  const xTicks = p.categories.map((c, k) => {
    const cx = PAD.left + band * (k + 0.5);
    const text = c.length > 20 ? `${c.slice(0, 19)}…` : c;
    return turned
      ? `<text class="tick" transform="translate(${cx.toFixed(1)} ${bottom(H) + 10}) rotate(-65)" text-anchor="end">${esc(text)}<title>${esc(c)}</title></text>`
      : `<text class="tick" x="${cx.toFixed(1)}" y="${bottom(H) + 16}" text-anchor="middle">${esc(text)}<title>${esc(c)}</title></text>`;
  }).join('');
  const body = p.series.map((s, i) => s.values.map((v, k) => {
    if (v === undefined) return '';
    const [top, base] = [y(Math.max(v, yt[0]!)), y(Math.max(0, yt[0]!))];
    const x0 = PAD.left + band * k + band * 0.1 + bar * i;
    return `<rect class="mark" x="${x0.toFixed(1)}" y="${Math.min(top, base).toFixed(1)}" width="${Math.max(1, bar - 1).toFixed(1)}" height="${Math.abs(base - top).toFixed(1)}" fill="${PALETTE[i % PALETTE.length]}"><title>${esc(`${p.categories[k]} — ${s.name}: ${num(v)}`)}</title></rect>`;
  }).join('')).join('');
  return frame(W, H, xTicks, yt, y, { x: '', y: p.y.label }, body) + legend(p.series.map((s) => s.name));
}
