/**
 * Saved web pages: the statement, not the page. The page's own metadata (JSON-LD, Open Graph,
 * Dublin Core, `<html lang>`) gives the headline, date, source, address and language;
 * Mozilla's Readability, run over linkedom's DOM, finds the main text, after the page's
 * chrome (menus, footers, cookie banners, share buttons, related lists) is taken out.
 */
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { findDate } from "./find-date.ts";
import { capElements, MAX_DEPTH, MAX_ELEMENTS } from "./html-caps.ts";
import { FormatError, type Parsed } from "./format-contract.ts";
import { parseDate } from "../text/dates.ts";
import { primaryLanguage } from "../text/language.ts";
import { blocksOf, textOf, type El } from "./blocks.ts";
import type { RawRecord } from "./statement.ts";

interface Doc extends El {
  documentElement: El;
  body: El | null;
  title: string;
}

/** Reads a saved web page: one statement, and what was capped in a page nested too deep. */
export function parseHtml(bytes: Uint8Array): Parsed {
  const capped = capElements(decodeHtml(bytes));
  const html = capped.html;
  const problems: Parsed["problems"] = [];
  if (capped.dropped > 0)
    problems.push({
      message: `the page nests its elements ${capped.deepest} deep in ${capped.elements.toLocaleString("en")} elements: ${capped.dropped.toLocaleString("en")} tags past depth ${MAX_DEPTH} or element ${MAX_ELEMENTS.toLocaleString("en")} were dropped, their text kept`,
      kept: true,
    });
  const { document } = parseHTML(html) as unknown as { document: Doc };
  const page = readPage(document, html);
  if (!page.body) throw new FormatError("no text found in the page");
  if (!page.title)
    throw new FormatError("no headline or title found in the page");
  const record: RawRecord = { title: page.title, body: page.body };
  if (page.date) record.date = page.date;
  if (page.source) record.source = page.source;
  if (page.url) record.url = page.url;
  if (page.lang) record.lang = page.lang;
  return { records: [{ record }], problems };
}

// Charset

const BOMS: [number[], string][] = [
  [[0xef, 0xbb, 0xbf], "utf-8"],
  [[0xff, 0xfe], "utf-16le"],
  [[0xfe, 0xff], "utf-16be"],
];

// `<meta charset="utf-8">`, `<meta http-equiv=… content="text/html; charset=utf-8">`. Blanks
// after the quote belong to the quote (`\s*["']?\s*` would give a run of them two ways to
// split, tried in turn).
const META_CHARSET =
  /<meta[^>]{0,200}?charset\s*=\s*(?:["']\s*)?([\w.:-]{1,40})/i;

/**
 * The page's text: by its byte order mark, else the charset its `<meta>` (or XML
 * declaration) names in the first 4 KiB, else UTF-8 when the bytes are valid UTF-8, else
 * windows-1252, as browsers do. Legacy charsets (windows-1251, GBK, Shift_JIS …) are decoded
 * by the platform's TextDecoder.
 */
export function decodeHtml(bytes: Uint8Array): string {
  for (const [mark, label] of BOMS)
    if (mark.every((b, i) => bytes[i] === b))
      return new TextDecoder(label).decode(bytes.subarray(mark.length));
  const head = new TextDecoder("windows-1252").decode(bytes.subarray(0, 4096));
  const declared =
    META_CHARSET.exec(head)?.[1] ??
    /<\?xml[^>]{0,100}?encoding\s*=\s*["']([\w.:-]{1,40})/i.exec(head)?.[1];
  if (declared) {
    try {
      // A page that says UTF-16 in ASCII bytes is not UTF-16 (the HTML standard's rule).
      const label = /^utf-?16/i.test(declared) ? "utf-8" : declared;
      return new TextDecoder(label).decode(bytes);
    } catch {
      // An unknown charset name: guess as if none were given.
    }
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

// The page

interface Page {
  title?: string;
  date?: string;
  source?: string;
  url?: string;
  lang?: string;
  body?: string;
}

function readPage(document: Doc, html: string): Page {
  const meta = readMeta(document);
  const lang = pageLanguage(document, meta);
  const url = pageUrl(document, meta, html);
  const siteNames = [
    ...meta.get("og:site_name"),
    ...meta.jsonLd("publisher.name"),
    ...meta.get("sitename"),
    ...meta.get("application-name"),
    ...meta.get("dcterms.publisher"),
    ...meta.get("dc.publisher"),
    ...(url ? [hostOf(url)] : []),
  ];
  const titles = [
    ...meta.jsonLd("headline"),
    ...meta.get("articletitle"),
    ...meta.get("og:title"),
    ...meta.get("twitter:title"),
    ...meta.get("dcterms.title"),
    ...meta.get("dc.title"),
    ...meta.get("citation_title"),
    ...meta.get("title"),
    ...(document.querySelector("title")
      ? [textOf(document.querySelector("title")!)]
      : []),
  ]
    .map(cleanTitle)
    .filter(Boolean);

  removeChrome(document);
  const headline = findHeadline(document, titles);
  const title = stripSiteName(
    headline ? cleanTitle(textOf(headline)) : (titles[0] ?? ""),
    siteNames,
  );

  const firstTime = document.querySelector("time[datetime]");
  const blocks = mainText(document, title);
  const date =
    firstIso([
      ...meta.jsonLd("datePublished"),
      ...meta.jsonLd("dateCreated"),
      ...attributes(document, "[itemprop=datePublished]"),
      ...PUBLISHED.flatMap((name) => meta.get(name)),
      ...(firstTime ? [firstTime.getAttribute("datetime") ?? ""] : []),
    ]) ??
    datelineOf(blocks, lang) ??
    firstReadable(
      PUBLISHED.flatMap((name) => meta.get(name)),
      lang,
    ) ??
    (title ? findDate(title, lang)?.iso : undefined) ??
    findDate(blocks.join("\n\n"), lang, 1500)?.iso ??
    firstReadable(
      [
        ...meta.jsonLd("dateModified"),
        ...MODIFIED.flatMap((name) => meta.get(name)),
      ],
      lang,
    );

  const page: Page = { body: blocks.join("\n\n") };
  if (title) page.title = title;
  if (date) page.date = date;
  const source = siteNames.map((s) => s.trim()).find(Boolean);
  if (source) page.source = source;
  if (url) page.url = url;
  if (lang) page.lang = lang;
  return page;
}

// Metadata

const PUBLISHED = [
  "article:published_time",
  "og:published_time",
  "published_time",
  "datepublished",
  "dc.date.issued",
  "dcterms.issued",
  "dc.date.created",
  "dcterms.created",
  "dc.date",
  "dcterms.date",
  "citation_publication_date",
  "citation_date",
  "pubdate",
  "publishdate",
  "publish-date",
  "publish_date",
  "sailthru.date",
  "parsely-pub-date",
  "date",
];
const MODIFIED = [
  "article:modified_time",
  "og:updated_time",
  "dcterms.modified",
  "dc.date.modified",
  "last-modified",
];

interface Meta {
  /** The values of `<meta name|property|itemprop=…>`, name lower-cased, in page order. */
  get(name: string): string[];
  /** The values at a path (`publisher.name`) of the page's JSON-LD objects. */
  jsonLd(path: string): string[];
}

function readMeta(document: Doc): Meta {
  const metas = new Map<string, string[]>();
  for (const el of Array.from(document.querySelectorAll("meta"))) {
    const name = (
      el.getAttribute("property") ??
      el.getAttribute("name") ??
      el.getAttribute("itemprop") ??
      el.getAttribute("http-equiv") ??
      ""
    ).toLowerCase();
    const content = el.getAttribute("content")?.trim();
    if (!name || !content) continue;
    metas.set(name, [...(metas.get(name) ?? []), content]);
  }
  const objects: unknown[] = [];
  for (const el of Array.from(
    document.querySelectorAll('script[type="application/ld+json"]'),
  )) {
    const text = el.textContent ?? "";
    if (text.length > 1_000_000) continue;
    try {
      collectObjects(JSON.parse(text), objects, 0);
    } catch {
      // Broken JSON-LD is common; the page's other metadata still counts.
    }
  }
  return {
    get: (name) => metas.get(name) ?? [],
    jsonLd: (path) =>
      objects.flatMap((o) => valuesAt(o, path.split("."))).filter(Boolean),
  };
}

// Objects of JSON-LD, with `@graph` lists and arrays flattened; bounded in depth.
function collectObjects(value: unknown, out: unknown[], depth: number): void {
  if (depth > 4 || value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (const v of value.slice(0, 100)) collectObjects(v, out, depth + 1);
    return;
  }
  out.push(value);
  const graph = (value as Record<string, unknown>)["@graph"];
  if (graph) collectObjects(graph, out, depth + 1);
}

function valuesAt(value: unknown, path: string[]): string[] {
  if (path.length === 0) {
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.flatMap((v) => valuesAt(v, []));
    return [];
  }
  if (value === null || typeof value !== "object") return [];
  if (Array.isArray(value)) return value.flatMap((v) => valuesAt(v, path));
  const next = Object.hasOwn(value, path[0]!)
    ? (value as Record<string, unknown>)[path[0]!]
    : undefined;
  return valuesAt(next, path.slice(1));
}

function attributes(document: Doc, selector: string): string[] {
  return Array.from(document.querySelectorAll(selector)).map(
    (el) =>
      el.getAttribute("content") ?? el.getAttribute("datetime") ?? textOf(el),
  );
}

function pageLanguage(document: Doc, meta: Meta): string | undefined {
  const html = document.documentElement;
  const candidates = [
    html?.getAttribute("lang"),
    html?.getAttribute("xml:lang"),
    ...meta.get("content-language"),
    ...meta.get("language"),
    ...meta.get("dc.language"),
    ...meta.get("dcterms.language"),
    ...meta.get("og:locale"),
    ...meta.jsonLd("inLanguage"),
  ];
  for (const c of candidates) {
    const lang = c && primaryLanguage(c);
    if (lang) return lang;
  }
  return undefined;
}

function pageUrl(document: Doc, meta: Meta, html: string): string | undefined {
  const canonical = document
    .querySelector('link[rel="canonical"]')
    ?.getAttribute("href");
  // Browsers note where a page was saved from in a comment at its top.
  const savedFrom = /<!--\s*saved from url=\(\d+\)(\S+?)\s*-->/i.exec(
    html.slice(0, 2000),
  )?.[1];
  const candidates = [
    ...meta.get("og:url"),
    ...meta.jsonLd("url"),
    ...(savedFrom ? [savedFrom] : []),
    ...meta.get("url"),
  ];
  const base = candidates.find(isWebAddress);
  if (canonical) {
    try {
      const resolved = new URL(canonical, base).href;
      if (isWebAddress(resolved)) return resolved;
    } catch {
      // A relative canonical link with nothing to resolve it against.
    }
  }
  return base;
}

function isWebAddress(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}

function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^www\./, "");
}

// Dates

const ISO_START = /^\s*\d{4}-\d{2}-\d{2}/;

/** The first value that is an unambiguous ISO-8601 date. */
function firstIso(values: string[]): string | undefined {
  for (const value of values) {
    if (!ISO_START.test(value)) continue;
    const date =
      parseDate(value.trim()) ?? parseDate(value.trim().slice(0, 10));
    if (date) return date;
  }
  return undefined;
}

/** The first value parseDate can read in the page's language. */
function firstReadable(values: string[], lang?: string): string | undefined {
  const read = parseDate as (raw: string, lang?: string) => string | undefined;
  for (const value of values) {
    const date = read(value, lang) ?? findDate(value, lang)?.iso;
    if (date) return date;
  }
  return undefined;
}

/**
 * A date printed on a line of its own near the headline or at the end of the text
 * ("Datum 28.01.2022", "December 6, 2021, Minsk"): a dateline, which dates the statement,
 * unlike dates inside its sentences.
 */
function datelineOf(blocks: string[], lang?: string): string | undefined {
  const near = [...blocks.slice(0, 4), ...blocks.slice(-3).reverse()];
  for (const block of near) {
    if (block.length > 80) continue;
    const found = findDate(block, lang);
    if (found) return found.iso;
  }
  return undefined;
}

// Chrome

const CHROME_ELEMENTS = [
  "script",
  "style",
  "noscript",
  "template",
  "iframe",
  "object",
  "embed",
  "svg",
  "canvas",
  "form",
  "select",
  "button",
  "input",
  "textarea",
  "nav",
  "footer",
  "aside",
  "dialog",
  "menu",
  '[role="navigation"]',
  '[role="contentinfo"]',
  '[role="search"]',
  '[role="dialog"]',
  '[role="alertdialog"]',
  '[role="menu"]',
  '[role="menubar"]',
  '[aria-hidden="true"]',
  "[hidden]",
].join(",");
// Class or id words of page furniture: cookie banners, share buttons, breadcrumbs, related
// lists, text only for screen readers.
const CHROME_NAMES =
  /(?:^|[\s_-])(?:cookies?|consent|gdpr|share|sharing|social|socials|breadcrumbs?|bread-crumbs|related|newsletter|subscribe|skip|skiplinks?|visually-hidden|visuallyhidden|sr-only|aural|screen-reader-text|screenreader|element-invisible|offscreen|print|pagination|pager|toolbar|advert|ads|banner|popup|modal|tags|keywords)(?:$|[\s_-])/i;

const HIDDEN_STYLE =
  /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i;

/**
 * Takes out what is never the statement: menus, footers, forms, hidden and script elements,
 * and elements whose class or id names them furniture, unless such an element holds most of
 * the page's text (a site that calls its article wrapper "share-container").
 */
function removeChrome(document: Doc): void {
  for (const el of Array.from(document.querySelectorAll(CHROME_ELEMENTS)))
    el.remove();
  for (const el of Array.from(document.querySelectorAll("[style]")))
    if (HIDDEN_STYLE.test(el.getAttribute("style") ?? "")) el.remove();
  const body = document.body;
  if (!body) return;
  const total = textOf(body).length;
  for (const el of Array.from(body.querySelectorAll("[class], [id]"))) {
    const names = `${el.getAttribute("class") ?? ""} ${el.getAttribute("id") ?? ""}`;
    if (!CHROME_NAMES.test(names)) continue;
    if (el.querySelector("h1")) continue;
    if (textOf(el).length > total * 0.4) continue;
    el.remove();
  }
}

// Headline and title

/**
 * The element that holds the statement's own headline: an `<h1>`, or else an element whose
 * class or id says title or headline, whose text is part of one of the page's titles (which
 * often add the site's name). Without titles to compare, the first `<h1>` with two words.
 */
function findHeadline(document: Doc, titles: string[]): El | undefined {
  const body = document.body;
  if (!body) return undefined;
  const wanted = titles.map(normalize).filter((t) => t.length >= 4);
  // The part of a title before its first separator: `EP TODAY | News | European Parliament`.
  const leads = titles.map((t) => normalize(t.split(TITLE_SEPARATOR)[0]!));
  const candidates = [
    ...Array.from(body.querySelectorAll("h1")),
    ...Array.from(
      body.querySelectorAll(
        '[class*="title" i], [id*="title" i], [class*="headline" i], [itemprop="headline"]',
      ),
    ),
    ...Array.from(body.querySelectorAll("h2")),
  ];
  for (const el of candidates) {
    const text = normalize(textOf(el));
    if (text.length < 4) continue;
    if (
      leads.includes(text) ||
      wanted.some((t) => t.includes(text) && text.length * 3 >= t.length)
    )
      return el;
  }
  if (wanted.length === 0)
    return Array.from(body.querySelectorAll("h1")).find(
      (el) => textOf(el).split(/\s+/).length >= 2,
    );
  return undefined;
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

/**
 * A title as pages write it: markup written out as text (`&lt;br&gt;`) dropped, whitespace
 * collapsed; between two Chinese or Japanese characters a line break was no space.
 */
function cleanTitle(text: string): string {
  return text
    .replace(/<\/?[a-z][^<>]{0,100}>/gi, " ")
    .replace(/\s+/g, " ")
    .replace(
      /(?<=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]) (?=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])/gu,
      "",
    )
    .trim();
}

// `a | b`, `a – b`, `a - b`, `a_b` (the last underscore). The lookbehind tries blanks only
// from the first of a run: from each blank of a long run in turn the scan would take
// quadratic time.
const TITLE_SEPARATOR = /(?<!\s)\s+(?:[|–—·•»«:]{1,2}|-)\s+|_(?=[^_]*$)/u;

/**
 * A `<title>` without the site's name: `Headline | News | European Parliament` gives
 * `Headline`. Parts that name the site (its name or host), and short parts beside a long one
 * (`News`, `Aktuelles`), are dropped; a title whose parts are all short is kept whole.
 */
export function stripSiteName(title: string, siteNames: string[]): string {
  const parts = title
    .split(TITLE_SEPARATOR)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length < 2) return title;
  const names = siteNames
    .flatMap((n) => [normalize(n), normalize(n.split(".")[0] ?? "")])
    .filter((n) => n.length >= 3);
  const words = (p: string) => p.split(/\s+/).length;
  const isLong = (p: string) => words(p) >= 4 || p.length >= 20;
  let kept = parts.filter((p) => {
    const n = normalize(p);
    return !names.some((name) => name === n || name.includes(n) || n === name);
  });
  if (kept.some(isLong)) kept = kept.filter(isLong);
  if (kept.length === 0) return title;
  return kept.length === 1 ? kept[0]! : title;
}

// Main text

/**
 * The statement's text as paragraphs: Readability's choice of the page's main content,
 * walked block by block. Blocks that are mostly links (breadcrumbs, lists of other news)
 * and a repeat of the headline are left out. Falls back to the page's `<main>`, `<article>`
 * or body when Readability finds no article.
 */
function mainText(document: Doc, headline?: string): string[] {
  // Readability changes the document it reads: run it last.
  const main =
    document.querySelector("main") ??
    document.querySelector("article") ??
    document.body;
  const fallback = main ? blocksOf(main).map((b) => b.text) : [];
  let article: El | null | undefined;
  try {
    article = new Readability<El>(document as never, {
      // Short statements are common (two sentences announcing a visit): accept the best
      // candidate however short, rather than retry with looser rules that take in the page.
      charThreshold: 20,
      serializer: (el) => el as unknown as El,
    }).parse()?.content;
  } catch {
    article = undefined;
  }
  const blocks = article ? blocksOf(article).map((b) => b.text) : [];
  const chosen =
    blocks.join("").length >= 200 || fallback.length === 0 ? blocks : fallback;
  const repeat = headline && normalize(headline);
  return withoutFooter(chosen).filter(
    (b, i) => !(i < 3 && repeat && normalize(b) === repeat),
  );
}

// A copyright line in any of the languages statements come in marks a page's footer.
const COPYRIGHT =
  /©|\(c\)\s*\d{4}|copyright|all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|все права защищены|版权所有|版權所有|ICP备|著作権/i;

/** The blocks before a page footer that the main text took in: from a copyright line on. */
function withoutFooter(blocks: string[]): string[] {
  const from = Math.floor(blocks.length / 2);
  for (let i = Math.max(1, from); i < blocks.length; i++)
    if (blocks[i]!.length < 400 && COPYRIGHT.test(blocks[i]!))
      return blocks.slice(0, i);
  return blocks;
}
