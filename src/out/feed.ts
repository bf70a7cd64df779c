import { xmlText } from "./xml.ts";

/** One entry of an Atom feed, as plain text and absolute URLs. */
export interface FeedEntry {
  /** The statement's id: the entry's permanent id is made from it alone. */
  id: string;
  title: string;
  /** ISO-8601 date of any precision; undated entries use the feed's time. */
  date?: string;
  /** What `date` is: the statement's own date, or when Readout first read it. */
  dateIs: "statement" | "first-read";
  source?: string;
  link: string;
  /** The original's address, when it is a web address. */
  original?: string;
  summary: string;
}

export interface Feed {
  title: string;
  /** What the feed holds, in a sentence, when its title cannot say it all. */
  subtitle?: string;
  /**
   * The feed's own URL (rel=self) and the results page it follows (rel=alternate). The
   * feed's id is made from `self`'s path and query, without its host.
   */
  self: string;
  alternate: string;
  /** When the feed was made; used where an entry has no date. */
  now: Date;
  /** Parts of the archive that did not answer, and a note saying so: the feed is partial. */
  partial?: { parts: string[]; note: string };
  entries: FeedEntry[];
}

/** An Atom 1.0 document (RFC 4287). */
export function atomFeed(feed: Feed): string {
  const now = feed.now.toISOString();
  const updated =
    feed.entries
      .map((e) => atomDate(e.date, now))
      .sort()
      .at(-1) ?? now;
  const entries = feed.entries.map((e) => {
    const original = e.original
      ? `\n    <link rel="related" href="${xmlText(e.original)}"/>`
      : "";
    return `  <entry>
    <id>${xmlText(tagUri(`statements/${e.id.split("/").map(encodeURIComponent).join("/")}`))}</id>
    <title>${xmlText(e.title)}</title>
    <updated>${atomDate(e.date, now)}</updated>${updatedMeans(e.dateIs)}
    <author><name>${xmlText(e.source ?? "Unknown source")}</name></author>
    <link rel="alternate" type="text/html" href="${xmlText(e.link)}"/>${original}
    <summary>${xmlText(e.summary)}</summary>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xmlText(tagUri(feedPath(feed.self)))}</id>
  <title>${xmlText(feed.title)}</title>${feed.subtitle ? `\n  <subtitle>${xmlText(feed.subtitle)}</subtitle>` : ""}${partial(feed.partial)}
  <updated>${updated}</updated>
  <generator>Readout</generator>
  <link rel="self" type="application/atom+xml" href="${xmlText(feed.self)}"/>
  <link rel="alternate" type="text/html" href="${xmlText(feed.alternate)}"/>
${entries.join("\n")}
</feed>
`;
}

/**
 * A partial feed's mark: an element of Readout's own namespace (RFC 4287 6.4: readers skip
 * what they do not know), naming the parts that did not answer, with the note as its text.
 */
function partial(p: Feed["partial"]): string {
  return p
    ? `\n  <partial xmlns="${TAG}ns" parts="${xmlText(p.parts.join(", "))}">${xmlText(p.note)}</partial>`
    : "";
}

/**
 * Says what an entry's `updated` is, in Readout's own namespace (RFC 4287 6.4): a feed that
 * lists undated statements by when they were first read must not pass that off as their date.
 */
function updatedMeans(dateIs: FeedEntry["dateIs"]): string {
  const means =
    dateIs === "statement"
      ? "the statement's date"
      : "when Readout first read it";
  return `\n    <updated-means xmlns="${TAG}ns">${means}</updated-means>`;
}

// Atom ids are permanent (RFC 4287 4.2.6): a feed reader takes a new id for a new entry, so
// ids made from the URL the feed was fetched through (127.0.0.1 or localhost, one port or
// another) showed every entry twice. Tag URIs (RFC 4151) depend on neither. Their authority
// is a name no one can own (RFC 2606's .invalid), so they never clash with another minter's.
const TAG = "tag:readout.invalid,2024:";

function tagUri(specific: string): string {
  return TAG + specific;
}

// `http://localhost:3000/search.atom?q=x` → `search.atom?q=x`.
function feedPath(self: string): string {
  const url = new URL(self, "http://localhost");
  return (url.pathname + url.search).replace(/^\//, "");
}

/** An RFC 3339 timestamp for a date of any precision: `2023` → `2023-01-01T00:00:00Z`. */
export function atomDate(date: string | undefined, fallback: string): string {
  if (!date) return fallback;
  const [day, time] = date.split("T");
  const [y, m = "01", d = "01"] = day!.split("-");
  if (!time) return `${y}-${m}-${d}T00:00:00Z`;
  return /(Z|[+-]\d{2}:\d{2})$/.test(time)
    ? `${day}T${time}`
    : `${day}T${time}Z`;
}
