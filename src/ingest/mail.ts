/**
 * E-mail (.eml: one message; .mbox: a mailbox of them): one statement per message, with
 * `Subject:` as its title, the sender as its source, `Date:` as its date (read as written,
 * so the day does not shift to UTC), and the text part as its body (else the HTML part's
 * text). Each attachment in a format Readout reads is a statement of its own, linked to its
 * message both ways (`message` on the attachment, `attachments` on the message). MIME is
 * read by postal-mime, which bounds nesting, parts and header size itself.
 */
import { parseHTML } from "linkedom";
import PostalMime, { type Email } from "postal-mime";
import { blocksOf, type El } from "./blocks.ts";
import {
  FormatError,
  OcrUnavailable,
  type FileProblem,
  type ParseContext,
  type Parsed,
} from "./format-contract.ts";
import { fileId } from "./file-id.ts";
import type { RawRecord } from "./statement.ts";
import { parseDate } from "../text/dates.ts";

/** More messages than this in one mailbox are not read: the rest is noted. */
export const MAX_MESSAGES = 100_000;
/** Attachments read per message; the rest are noted. */
export const MAX_ATTACHMENTS = 20;

const LIMITS = {
  maxNestingDepth: 32,
  maxPartCount: 1000,
  maxHeadersSize: 1024 * 1024,
  maxRfc822NestingDepth: 3,
};

/** Reads one e-mail message (.eml). */
export async function parseEml(
  bytes: Uint8Array,
  file: string,
  context: ParseContext,
): Promise<Parsed> {
  const parsed: Parsed = { records: [], problems: [] };
  await readMessage(bytes, file, undefined, context, parsed);
  if (parsed.records.length === 0)
    throw new FormatError(parsed.problems[0]?.message ?? "no message found");
  return parsed;
}

/** Reads a mailbox (.mbox): each message is a statement, keyed by its number. */
export async function parseMbox(
  bytes: Uint8Array,
  file: string,
  context: ParseContext,
): Promise<Parsed> {
  const parsed: Parsed = { records: [], problems: [] };
  const messages = splitMbox(bytes);
  if (messages.length === 0)
    throw new FormatError('not a mailbox (no line starts with "From ")');
  for (const [n, message] of messages.slice(0, MAX_MESSAGES).entries())
    await readMessage(
      message.bytes,
      file,
      n + 1,
      context,
      parsed,
      message.line,
    );
  if (messages.length > MAX_MESSAGES)
    parsed.problems.push({
      message: `only the first ${MAX_MESSAGES} of ${messages.length} messages were read`,
      kept: true,
    });
  return parsed;
}

/**
 * The messages of a mailbox: each starts at a line `From ` (the mbox separator), which is
 * not part of it; `>From ` lines in a message are unescaped (mboxrd).
 */
export function splitMbox(
  bytes: Uint8Array,
): { bytes: Uint8Array; line: number }[] {
  const out: { bytes: Uint8Array; line: number }[] = [];
  let start = -1;
  let startLine = 0;
  let line = 1;
  const isSeparator = (at: number) =>
    bytes[at] === 0x46 &&
    bytes[at + 1] === 0x72 &&
    bytes[at + 2] === 0x6f &&
    bytes[at + 3] === 0x6d &&
    bytes[at + 4] === 0x20;
  for (let at = 0; at < bytes.length;) {
    let end = bytes.indexOf(0x0a, at);
    if (end < 0) end = bytes.length;
    if (isSeparator(at)) {
      if (start >= 0)
        out.push({
          bytes: unescapeFrom(bytes.subarray(start, at)),
          line: startLine,
        });
      start = end + 1;
      startLine = line + 1;
    }
    at = end + 1;
    line++;
  }
  if (start >= 0 && start < bytes.length)
    out.push({ bytes: unescapeFrom(bytes.subarray(start)), line: startLine });
  return out;
}

// `>From ` at a line's start, written so by mboxrd, was `From `.
function unescapeFrom(bytes: Uint8Array): Uint8Array {
  const text = new TextDecoder("latin1").decode(bytes);
  if (!/^>+From /m.test(text)) return bytes;
  return Uint8Array.from(text.replace(/^>(>*From )/gm, "$1"), (c) =>
    c.charCodeAt(0),
  );
}

async function readMessage(
  bytes: Uint8Array,
  file: string,
  n: number | undefined,
  context: ParseContext,
  out: Parsed,
  line?: number,
): Promise<void> {
  const key = n === undefined ? undefined : String(n);
  const label = n === undefined ? undefined : `message ${n}`;
  const problem = (message: string, kept = false, awaitsOcr?: string[]) =>
    out.problems.push({
      message: label ? `${label}: ${message}` : message,
      kept,
      ...(line ? { line } : {}),
      ...(awaitsOcr ? { awaitsOcr } : {}),
    } satisfies FileProblem);
  let email: Email;
  try {
    email = await PostalMime.parse(bytes, {
      ...LIMITS,
      attachmentEncoding: "arraybuffer",
    });
  } catch (err) {
    return void problem(
      `not a message Readout can read (${(err as Error).message})`,
    );
  }
  const body = email.text?.trim()
    ? paragraphsOf(email.text)
    : htmlText(email.html ?? "");
  const title = (email.subject ?? "").replace(/\s+/g, " ").trim();
  const id = key === undefined ? fileId(file) : `${fileId(file)}/${key}`;
  const record: RawRecord = {
    title: title || "(no subject)",
    body,
  };
  const rawDate = email.headers.find((h) => h.key === "date")?.value;
  const date = (rawDate && parseDate(rawDate)) || email.date;
  if (date) record.date = date;
  const sender = email.from && "address" in email.from ? email.from : undefined;
  const source = sender?.name?.trim() || sender?.address;
  if (source) record.source = source;
  if (email.messageId) record["message-id"] = email.messageId;
  const attached: string[] = [];
  const at = out.records.length;
  const readable = email.attachments.filter((a) => {
    const format = a.filename ? context.formatOf(a.filename) : undefined;
    return format && !MAIL_EXTENSIONS.has(format.extensions[0]!);
  });
  if (readable.length > MAX_ATTACHMENTS)
    problem(
      `only the first ${MAX_ATTACHMENTS} of ${readable.length} attachments were read`,
      true,
    );
  for (const [i, attachment] of readable.slice(0, MAX_ATTACHMENTS).entries()) {
    const name = attachment.filename!;
    const attachmentKey = `${key === undefined ? "" : `${key}/`}attachment-${i + 1}`;
    try {
      const parse = await context.formatOf(name)!.load();
      const content = new Uint8Array(attachment.content as ArrayBuffer);
      const read = await parse(content, name, context);
      for (const p of read.problems)
        problem(`attachment "${name}": ${p.message}`, p.kept, p.awaitsOcr);
      for (const [k, found] of read.records.entries()) {
        const partKey =
          read.records.length > 1 ? `${attachmentKey}/${k + 1}` : attachmentKey;
        found.record.source ??= source;
        found.record.date ??= date;
        found.record.message = id;
        found.record.attachment = name;
        out.records.push({
          record: found.record,
          ...(found.pages ? { pages: found.pages } : {}),
          key: partKey,
          label: `${label ? `${label}, ` : ""}attachment "${name}"`,
        });
        attached.push(`${fileId(file)}/${partKey}`);
      }
    } catch (err) {
      problem(
        `attachment "${name}" was not read: ${(err as Error).message}`,
        true,
        err instanceof OcrUnavailable ? err.languages : undefined,
      );
    }
  }
  if (!body.trim() && attached.length === 0)
    return void problem("the message has no text");
  if (attached.length) record.attachments = attached;
  // A message that is only its attachments still stands, to link them.
  if (!body.trim())
    record.body = `Attachments: ${readable.map((a) => a.filename).join(", ")}`;
  out.records.splice(at, 0, {
    record,
    ...(key === undefined ? {} : { key }),
    ...(label ? { label } : {}),
    ...(line ? { line } : {}),
  });
}

const MAIL_EXTENSIONS = new Set([".eml", ".mbox"]);

// A text part's paragraphs: quoted lines kept, signature separator and what follows dropped.
function paragraphsOf(text: string): string {
  const cut = text.search(/^-- $/m);
  return (cut >= 0 ? text.slice(0, cut) : text).trim();
}

function htmlText(html: string): string {
  if (!html.trim()) return "";
  const { document } = parseHTML(
    `<html><body>${html}</body></html>`,
  ) as unknown as { document: { body: El } };
  return blocksOf(document.body)
    .map((b) => b.text)
    .join("\n\n");
}
