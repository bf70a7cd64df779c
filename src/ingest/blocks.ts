/** Paragraphs from a DOM: what web pages and Word files (through their HTML) share. */

/** The little of the DOM this module uses; linkedom provides it. */
export interface El {
  tagName: string;
  nodeType: number;
  textContent: string | null;
  parentNode: El | null;
  childNodes: ArrayLike<El>;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<El>;
  querySelector(selector: string): El | null;
  contains(other: El): boolean;
  remove(): void;
}
const BLOCKS = new Set([
  "ADDRESS",
  "ARTICLE",
  "BLOCKQUOTE",
  "DD",
  "DIV",
  "DL",
  "DT",
  "FIGCAPTION",
  "FIGURE",
  "H1",
  "H2",
  "H3",
  "H4",
  "H5",
  "H6",
  "HEADER",
  "HR",
  "LI",
  "MAIN",
  "OL",
  "P",
  "PRE",
  "SECTION",
  "TABLE",
  "TBODY",
  "THEAD",
  "TFOOT",
  "UL",
]);
const SKIPPED = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "SVG"]);

/** A paragraph of a document's text, and whether it is a heading. */
export interface Block {
  text: string;
  heading: boolean;
}

/**
 * The text of each block under `root`: a paragraph, heading, list item; a table row is one
 * block, its cells joined by ` | `. Blocks that are mostly links and short (a breadcrumb, a
 * menu left over, a list of other news) are left out.
 */
export function blocksOf(root: El): Block[] {
  const out: Block[] = [];
  let heading = false;
  let text = "";
  let linked = 0;
  const flush = () => {
    const block = text
      .split("\n")
      .map((line) => line.replace(/[ \t\u00a0]+/g, " ").trim())
      .filter(Boolean)
      .join("\n");
    // Mostly links and short: a breadcrumb, a menu left over, a list of other news.
    const links = block.length > 0 ? linked / block.length : 0;
    const chrome =
      (links > 0.6 && block.length < 300) ||
      (links >= 0.4 && block.length < 40);
    if (block && !chrome) out.push({ text: block, heading });
    text = "";
    linked = 0;
    heading = false;
  };
  const walk = (node: El, inLink: boolean, pre: boolean) => {
    if (node.nodeType === 3) {
      const value = pre
        ? (node.textContent ?? "")
        : (node.textContent ?? "").replace(/\s+/g, " ");
      text += value;
      if (inLink) linked += value.trim().length;
      return;
    }
    if (node.nodeType !== 1) return;
    const tag = node.tagName.toUpperCase();
    if (SKIPPED.has(tag)) return;
    if (tag === "BR") {
      text += "\n";
      return;
    }
    if (tag === "TR") {
      flush();
      const cells = Array.from(node.childNodes)
        .filter((c) => c.nodeType === 1)
        .map((c) =>
          blocksOf(c)
            .map((b) => b.text)
            .join(" "),
        )
        .filter(Boolean);
      text = cells.join(" | ");
      flush();
      return;
    }
    const block = BLOCKS.has(tag);
    if (block) flush();
    if (/^H[1-6]$/.test(tag)) heading = true;
    for (const child of Array.from(node.childNodes))
      walk(child, inLink || tag === "A", pre || tag === "PRE");
    if (block) flush();
  };
  walk(root, false, false);
  flush();
  return out;
}

/** An element's text, whitespace collapsed. */
export function textOf(el: El): string {
  return (el.textContent ?? "").replace(/\s+/g, " ").trim();
}

/** The body without its first paragraph when that is the title (the page shows the title). */
export function withoutTitle(body: string, title?: string): string {
  if (!title) return body;
  const end = body.indexOf("\n\n");
  const first = end < 0 ? body : body.slice(0, end);
  const same = (a: string) => a.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  return end > 0 && same(first) === same(title) ? body.slice(end + 2) : body;
}
