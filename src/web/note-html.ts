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
    .map((b) => b.replace(/^\n+|\s+$/g, ""))
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
  const heading = /^#{1,6}\s+(.*)$/.exec(lines[0]!);
  if (heading) {
    const rest = lines.slice(1);
    return `<p><strong>${inline(heading[1]!)}</strong>${rest.length ? `<br>${rest.map(inline).join("<br>")}` : ""}</p>`;
  }
  return `<p>${lines.map(inline).join("<br>")}</p>`;
}

// On escaped text: a URL runs to a space, `<` or an entity other than `&amp;` (an escaped
// quote ends it), and does not take the punctuation that ends a sentence.
const URL_TEXT = String.raw`https?:\/\/(?:[^\s<&]|&amp;)*(?:[^\s<&.,;:!?)\]'"]|&amp;)`;
const INLINE = new RegExp(
  [
    String.raw`\[([^\]\n]+)\]\((${URL_TEXT})\)`,
    `(${URL_TEXT})`,
    String.raw`\*\*([^*\n]+?)\*\*`,
    String.raw`\*([^*\s](?:[^*\n]*?[^*\s])?)\*`,
    String.raw`(?<![\p{L}\p{N}_])_([^_\s](?:[^_\n]*?[^_\s])?)_(?![\p{L}\p{N}_])`,
  ].join("|"),
  "gu",
);

/** One line: code spans kept as they are, the rest marked up. */
function inline(line: string): string {
  return line
    .split(/(`[^`\n]+`)/)
    .map((part, i) =>
      i % 2 === 1
        ? `<code>${escapeHtml(part.slice(1, -1))}</code>`
        : escapeHtml(part).replace(
            INLINE,
            (_m, text, href, bare, strong, em1, em2) =>
              href
                ? link(href, text)
                : bare
                  ? link(bare, bare)
                  : strong
                    ? `<strong>${strong}</strong>`
                    : `<em>${em1 ?? em2}</em>`,
          ),
    )
    .join("");
}

// `href` and `text` are already escaped: an escaped quote cannot end the attribute.
function link(href: string, text: string): string {
  return `<a href="${href}" rel="nofollow noopener noreferrer">${text}</a>`;
}
