import { RESERVED } from "./params.ts";

/**
 * Names Readout gives meaning of its own: URL parameters (`q`, `year` …), the query language's
 * fields (`title:`, `after:` …) and the fields every engine keeps (`source`, `lang`). A
 * metadata field of a document that has one of these names cannot go by it: the UN debates'
 * own `year` beside the date's year made two facets that shared `name="year"`, and choosing one
 * gave the other's statements (issue 27).
 */
/**
 * The names found in statements' texts (issue 26): multi-valued fields that facets count and
 * `person:`, `place:`, `org:` filter by, once for both engines.
 */
export const NAME_FIELDS = ["person", "place", "org"] as const;
export type NameField = (typeof NAME_FIELDS)[number];

/** Whether a field is one of `NAME_FIELDS`. */
export function isNameField(field: string): field is NameField {
  return (NAME_FIELDS as readonly string[]).includes(field);
}

const BUILT_IN = new Set([
  ...RESERVED,
  ...NAME_FIELDS,
  "title",
  "body",
  "date",
  "after",
  "before",
  "source",
  "lang",
]);

/** What a metadata field that clashes with a built-in name gets in front of its name. */
export const PREFIX = "meta_";

/** The built-in names, lower-case, for SQL that renames keys as `fieldName` does. */
export const BUILT_IN_NAMES: readonly string[] = [...BUILT_IN];

/**
 * The name a document's metadata key goes by everywhere (URLs, facets, chips, the query
 * language, /about): the key itself, or `meta_year` for a key `year` that clashes with a
 * built-in name. A key that already starts with `meta_` gets the prefix too, so no two keys
 * share a name and `metaKey` finds each key again.
 */
export function fieldName(key: string): string {
  return BUILT_IN.has(key.toLowerCase()) || key.startsWith(PREFIX)
    ? PREFIX + key
    : key;
}

/** The document's own key for a field name: `meta_year` → `year`. */
export function metaKey(name: string): string {
  return name.startsWith(PREFIX) ? name.slice(PREFIX.length) : name;
}

/**
 * A field's name as a label: "country" → "Country", "country_iso" → "Country iso", "lang" →
 * "Language", and a renamed one marked as the document's own: "meta_year" → "Year (metadata)".
 */
export function fieldLabel(name: string): string {
  if (name === "lang") return "Language";
  if (name === "org") return "Organisation";
  if (name.startsWith(PREFIX)) return `${words(metaKey(name))} (metadata)`;
  return words(name);
}

function words(name: string): string {
  const text = name.replace(/[_-]+/g, " ").trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}
