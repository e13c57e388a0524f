// The one line the REPL prints after each step: params, MACs and size, each against the input model, and
// mAP and latency once they have been measured (`.eval`, `.bench`, an `eval` step).
import { giga, mib, millions, ratio } from '../run/report.ts';
import type { Measures } from '../run/types.ts';

export function summary(label: string, m: Measures, input: Measures): string {
  const parts = [
    `${millions(m.params)} params${ratio(m.params, input.params)}`,
    `${giga(m.macs)} MACs${ratio(m.macs, input.macs)}`,
    `${mib(m.bytes)}${ratio(m.bytes, input.bytes)}`,
  ];
  if (m.map !== undefined) parts.push(`mAP ${(100 * m.map).toFixed(1)}${m.map50 !== undefined ? ` (@.5 ${(100 * m.map50).toFixed(1)})` : ''}`);
  const lat = Object.entries(m.latency_ms ?? {});
  if (lat.length) parts.push(lat.map(([t, ms]) => `${ms.toFixed(1)} ms at ${t} thread${t === '1' ? '' : 's'}`).join(', '));
  return `${label}: ${parts.join(', ')}`;
}
