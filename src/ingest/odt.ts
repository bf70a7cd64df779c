/**
 * OpenDocument text (.odt, LibreOffice's own): a zip holding `content.xml` (the text) and
 * `meta.xml` (title, dates, language). The XML is scanned tag by tag, without building a
 * tree, so a file of a million nested elements costs no more than its length; nesting past
 * MAX_DEPTH is refused. A zip bomb is refused by what the archive declares.
 */
import { decodeXML } from "entities";
import type { Block } from "./blocks.ts";
import { documentRecord } from "./document.ts";
import { FormatError, type Parsed } from "./format-contract.ts";
import {
  MAX_UNPACKED_BYTES,
  readZipEntry,
  refuseZipBomb,
  zipEntries,
  type ZipEntry,
} from "./zip.ts";

/** Elements nested deeper than this are a hostile file, not a document. */
export const MAX_DEPTH = 256;

/** Reads an OpenDocument text into one statement. */
export function parseOdt(bytes: Uint8Array): Parsed {
  let entries: ZipEntry[];
  try {
    entries = zipEntries(bytes);
  } catch (err) {
    throw new FormatError(
      `damaged OpenDocument file (${(err as Error).message})`,
    );
  }
  const content = entries.find((e) => e.name === "content.xml");
  if (!content)
    throw new FormatError("not an OpenDocument text (it has no content.xml)");
  refuseZipBomb(entries, bytes.length);
  const text = (entry: ZipEntry | undefined, max: number) =>
    entry ? new TextDecoder().decode(readZipEntry(bytes, entry, max)) : "";
  const meta = metaOf(
    text(
      entries.find((e) => e.name === "meta.xml"),
      1024 * 1024,
    ),
  );
  const manifest = entries.find((e) => e.name === "META-INF/manifest.xml");
  if (/<manifest:encryption-data/.test(text(manifest, 1024 * 1024)))
    throw new FormatError("an encrypted (password-protected) document");
  const xml = text(content, MAX_UNPACKED_BYTES);
  const record = documentRecord(blocksOfOdf(xml), {
    titles: [meta.title],
    dates: [meta.created, meta.modified],
    ...(meta.language ? { language: meta.language } : {}),
  });
  return { records: [{ record }], problems: [] };
}

// The fields of meta.xml read here; an element holds no other, so one scan finds each.
const META_FIELD =
  /<(dc:title|dc:language|meta:creation-date|dc:date)(?:\s[^<>]*)?>([^<]{1,1000})<\/\1>/g;

function metaOf(xml: string) {
  const fields = new Map<string, string>();
  for (const [, tag, value] of xml.matchAll(META_FIELD))
    if (!fields.has(tag!)) fields.set(tag!, decodeXML(value!).trim());
  return {
    title: fields.get("dc:title"),
    created: fields.get("meta:creation-date"),
    modified: fields.get("dc:date"),
    language: fields.get("dc:language"),
  };
}

// Where text stands apart from its paragraph: notes, comments, tracked deletions.
const SKIPPED = new Set([
  "office:annotation",
  "text:note",
  "text:tracked-changes",
  "text:sequence-decls",
  "office:forms",
]);

/**
 * The paragraphs (`text:p`) and headings (`text:h`) of an OpenDocument body, in order,
 * with `text:s` as spaces, `text:tab` as a tab and `text:line-break` as a line break.
 */
export function blocksOfOdf(xml: string): Block[] {
  const blocks: Block[] = [];
  const open: string[] = [];
  let skipping = 0;
  let current: Block | undefined;
  let at = xml.indexOf("<office:body");
  if (at < 0) at = 0;
  while (at < xml.length) {
    const lt = xml.indexOf("<", at);
    if (lt < 0) break;
    if (current && skipping === 0 && lt > at)
      current.text += decodeXML(xml.slice(at, lt));
    const gt = xml.indexOf(">", lt);
    if (gt < 0) break;
    at = gt + 1;
    const tag = xml.slice(lt + 1, gt);
    if (tag.startsWith("?") || tag.startsWith("!")) continue;
    const closing = tag.startsWith("/");
    const selfClosing = tag.endsWith("/");
    const name = (closing ? tag.slice(1) : tag).split(/[\s/]/, 1)[0]!;
    if (closing) {
      open.pop();
      if (SKIPPED.has(name)) skipping = Math.max(0, skipping - 1);
      else if ((name === "text:p" || name === "text:h") && current) {
        current.text = current.text.replace(/[ \t]+/g, " ").trim();
        if (current.text) blocks.push(current);
        current = undefined;
      }
      continue;
    }
    if (!selfClosing) {
      open.push(name);
      if (open.length > MAX_DEPTH)
        throw new FormatError(
          `its elements are nested more than ${MAX_DEPTH} deep (a hostile file?)`,
        );
      if (SKIPPED.has(name)) skipping++;
    }
    if (skipping > 0) continue;
    if (name === "text:p" || name === "text:h") {
      // A paragraph inside another (a frame, a cell's paragraph) starts anew.
      if (current?.text.trim()) blocks.push(current);
      current = { text: "", heading: name === "text:h" };
      if (selfClosing) current = undefined;
    } else if (current && name === "text:s") {
      const count = Number(/text:c="(\d{1,3})"/.exec(tag)?.[1] ?? 1);
      current.text += " ".repeat(Math.min(count, 100));
    } else if (current && name === "text:tab") current.text += "\t";
    else if (current && name === "text:line-break") current.text += "\n";
  }
  return blocks;
}
