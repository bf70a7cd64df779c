/** What a search request asks for, read leniently from URL parameters. */
export interface SearchQuery {
  /** The query text as typed, trimmed. */
  q: string;
  /** 1-based page number. */
  page: number;
  /** Results per page. */
  size: number;
  /** `all`: every word must appear (default); `any`: any word, ranked. */
  mode: "all" | "any";
  /** What was adjusted or ignored in the request, in words a person reads. */
  notes: string[];
}

export const limits = {
  /** Longest query text taken, in characters; the rest is cut off with a note. */
  queryLength: 1000,
  defaultSize: 20,
  maxSize: 100,
  /** Deepest page; paging past it is pointless and costs a full sort. */
  maxPage: 1000,
};

/**
 * Reads `q`, `page`, `size` and `mode` from URL parameters. Never throws: a repeated
 * parameter takes its first value, numbers out of range are clamped, and each adjustment is
 * noted for the page to show.
 */
export function parseQuery(params: Record<string, unknown>): SearchQuery {
  const notes: string[] = [];
  let q = firstValue(params.q).trim();
  if (q.length > limits.queryLength) {
    notes.push(
      `The query was cut to its first ${limits.queryLength} characters.`,
    );
    q = q.slice(0, limits.queryLength);
  }
  const page = whole(firstValue(params.page), 1, limits.maxPage, "page", notes);
  const size = whole(
    firstValue(params.size),
    limits.defaultSize,
    limits.maxSize,
    "size",
    notes,
  );
  const rawMode = firstValue(params.mode);
  const mode = rawMode === "any" ? "any" : "all";
  if (rawMode && rawMode !== "any" && rawMode !== "all") {
    notes.push(`Unknown mode "${rawMode}" ignored; modes are "all" and "any".`);
  }
  return { q, page, size, mode, notes };
}

/** The first value of a URL parameter that may be repeated (`?q=a&q=b`) or missing. */
export function firstValue(value: unknown): string {
  if (Array.isArray(value)) return firstValue(value[0]);
  return typeof value === "string" ? value : "";
}

function whole(
  raw: string,
  fallback: number,
  max: number,
  name: string,
  notes: string[],
): number {
  if (raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    notes.push(`"${raw}" is not a valid ${name}; using ${fallback}.`);
    return fallback;
  }
  if (n > max) {
    notes.push(`The ${name} is at most ${max}; using ${max}.`);
    return max;
  }
  return n;
}
