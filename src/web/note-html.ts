import { escapeHtml, type Html } from "../search/highlight.ts";

/**
 * A note's Markdown as HTML, escaped first and then marked up, as highlighting is: the note is
 * escaped whole, and only tags made here are added, so nothing a note holds can become markup
 * of its own. The Markdown is the part notes use: paragraphs and line breaks, lists, quotes,
 * headings (shown as bold lines, so a note cannot upset the page's outline), `code`,
 * **bold**, *italic*, and links to http(s) addresses, written or bare.
 */
export function noteHtml(note: string): Html {
  const blocks = note
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n/)
    .map((b) => b.replace(/^\n+/, "").trimEnd())
    .filter(Boolean);
  return blocks.map(blockHtml).join("\n") as Html;
}

function blockHtml(block: string): string {
  const lines = block.split("\n");
  const every = (re: RegExp) => lines.every((l) => re.test(l));
  if (every(/^\s*[-*+] /))
    return `<ul>${lines.map((l) => `<li>${inline(l.replace(/^\s*[-*+] /, ""))}</li>`).join("")}</ul>`;
  if (every(/^\s*\d{1,9}[.)] /))
    return `<ol>${lines.map((l) => `<li>${inline(l.replace(/^\s*\d{1,9}[.)] /, ""))}</li>`).join("")}</ol>`;
  if (every(/^\s*>/))
    return `<blockquote><p>${lines.map((l) => inline(l.replace(/^\s*> ?/, ""))).join("<br>")}</p></blockquote>`;
  const heading = /^#{1,6}[ \t](.*)$/.exec(lines[0]!);
  if (heading) {
    const rest = lines.slice(1);
    return `<p><strong>${inline(heading[1]!)}</strong>${rest.length ? `<br>${rest.map(inline).join("<br>")}` : ""}</p>`;
  }
  return `<p>${lines.map(inline).join("<br>")}</p>`;
}

/** One line: code spans kept as they are, the rest escaped and marked up. */
function inline(line: string): string {
  return line
    .split(/(`[^`\n]+`)/)
    .map((part, i) =>
      i % 2 === 1
        ? `<code>${escapeHtml(part.slice(1, -1))}</code>`
        : marked(escapeHtml(part)),
    )
    .join("");
}

// A web address in escaped text: it runs to a space, `<` or an entity other than `&amp;`.
const ADDRESS = /https?:\/\/(?:[^\s<&]|&amp;)+/y;
// What ends a sentence rather than an address.
const TRAILING = /[.,;:!?)\]'"]$/;
const WORD = /[\p{L}\p{N}_]/u;

/**
 * Escaped text with its links, **strong**, *em* and _em_ marked, read left to right once: each
 * opening mark looks only as far as the next mark of its kind, so the work stays linear.
 */
function marked(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "[") {
      const found = writtenLink(text, i);
      if (found) {
        out += found.html;
        i = found.end;
        continue;
      }
    }
    if (c === "h" && (i === 0 || !WORD.test(text[i - 1]!))) {
      ADDRESS.lastIndex = i;
      const match = ADDRESS.exec(text);
      if (match) {
        let url = match[0];
        while (TRAILING.test(url) && !url.endsWith("&amp;"))
          url = url.slice(0, -1);
        out += link(url, url);
        i += url.length;
        continue;
      }
    }
    if (c === "*" || (c === "_" && (i === 0 || !WORD.test(text[i - 1]!)))) {
      const mark = text.startsWith(`${c}${c}`, i) && c === "*" ? "**" : c;
      const from = i + mark.length;
      const close = text.indexOf(mark, from);
      const inner = close > from ? text.slice(from, close) : "";
      const after = text[close + mark.length];
      if (
        inner &&
        !/^\s|\s$/.test(inner) &&
        !inner.includes(c) &&
        (c !== "_" || after === undefined || !WORD.test(after))
      ) {
        const tag = mark === "**" ? "strong" : "em";
        out += `<${tag}>${inner}</${tag}>`;
        i = close + mark.length;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

/** `[text](https://…)` at `at`, as a link; undefined when it is not one. */
function writtenLink(
  text: string,
  at: number,
): { html: string; end: number } | undefined {
  const middle = text.indexOf("](", at + 1);
  if (middle < 0 || middle - at > 300) return undefined;
  const label = text.slice(at + 1, middle);
  if (!label || label.includes("[")) return undefined;
  ADDRESS.lastIndex = middle + 2;
  // The address ends at the first `)`: the one that closes the link.
  const url = ADDRESS.exec(text)?.[0].split(")")[0];
  const end = middle + 2 + (url?.length ?? 0);
  if (!url || text[end] !== ")") return undefined;
  return { html: link(url, label), end: end + 1 };
}

// `href` and `text` are already escaped: an escaped quote cannot end the attribute.
function link(href: string, text: string): string {
  return `<a href="${href}" rel="nofollow noopener noreferrer">${text}</a>`;
}
