/**
 * Word 97–2003 files (.doc), read by `word-extractor`: pure JavaScript (no program to
 * install, so it runs in the parse worker under its time and memory limits like every other
 * parser), maintained, and it reads the Unicode text of the file's pieces, where Debian's
 * `antiword` and `catdoc` (unmaintained since 2005 and 2016) lose what is not in a
 * single-byte code page. The body's paragraphs make the statement; the title is its first
 * paragraph (an old Word file keeps no heading styles in its text), else the page header.
 */
import WordExtractor from "word-extractor";
import { documentRecord } from "./document.ts";
import { FormatError, type Parsed } from "./format-contract.ts";

/** Reads a Word 97–2003 file into one statement. */
export async function parseDoc(bytes: Uint8Array): Promise<Parsed> {
  if (!(
    bytes[0] === 0xd0 &&
    bytes[1] === 0xcf &&
    bytes[2] === 0x11 &&
    bytes[3] === 0xe0
  ))
    throw new FormatError(
      "not a Word 97–2003 file (a .doc is an OLE compound file; a .docx saved as .doc?)",
    );
  let document: WordExtractor.Document;
  try {
    document = await new WordExtractor().extract(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    );
  } catch (err) {
    const message = (err as Error).message;
    throw new FormatError(
      /encrypt/i.test(message)
        ? "an encrypted (password-protected) Word file"
        : `damaged Word file (${message})`,
    );
  }
  const blocks = document
    .getBody()
    .split(/\n+/)
    .map((text) => ({ text: text.replace(/\s+/g, " ").trim(), heading: false }))
    .filter((b) => b.text);
  const header = document
    .getHeaders({ includeFooters: false })
    .split("\n")
    .map((l) => l.trim())
    .find((l) => /\p{L}{2}/u.test(l));
  const record = documentRecord(blocks, { titles: [header] });
  return { records: [{ record }], problems: [] };
}
