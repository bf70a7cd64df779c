import path from "node:path";
import type { Format } from "./format-contract.ts";

export type {
  FileProblem,
  Format,
  ParseContext,
  Parsed,
  ParsedRecord,
} from "./format-contract.ts";
export { FormatError, OcrUnavailable } from "./format-contract.ts";

/** Every format, in the order `readout check` lists them. */
export const FORMATS: readonly Format[] = [
  {
    name: "text",
    extensions: [".txt"],
    contentType: "text/plain; charset=utf-8",
    shape: "whole",
    isolated: false,
    load: async () => (await import("./txt.ts")).parseTxtFile,
  },
  {
    name: "Markdown",
    extensions: [".md", ".markdown"],
    contentType: "text/markdown; charset=utf-8",
    shape: "whole",
    isolated: false,
    load: async () => (await import("./markdown.ts")).parseMarkdownFile,
  },
  {
    name: "JSON",
    extensions: [".json"],
    contentType: "application/json; charset=utf-8",
    shape: "whole",
    isolated: false,
    load: async () => (await import("./json.ts")).parseJsonFile,
  },
  {
    name: "JSON Lines",
    extensions: [".jsonl", ".ndjson"],
    contentType: "application/x-ndjson; charset=utf-8",
    shape: "lines",
    isolated: false,
    load: async () => (await import("./json.ts")).parseJsonLine,
  },
  {
    name: "web page",
    extensions: [".html", ".htm", ".xhtml"],
    // Served as a download only (see resolveOriginal): a saved page runs no script here.
    contentType: "text/html",
    shape: "whole",
    isolated: true,
    load: async () => (await import("./html.ts")).parseHtml,
  },
  {
    name: "PDF",
    extensions: [".pdf"],
    contentType: "application/pdf",
    shape: "whole",
    isolated: true,
    load: async () => (await import("./pdf.ts")).parsePdf,
  },
  {
    name: "Word",
    extensions: [".docx"],
    contentType:
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    shape: "whole",
    isolated: true,
    load: async () => (await import("./docx.ts")).parseDocx,
  },
  {
    name: "Word 97–2003",
    extensions: [".doc"],
    contentType: "application/msword",
    shape: "whole",
    isolated: true,
    load: async () => (await import("./doc.ts")).parseDoc,
  },
  {
    name: "OpenDocument text",
    extensions: [".odt"],
    contentType: "application/vnd.oasis.opendocument.text",
    shape: "whole",
    isolated: true,
    load: async () => (await import("./odt.ts")).parseOdt,
  },
  {
    name: "RTF",
    extensions: [".rtf"],
    contentType: "application/rtf",
    shape: "whole",
    isolated: true,
    load: async () => (await import("./rtf.ts")).parseRtf,
  },
  {
    name: "e-mail",
    extensions: [".eml"],
    contentType: "message/rfc822",
    shape: "whole",
    isolated: true,
    load: async () => (await import("./mail.ts")).parseEml,
  },
  {
    name: "mailbox",
    extensions: [".mbox"],
    contentType: "application/mbox",
    shape: "whole",
    isolated: true,
    load: async () => (await import("./mail.ts")).parseMbox,
  },
  ...(
    [
      ["PNG image", [".png"], "image/png"],
      ["JPEG image", [".jpg", ".jpeg"], "image/jpeg"],
      ["TIFF image", [".tif", ".tiff"], "image/tiff"],
    ] as const
  ).map(([name, extensions, contentType]): Format => ({
    name,
    extensions,
    contentType,
    shape: "whole",
    // Read by Tesseract, a program of its own, started from a worker that bounds it.
    isolated: true,
    load: async () => (await import("./image.ts")).parseImage,
  })),
];

const BY_EXTENSION = new Map(
  FORMATS.flatMap((format) => format.extensions.map((ext) => [ext, format])),
);

/** The format of a file, by its extension (any case), or undefined for other files. */
export function formatOf(file: string): Format | undefined {
  return BY_EXTENSION.get(path.extname(file).toLowerCase());
}

/** `.txt .md .markdown …`: every extension read, for messages. */
export function knownExtensions(): string {
  return FORMATS.flatMap((f) => f.extensions).join(" ");
}

/**
 * What the saved index must have been read with: the formats and the version of their
 * parsers. A saved index made by other parsers was made from other text (or took files of a
 * new format for unreadable), so it is rebuilt rather than trusted. Raise the number when a
 * parser reads any file differently.
 */
export const INGEST_VERSION = `3:${FORMATS.flatMap((f) => f.extensions).join(",")}`;
