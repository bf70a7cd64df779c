import { describe, expect, it } from "vitest";
import {
  chartLegend,
  chartTable,
  lineChart,
  niceStep,
  type Chart,
} from "../src/web/line-chart.ts";

const chart: Chart = {
  id: "cmp",
  title: "Matching statements per year",
  description: "Two queries <compared>",
  labels: ["2020", "2021", "2022"],
  series: [
    {
      name: "war",
      values: [1, null, 3],
      hrefs: ["/s?a=1&y=2020", "/s?a=1&y=2021", "/s?a=1&y=2022"],
    },
    {
      name: '"peace" <talks>',
      values: [0, 2, 2],
      hrefs: ["/p0", "/p1", "/p2"],
    },
  ],
  format: (v) => String(v),
  width: 600,
  counts: true,
};

describe("lineChart", () => {
  const svg = lineChart(chart);

  it("is titled and described for assistive technology, all text escaped", () => {
    expect(svg).toMatch(
      /^<svg [^>]*role="group" aria-labelledby="cmp-title" aria-describedby="cmp-desc">/,
    );
    expect(svg).toContain(
      '<title id="cmp-title">Matching statements per year</title>',
    );
    expect(svg).toContain(
      '<desc id="cmp-desc">Two queries &lt;compared&gt;</desc>',
    );
    expect(svg).not.toContain("<talks>");
  });

  it("draws each point as a link to its statements, and leaves a gap for a missing value", () => {
    const links = [
      ...svg.matchAll(/<a href="([^"]*)" aria-label="([^"]*)"/g),
    ].map((m) => [m[1], m[2]]);
    expect(links).toEqual([
      ["/s?a=1&amp;y=2020", "war, 2020: 1"],
      ["/s?a=1&amp;y=2022", "war, 2022: 3"],
      ["/p0", "&quot;peace&quot; &lt;talks&gt;, 2020: 0"],
      ["/p1", "&quot;peace&quot; &lt;talks&gt;, 2021: 2"],
      ["/p2", "&quot;peace&quot; &lt;talks&gt;, 2022: 2"],
    ]);
    // The first line lifts its pen over 2021.
    const paths = [...svg.matchAll(/<path d="([^"]*)" fill="none"/g)].map(
      (m) => m[1]!,
    );
    expect(paths[0]!.match(/[ML]/g)).toEqual(["M", "M"]);
    expect(paths[1]!.match(/[ML]/g)).toEqual(["M", "L", "L"]);
  });

  it("fits the width it is given", () => {
    expect(lineChart({ ...chart, width: 900 })).toMatch(
      /^<svg [^>]*width="900"/,
    );
    const wide = lineChart(chart);
    const xs = [...wide.matchAll(/<circle cx="([\d.]+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(Math.max(...xs)).toBeLessThanOrEqual(600);
  });

  it("steps its axis by whole numbers for counts", () => {
    const ticks = [...svg.matchAll(/text-anchor="end"[^>]*>([^<]*)</g)].map(
      (m) => m[1],
    );
    expect(ticks).toEqual(["0", "1", "2", "3"]);
    expect(niceStep(0.04)).toBe(0.05);
    expect(niceStep(6.25)).toBe(10);
  });
});

describe("chartTable", () => {
  it("holds the chart's numbers, each a link, a dash for a missing value", () => {
    const table = chartTable(chart, "Statements per year", "Year");
    expect(table).toContain("<caption>Statements per year</caption>");
    expect(table).toContain(
      '<th scope="col" class="num">&quot;peace&quot; &lt;talks&gt;</th>',
    );
    expect(table).toContain(
      '<tr><th scope="row">2021</th><td class="num">–</td><td class="num"><a href="/p1">2</a></td></tr>',
    );
  });
});

describe("chartLegend", () => {
  it("names every line", () => {
    expect(
      [...chartLegend(chart).matchAll(/<\/svg> ([^<]*)<\/li>/g)].map(
        (m) => m[1],
      ),
    ).toEqual(["war", "&quot;peace&quot; &lt;talks&gt;"]);
  });
});
