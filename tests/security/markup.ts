/**
 * A small HTML tag scanner for the security tests (no HTML parser is installed, and the
 * tests must not add one). Escaped output has no raw `<` in its text, so every `<` must open
 * a tag the site's own templates write, with attributes they write; anything else came from
 * a payload.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface Tag {
  name: string;
  closing: boolean;
  attrs: [name: string, value: string | undefined][];
  /** Offset of the `<` in the page. */
  at: number;
}

/** Every tag of a page, and what is not a tag: a `<` that opens nothing is reported. */
export function scanTags(html: string): { tags: Tag[]; strays: number[] } {
  const tags: Tag[] = [];
  const strays: number[] = [];
  let i = 0;
  for (;;) {
    const lt = html.indexOf("<", i);
    if (lt < 0) break;
    if (/^<!doctype html>/i.test(html.slice(lt, lt + 15))) {
      i = lt + 15;
      continue;
    }
    const open = /^<(\/?)([a-zA-Z][^\s/>]*)/.exec(html.slice(lt, lt + 200));
    if (!open) {
      strays.push(lt);
      i = lt + 1;
      continue;
    }
    const tag: Tag = {
      name: open[2]!.toLowerCase(),
      closing: open[1] === "/",
      attrs: [],
      at: lt,
    };
    // Attributes as the HTML tokenizer reads them: name, optional `=` and a quoted or bare value.
    let j = lt + open[0].length;
    for (;;) {
      while (j < html.length && /[\s/]/.test(html[j]!)) j++;
      if (j >= html.length || html[j] === ">") break;
      const name = /^[^\s/>][^\s/>=]*/.exec(html.slice(j))![0];
      j += name.length;
      let value: string | undefined;
      const eq = /^\s*=\s*/.exec(html.slice(j));
      if (eq) {
        j += eq[0].length;
        const quote = html[j];
        if (quote === '"' || quote === "'") {
          const end = html.indexOf(quote, j + 1);
          value = html.slice(j + 1, end < 0 ? html.length : end);
          j = end < 0 ? html.length : end + 1;
        } else {
          value = /^[^\s>]*/.exec(html.slice(j))![0];
          j += value.length;
        }
      }
      tag.attrs.push([name.toLowerCase(), value]);
    }
    tags.push(tag);
    i = j + 1;
  }
  return { tags, strays };
}

const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
};

/** Decodes the entities a browser would in an attribute value or text. */
export function decodeEntities(text: string): string {
  return text.replace(
    /&(?:#(\d+)|#x([0-9a-f]+)|([a-z]+));?/gi,
    (whole, dec?: string, hex?: string, name?: string) => {
      if (name) return NAMED[name.toLowerCase()] ?? whole;
      const code = dec ? parseInt(dec, 10) : parseInt(hex!, 16);
      return code > 0 && code <= 0x10ffff
        ? String.fromCodePoint(code)
        : "\ufffd";
    },
  );
}

/**
 * The tags and attributes the site's templates write, read from views/ so that a template
 * change needs no change here. Boolean attributes a template adds from a string
 * (`' checked'`) are read from its string literals.
 */
export function siteVocabulary(
  viewsDir = path.join(import.meta.dirname, "..", "..", "views"),
): { tags: Set<string>; attrs: Set<string> } {
  const tags = new Set<string>();
  const attrs = new Set<string>();
  const files = readdirSync(viewsDir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ejs"))
    .map((f) => readFileSync(path.join(viewsDir, f), "utf8"));
  for (const source of files) {
    for (const [, code] of source.matchAll(/<%[-=_]?([\s\S]*?)[-_]?%>/g))
      for (const [, word] of code!.matchAll(/['"]\s+([a-z-]+)['"]/g))
        attrs.add(word!);
    const markup = source.replace(/<%[\s\S]*?%>/g, "x");
    for (const tag of scanTags(markup).tags) {
      tags.add(tag.name);
      for (const [name] of tag.attrs) attrs.add(name);
    }
  }
  // highlight.ts writes the one tag that is not in a template; note-html.ts those of a
  // note's Markdown.
  for (const tag of ["mark", "strong", "em", "code", "blockquote", "br", "ol"])
    tags.add(tag);
  attrs.add("rel");
  return { tags, attrs };
}

/** Attributes whose value a browser follows or loads. */
const URL_ATTR =
  /^(href|src|action|formaction|xlink:href|data|poster|cite|background|srcset|data-.*-url)$/;
/** Where the site's own links go: a path on this server, a fragment or a query. */
const LOCAL_URL = /^(\/(?![/\\])|#|\?)/;
const WEB_URL = /^https?:\/\//i;

/**
 * What in a page did not come from the site's templates: unknown tags, unknown or event
 * attributes, links that are not local (or, for `a.original`, not http(s)), inline scripts
 * and styles, raw `<` in text. Empty for a safe page.
 */
export function unsafeMarkup(
  html: string,
  vocabulary = siteVocabulary(),
): string[] {
  const problems: string[] = [];
  const { tags, strays } = scanTags(html);
  const near = (at: number) => JSON.stringify(html.slice(at, at + 80));
  for (const at of strays) problems.push(`raw "<" in text at ${near(at)}`);
  for (const [k, tag] of tags.entries()) {
    if (!vocabulary.tags.has(tag.name))
      problems.push(
        `tag <${tag.name}> the site never writes, at ${near(tag.at)}`,
      );
    const classes = tag.attrs.find(([n]) => n === "class")?.[1]?.split(/\s+/);
    for (const [name, raw] of tag.attrs) {
      if (/^on/.test(name) || !vocabulary.attrs.has(name))
        problems.push(`attribute ${name} on <${tag.name}> at ${near(tag.at)}`);
      if (name === "style" || name === "srcdoc")
        problems.push(`inline ${name} at ${near(tag.at)}`);
      if (!URL_ATTR.test(name) || raw === undefined) continue;
      // Browsers drop control characters and spaces around a URL before reading its scheme.
      const url = decodeEntities(raw).replace(/[\u0000-\u0020\u007f]+/g, "");
      // A publisher's link, or a link a note gives (note-html.ts: rel="nofollow …").
      const rel = tag.attrs.find(([n]) => n === "rel")?.[1] ?? "";
      const original =
        tag.name === "a" &&
        (classes?.includes("original") || /\bnofollow\b/.test(rel));
      if (original ? !WEB_URL.test(url) : !LOCAL_URL.test(url))
        problems.push(`${name}="${raw}" on <${tag.name}> at ${near(tag.at)}`);
    }
    if (tag.name === "script" && !tag.closing) {
      if (!tag.attrs.some(([n]) => n === "src"))
        problems.push(`inline script at ${near(tag.at)}`);
      const next = tags[k + 1];
      if (!next || next.name !== "script" || !next.closing)
        problems.push(`script with content at ${near(tag.at)}`);
      else if (html.slice(html.indexOf(">", tag.at) + 1, next.at).trim())
        problems.push(`script with content at ${near(tag.at)}`);
    }
  }
  return problems;
}

/** Elements of the XML documents Readout serves (Atom, OpenSearch). */
const XML_TAGS = new Set(
  "feed entry id title subtitle updated updated-means published generator link author name summary content category opensearchdescription shortname description inputencoding outputencoding url image query tags contact".split(
    " ",
  ),
);

/** As unsafeMarkup, for the feeds: Atom and OpenSearch elements only, absolute web links. */
export function unsafeXml(xml: string): string[] {
  const problems: string[] = [];
  const body = xml.replace(/^<\?xml[^?]*\?>/, "");
  const { tags, strays } = scanTags(body);
  const near = (at: number) => JSON.stringify(body.slice(at, at + 80));
  for (const at of strays) problems.push(`raw "<" in text at ${near(at)}`);
  for (const tag of tags) {
    if (!XML_TAGS.has(tag.name))
      problems.push(`element <${tag.name}> at ${near(tag.at)}`);
    for (const [name, raw] of tag.attrs) {
      if (/^on/.test(name) || name.startsWith("xmlns:"))
        problems.push(`attribute ${name} at ${near(tag.at)}`);
      if (name === "xmlns" && /xhtml|svg/i.test(raw ?? ""))
        problems.push(`namespace ${raw} at ${near(tag.at)}`);
      if (
        (name === "href" || name === "template") &&
        !WEB_URL.test(decodeEntities(raw ?? ""))
      )
        problems.push(`${name}="${raw}" at ${near(tag.at)}`);
    }
  }
  return problems;
}
