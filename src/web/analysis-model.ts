import { searchEntries, type SearchParams } from "../query/params.ts";

/**
 * What an analysis view says about the matches it read: that they hold only some of the words
 * (`relaxed`), and that part of the archive did not answer; `what` names its figures.
 */
export function matchNotes(
  relaxed: boolean,
  unavailable: readonly string[],
  what: string,
): string[] {
  return [
    ...(relaxed
      ? [
          "No statement has every word, so the matches are statements with some of them.",
        ]
      : []),
    ...(unavailable.length
      ? [
          `Part of the archive did not answer (${unavailable.join(", ")}): these ${what} are from the rest of it.`,
        ]
      : []),
  ];
}

/** The filters in force, as hidden fields for a view's form to keep; its dates too unless the form has them. */
export function hiddenFilters(
  params: SearchParams,
  dates: "keep" | "in the form",
): [string, string][] {
  return searchEntries({
    ...params,
    q: "",
    ...(dates === "in the form" ? { from: "", to: "" } : {}),
    page: undefined,
    size: undefined,
    sort: undefined,
    grouping: undefined,
  });
}
