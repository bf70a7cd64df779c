/**
 * The names view (issue 26): the people, places and organisations named in a search's
 * matches, each counted once per statement across its forms and scripts, and with names
 * chosen, who is named together with them. One count over the match set, where the data
 * lives (the stores' name facets), so it is bounded like a page of results.
 */
import type { NameFilter, Store } from "../engines/store.ts";
import { NAME_FIELDS } from "../query/fields.ts";
import type { SearchQuery } from "../query/params.ts";
import { anyOf } from "../query/tree.ts";
import type { Steps } from "../runtime/deadline.ts";
import { nameIndex } from "./name-index.ts";
import type { NamesPage } from "./pages.ts";
import { planOf, prepare } from "./plan.ts";

/** Names listed per field. */
export const NAMES_SHOWN = 50;

/**
 * The names in the matches of `query`. Its name filters (`person=…`) are taken as names the
 * statements must all give, not as a facet selection: the person list then says who is named
 * together with the person chosen.
 */
export function* namesSteps(
  store: Store,
  query: SearchQuery,
  shown = NAMES_SHOWN,
): Steps<NamesPage> {
  const values = store.fieldValues();
  const fields = NAME_FIELDS.filter((f) => values.has(f));
  const index = nameIndex(store);
  const chosen: NamesPage["chosen"] = [];
  const required: NameFilter[] = [];
  const filters: Record<string, string[]> = Object.assign(
    Object.create(null),
    query.filters,
  );
  for (const field of NAME_FIELDS) {
    for (const name of filters[field] ?? []) {
      chosen.push({ field, name });
      required.push({ field, forms: index.formsOf(field, [name]) });
    }
    delete filters[field];
  }
  const p = yield* prepare(store, { ...query, filters });
  const plan = planOf(p, query.mode === "any" ? anyOf(p.tree) : p.tree, store);
  plan.names = [...plan.names, ...required];
  const set = yield* store.match(plan, {
    facets: fields,
    periods: false,
    groups: false,
  });
  // A chosen form (`Zelensky`, typed by hand) is not named together with its own group.
  const isChosen = new Set(
    chosen.flatMap((c) => [
      `${c.field}\0${c.name}`,
      `${c.field}\0${index.groupOf.get(c.field)?.get(c.name) ?? c.name}`,
    ]),
  );
  return {
    matches: set.counts.total,
    fields: fields.map((field) => {
      const names = [...(set.counts.facets.get(field) ?? [])]
        .filter(([name, n]) => n > 0 && !isChosen.has(`${field}\0${name}`))
        .map(([name, count]) => ({ name, count }))
        .sort((a, b) => b.count - a.count || collator.compare(a.name, b.name));
      return {
        field,
        names: names.slice(0, shown),
        more: Math.max(0, names.length - shown),
      };
    }),
    chosen,
    indexed: fields.length > 0,
    unavailable: [...new Set([...p.unavailable, ...set.unavailable])].sort(),
  };
}

const collator = new Intl.Collator();
