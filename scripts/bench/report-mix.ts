import type { MixQuery, StockParams } from "./mix.ts";
import { kindLatency, type CorpusResult } from "./results.ts";
import { formats as f, markdownTable, show } from "./table.ts";

/** One corpus's query mix: each query as Readout and MiniSearch get it, hits and median ms. */
export function mixTable(r: CorpusResult): string {
  const title = `## Query mix: ${r.corpus.label}`;
  if (!r.mix.ok) return `${title}\n\nfailed: ${r.mix.reason}`;
  const hits = (builds: CorpusResult["readout"], i: number) => {
    const first = builds.find((b) => b.ok);
    return first?.ok ? String(first.value.queries[i]?.hits ?? "") : "—";
  };
  return [
    title,
    "",
    markdownTable(
      [
        "Kind",
        "Readout parameters",
        "Hits",
        "Median",
        "MiniSearch call",
        "Hits",
        "Median",
      ],
      r.mix.value.mix.map((q, i) => [
        q.kind,
        readoutText(q),
        hits(r.readout, i),
        show(kindLatency(r.readout, i), f.ms),
        stockText(q.stock),
        hits(r.stock, i),
        show(kindLatency(r.stock, i), f.ms),
      ]),
      [0, 1, 4],
    ),
  ].join("\n");
}

function readoutText(q: MixQuery): string {
  return Object.entries(q.params)
    .map(([k, v]) => (k === "q" ? `q=${v}` : `${k}=${v}`))
    .join(" & ")
    .replace(/\|/g, "/");
}

function stockText(p: StockParams): string {
  const options: string[] = [];
  if (p.prefix) options.push("prefix: true");
  if (p.fuzzy) options.push(`fuzzy: ${p.fuzzy}`);
  if (p.and) options.push("combineWith: 'AND'");
  const filter: string[] = [];
  if (p.field) filter.push(`${p.field} = ${p.value}`);
  if (p.from || p.to) filter.push(`year ${p.from}–${p.to}`);
  if (filter.length) options.push(`filter: ${filter.join(", ")}`);
  return `search("${p.q}"${options.length ? `, { ${options.join(", ")} }` : ""})`.replace(
    /\|/g,
    "/",
  );
}
