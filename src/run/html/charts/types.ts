// A chart of report.html: metadata first (id, title, what it answers), then `draw`, which returns the figures
// (inline SVG) or, when the report holds nothing to draw, the reason, which the page shows in their place.
import type { Report } from '../../report.ts';

export interface Figure { caption?: string; svg: string }

export interface Chart {
  id: string;
  title: string;
  /** The question the chart answers, one sentence under its title. */
  about: string;
  draw(r: Report): Figure[] | string;
}
