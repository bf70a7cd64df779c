import { decodeHTMLStrict } from "entities";
import { Lexer, type Token, type Tokens } from "marked";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { decodeText } from "./files.ts";
import { FormatError, type Parsed } from "./format-contract.ts";
import type { RawRecord } from "./statement.ts";

export { FormatError } from "./format-contract.ts";

/** The Markdown format's parser for the format table: one statement per file. */
export function parseMarkdownFile(bytes: Uint8Array): Parsed {
  return {
    records: [{ record: parseMarkdown(decodeText(bytes)) }],
    problems: [],
  };
}

const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/;

/**
 * Reads a Markdown statement: YAML front matter (title, date, source, url and any other keys)
 * and the Markdown's text as the body. Without a front-matter title, the first heading is
 * the title.
 */
export function parseMarkdown(text: string): RawRecord {
  const normalized = text.replace(/\r\n?/g, "\n");
  const match = FRONT_MATTER.exec(normalized);
  let front: RawRecord = {};
  if (match) {
    front = readFrontMatter(match[1]!);
  } else if (normalized.startsWith("---\n")) {
    throw new FormatError('front matter is not closed by a "---" line', 1);
  }
  const blocks = markdownBlocks(
    match ? normalized.slice(match[0].length) : normalized,
  );
  if (front.title === undefined && blocks[0]?.heading) {
    front.title = blocks.shift()!.text;
  }
  return { ...front, body: blocks.map((b) => b.text).join("\n\n") };
}

function readFrontMatter(yaml: string): RawRecord {
  let data: unknown;
  try {
    // An unknown tag (`title: !note Text`) is read as the plain value. The library would
    // also warn on the server's console, naming neither the file nor the line; errors still throw.
    data = parseYaml(yaml, { logLevel: "error" });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const line = err.linePos?.[0].line;
      const reason = (err.message.split("\n")[0] ?? "").replace(
        / at line \d+, column \d+:?$/,
        "",
      );
      throw new FormatError(
        `front matter is not valid YAML: ${reason}`,
        line && line + 1,
      );
    }
    throw err;
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data)) {
    throw new FormatError(
      'front matter must be a set of "key: value" lines',
      2,
    );
  }
  return { ...(data as RawRecord) };
}

interface Block {
  text: string;
  heading: boolean;
}

/** The text of each Markdown block (paragraph, heading, list item, table row), markup removed. */
function markdownBlocks(markdown: string): Block[] {
  const out: Block[] = [];
  const visit = (tokens: Token[]) => {
    for (const token of tokens) {
      switch (token.type) {
        case "heading":
        case "paragraph":
          out.push({
            text: inline(token.tokens ?? []),
            heading: token.type === "heading",
          });
          break;
        case "text":
          out.push({
            text: token.tokens ? inline(token.tokens) : decode(token.text),
            heading: false,
          });
          break;
        case "code":
          out.push({ text: token.text, heading: false });
          break;
        case "html":
          out.push({ text: decode(stripTags(token.text)), heading: false });
          break;
        case "blockquote":
          visit(token.tokens ?? []);
          break;
        case "list":
          for (const item of (token as Tokens.List).items) visit(item.tokens);
          break;
        case "table": {
          const table = token as Tokens.Table;
          for (const row of [table.header, ...table.rows]) {
            out.push({
              text: row.map((cell) => inline(cell.tokens)).join(" | "),
              heading: false,
            });
          }
          break;
        }
      }
    }
  };
  visit(new Lexer().lex(markdown));
  return out.map((b) => ({ ...b, text: b.text.trim() })).filter((b) => b.text);
}

function inline(tokens: Token[]): string {
  return tokens
    .map((t): string => {
      if (t.type === "br") return "\n";
      if (t.type === "html") return "";
      if (t.type === "image") return t.text;
      if ("tokens" in t && t.tokens && t.tokens.length > 0)
        return inline(t.tokens);
      return "text" in t && typeof t.text === "string" ? decode(t.text) : "";
    })
    .join("");
}

function stripTags(html: string): string {
  return html.replace(/<[^<>]*>/g, " ");
}

/**
 * Markdown keeps HTML entities for its HTML output; the text wants the characters. Every
 * named entity of HTML is known (`&eacute;`, `&rsquo;`), and, as in CommonMark, only with
 * its semicolon.
 */
function decode(text: string): string {
  return decodeHTMLStrict(text);
}
