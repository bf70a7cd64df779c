import MiniSearch, { type SearchOptions, type SearchResult } from "minisearch";
import type { Statement } from "../../src/ingest/load.ts";
import type { StockParams } from "./mix.ts";

/** The baseline: MiniSearch with default options over title and body, as its README shows. */
export function stockIndex(statements: Statement[]): MiniSearch<Statement> {
  const ms = new MiniSearch<Statement>({ fields: ["title", "body"] });
  ms.addAll(statements);
  return ms;
}

/**
 * Stock MiniSearch's nearest equivalent of a mix query. MiniSearch stores no fields here, so
 * filters read the full statement by id, as MiniSearch's own demo keeps records aside.
 */
export function stockSearch(
  ms: MiniSearch<Statement>,
  byId: Map<string, Statement>,
  p: StockParams,
): SearchResult[] {
  const options: SearchOptions = {};
  if (p.prefix) options.prefix = true;
  if (p.fuzzy) options.fuzzy = Number(p.fuzzy);
  if (p.and) options.combineWith = "AND";
  const { field, value, from, to } = p;
  if (field || from || to)
    options.filter = (result) => {
      const s = byId.get(result.id as string);
      if (!s) return false;
      if (field && (field === "source" ? s.source : s.meta[field]) !== value)
        return false;
      const year = s.date?.slice(0, 4);
      if (from && !(year && year >= from)) return false;
      if (to && !(year && year <= to)) return false;
      return true;
    };
  return ms.search(p.q, options);
}
