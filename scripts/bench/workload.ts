import type { MixQuery } from "./mix.ts";

/** A statement as `/search.json` lists it. */
export interface ListedHit {
  id: string;
  /** Its page, with the search's parameters (`/statements/<id>?q=…`). */
  href: string;
}

/** Statement pages in the rotation, each with its JSON twin. */
const STATEMENTS = 20;

/**
 * The load test's rotation of paths, built from a corpus's query mix alone so that it suits
 * any archive: each query of the mix as a page, its JSON twin and a later page (2–5); the
 * query language's operators over the mix's words; another sort and the any-word mode;
 * statement pages and their JSON twins; a CSV export, a feed, completions and the plain
 * pages. Page 1 is the plain URL: `page=1` is redirected to it.
 */
export function loadWorkload(mix: MixQuery[], hits: ListedHit[]): string[] {
  const search = (params: Record<string, string>, format = "") =>
    `/search${format}?${new URLSearchParams(params)}`;
  const paths = mix.flatMap((q, i) => [
    search(q.params),
    search(q.params, ".json"),
    search({ ...q.params, page: String((i % 4) + 2) }),
  ]);

  const q = (kind: string) => mix.find((m) => m.kind === kind)?.params;
  const common = q("common word")?.q ?? "";
  const rare = q("rare word")?.q ?? common;
  const [a = common, b = rare] = (q("2-word AND")?.q ?? "").split(" ");
  const phrase = q("phrase")?.q;
  const source = q("source filter")?.source;
  const year = q("date filter")?.from;
  const texts = [
    `${a} OR ${b}`,
    `${common} -${a}`,
    `(${a} OR ${b}) AND ${common}`,
    `title:${common}`,
    ...(phrase ? [`${phrase}~5`] : []),
    ...(source ? [`source:"${source}" ${a}`] : []),
    ...(year ? [`date:${year} ${common}`, `after:${year}-01-01 ${a}`] : []),
  ];
  paths.push(
    ...texts.map((text) => search({ q: text })),
    search({ q: common, sort: "newest" }),
    search({ q: `${a} ${b}`, mode: "any" }),
  );

  for (const hit of hits.slice(0, STATEMENTS)) {
    const [page = "", query] = hit.href.split("#")[0]!.split("?");
    paths.push(
      hit.href.split("#")[0]!,
      `${page}.json${query ? `?${query}` : ""}`,
    );
  }
  paths.push(
    `/search.csv?${new URLSearchParams({ q: phrase ?? rare })}`,
    `/search.atom?${new URLSearchParams({ q: common })}`,
    `/suggest?${new URLSearchParams({ q: common.slice(0, 3) })}`,
    "/",
    "/about",
    "/help",
  );
  return paths;
}
