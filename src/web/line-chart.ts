/**
 * A line chart drawn on the server as SVG (issue 26's compare view): one line per series,
 * every point a link, no script. Sized for the width the page gives it; its numbers are also
 * a table (`chartTable`) beside it, which is what a screen reader or a spreadsheet reads.
 * Lines differ in dash pattern and marker as well as colour, so they are told apart without
 * colour too.
 */
import { escapeHtml, type Html } from "../search/highlight.ts";

export interface ChartSeries {
  name: string;
  /** One value per label; null leaves a gap (a period with nothing to divide by). */
  values: readonly (number | null)[];
  /** One link per label: the statements behind the point. */
  hrefs: readonly string[];
}

export interface Chart {
  /** Unique on the page: the title and description are referred to by it. */
  id: string;
  title: string;
  description: string;
  labels: readonly string[];
  series: readonly ChartSeries[];
  /** A value as it is read out (`12`, `3.4%`). */
  format: (value: number) => string;
  /** The width the page has for the chart, in CSS pixels. */
  width: number;
  /** Whether the values are counts: the axis then steps by whole numbers. */
  counts?: boolean;
}

// Okabe–Ito colours darkened to 3:1 or more against white; dashes and markers per series.
const COLOURS = [
  "#0072b2",
  "#c74f00",
  "#00805c",
  "#b3478f",
  "#806000",
  "#4d4d4d",
];
const DASHES = ["", "8 4", "2 3", "10 3 2 3", "4 4", "12 2"];
const MARKERS = ["circle", "square", "diamond", "triangle", "circle", "square"];

const HEIGHT = 260;
const MARGIN = { top: 12, right: 34, bottom: 30, left: 56 };
// About this much room per x-axis label, so labels never overlap.
const LABEL_WIDTH = 64;

/** The chart as an `<svg>` element. */
export function lineChart(chart: Chart): Html {
  const width = Math.max(240, Math.round(chart.width));
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const n = chart.labels.length;
  const max = Math.max(
    0,
    ...chart.series.flatMap((s) => s.values.map((v) => v ?? 0)),
  );
  const step = Math.max(niceStep(max / 4), chart.counts ? 1 : 0);
  const top = step * Math.max(1, Math.ceil(max / step - 1e-9));
  const x = (i: number) =>
    MARGIN.left + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v: number) => MARGIN.top + plotH - (v / top) * plotH;
  const e = escapeHtml;
  let out = `<svg class="line-chart" width="${width}" height="${HEIGHT}" viewBox="0 0 ${width} ${HEIGHT}" role="group" aria-labelledby="${e(chart.id)}-title" aria-describedby="${e(chart.id)}-desc"><title id="${e(chart.id)}-title">${e(chart.title)}</title><desc id="${e(chart.id)}-desc">${e(chart.description)}</desc>`;
  // Axes and grid: a line every round step (1, 2 or 5 × 10^k), at most four above zero.
  for (let k = 0; k * step <= top * (1 + 1e-9); k++) {
    const v = k * step;
    out += `<line class="grid" x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${fix(y(v))}" y2="${fix(y(v))}" stroke="currentColor" stroke-opacity="${k === 0 ? 0.6 : 0.15}"/>`;
    out += `<text x="${MARGIN.left - 6}" y="${fix(y(v) + 4)}" text-anchor="end" font-size="12" fill="currentColor">${e(chart.format(v))}</text>`;
  }
  const every = Math.max(1, Math.ceil((n * LABEL_WIDTH) / plotW));
  chart.labels.forEach((label, i) => {
    if (i % every === 0)
      out += `<text x="${fix(x(i))}" y="${HEIGHT - 10}" text-anchor="middle" font-size="12" fill="currentColor">${e(label)}</text>`;
  });
  chart.series.forEach((s, si) => {
    const colour = COLOURS[si % COLOURS.length]!;
    let d = "";
    let pen = "M";
    s.values.forEach((v, i) => {
      if (v === null) pen = "M";
      else {
        d += `${pen}${fix(x(i))} ${fix(y(v))}`;
        pen = "L";
      }
    });
    const dash = DASHES[si % DASHES.length]
      ? ` stroke-dasharray="${DASHES[si % DASHES.length]}"`
      : "";
    out += `<g class="series series-${si}" stroke="${colour}" fill="${colour}">`;
    if (d) out += `<path d="${d}" fill="none" stroke-width="2"${dash}/>`;
    s.values.forEach((v, i) => {
      if (v === null) return;
      const said = `${s.name}, ${chart.labels[i]}: ${chart.format(v)}`;
      out += `<a href="${e(s.hrefs[i] ?? "")}" aria-label="${e(said)}"><title>${e(said)}</title>${marker(MARKERS[si % MARKERS.length]!, x(i), y(v))}</a>`;
    });
    out += `</g>`;
  });
  return (out + `</svg>`) as Html;
}

/** A key to the lines: each series' name beside a sample of its line and marker. */
export function chartLegend(chart: Pick<Chart, "series">): Html {
  const items = chart.series.map((s, si) => {
    const colour = COLOURS[si % COLOURS.length]!;
    const dash = DASHES[si % DASHES.length];
    return `<li><svg width="36" height="12" aria-hidden="true"><g stroke="${colour}" fill="${colour}"><line x1="0" x2="36" y1="6" y2="6" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ""}/>${marker(MARKERS[si % MARKERS.length]!, 18, 6)}</g></svg> ${escapeHtml(s.name)}</li>`;
  });
  return `<ul class="chart-legend">${items.join("")}</ul>` as Html;
}

/** The chart's numbers as a table: a row per label, a column per series, each cell a link. */
export function chartTable(
  chart: Pick<Chart, "labels" | "series" | "format">,
  caption: string,
  labelHeading: string,
): Html {
  const e = escapeHtml;
  let out = `<table class="chart-table"><caption>${e(caption)}</caption><thead><tr><th scope="col">${e(labelHeading)}</th>`;
  for (const s of chart.series)
    out += `<th scope="col" class="num">${e(s.name)}</th>`;
  out += `</tr></thead><tbody>`;
  chart.labels.forEach((label, i) => {
    out += `<tr><th scope="row">${e(label)}</th>`;
    for (const s of chart.series) {
      const v = s.values[i];
      out +=
        v === null || v === undefined
          ? `<td class="num">–</td>`
          : `<td class="num"><a href="${e(s.hrefs[i] ?? "")}">${e(chart.format(v))}</a></td>`;
    }
    out += `</tr>`;
  });
  return (out + `</tbody></table>`) as Html;
}

/** The smallest of 1, 2, 5 × 10^k at or above `v` (1 for nothing at all). */
export function niceStep(v: number): number {
  if (!(v > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 2, 5, 10])
    if (v <= step * power * (1 + 1e-9)) return step * power;
  return 10 * power;
}

function marker(shape: string, cx: number, cy: number): string {
  const [x, y] = [fix(cx), fix(cy)];
  switch (shape) {
    case "square":
      return `<rect x="${fix(cx - 3.5)}" y="${fix(cy - 3.5)}" width="7" height="7"/>`;
    case "diamond":
      return `<path d="M${x} ${fix(cy - 5)}L${fix(cx + 5)} ${y}L${x} ${fix(cy + 5)}L${fix(cx - 5)} ${y}Z"/>`;
    case "triangle":
      return `<path d="M${x} ${fix(cy - 5)}L${fix(cx + 5)} ${fix(cy + 4)}L${fix(cx - 5)} ${fix(cy + 4)}Z"/>`;
    default:
      return `<circle cx="${x}" cy="${y}" r="4"/>`;
  }
}

const fix = (v: number) => v.toFixed(1);
