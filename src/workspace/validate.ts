/**
 * What the workspace takes from a form, checked: names, notes, tags, statement ids and saved
 * search parameters. Each check returns the value as kept or throws a `WorkspaceError` naming
 * the field, so a bad request gets a 400 that says what to change.
 */
import { WORKSPACE_LIMITS as LIMITS } from "./model.ts";

/** A request the workspace refuses: its HTTP status, and the form field at fault if any. */
export class WorkspaceError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

function fieldError(field: string, message: string): WorkspaceError {
  return new WorkspaceError(400, `${field}: ${message}`, field);
}

/** A form value as one string: missing is "", a repeated field is refused. */
export function formText(value: unknown, field: string): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  throw fieldError(field, "give it once, as text");
}

/** A collection's or saved search's name: one line, 1 to 100 characters. */
export function checkName(raw: unknown, field = "name"): string {
  const name = formText(raw, field).replace(/\s+/g, " ").trim();
  if (!name) throw fieldError(field, "give a name");
  if (CONTROL.test(name))
    throw fieldError(field, "control characters are not allowed");
  const length = [...name].length;
  if (length > LIMITS.nameLength)
    throw fieldError(
      field,
      `at most ${LIMITS.nameLength} characters; this one has ${length}`,
    );
  return name;
}

/** A note: Markdown of at most 100 KB, line ends made `\n`, control characters refused. */
export function checkNote(raw: unknown): string {
  const note = formText(raw, "note").replace(/\r\n?/g, "\n");
  const bytes = Buffer.byteLength(note, "utf8");
  if (bytes > LIMITS.noteBytes)
    throw fieldError(
      "note",
      `at most ${LIMITS.noteBytes / 1024} KB; this one has ${Math.ceil(bytes / 1024)} KB`,
    );
  if (CONTROL.test(note.replace(/\t/g, "")))
    throw fieldError("note", "control characters are not allowed");
  return note.trim() === "" ? "" : note;
}

// Letters, digits, spaces and a few signs that tags use (`EU-Russia`, `2023/24`, `C#`).
const TAG = /^[\p{L}\p{M}\p{N} _\-.:/#&+']+$/u;

/** Tags, separated by commas: each 1 to 40 characters, at most 20, repeats dropped. */
export function checkTags(raw: unknown): string[] {
  const text = formText(raw, "tags");
  const tags: string[] = [];
  const seen = new Set<string>();
  for (const part of text.split(",")) {
    const tag = part.replace(/\s+/g, " ").trim();
    if (!tag) continue;
    if (!TAG.test(tag))
      throw fieldError(
        "tags",
        `"${tag.slice(0, 40)}" may hold only letters, digits, spaces and - _ . : / # & + '`,
      );
    if ([...tag].length > LIMITS.tagLength)
      throw fieldError(
        "tags",
        `each tag is at most ${LIMITS.tagLength} characters; "${tag.slice(0, 40)}…" is longer`,
      );
    const key = tag.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    tags.push(tag);
  }
  if (tags.length > LIMITS.tags)
    throw fieldError(
      "tags",
      `at most ${LIMITS.tags} tags; these are ${tags.length}`,
    );
  return tags;
}

/** The id of a statement to add: given, one line, at most 1,000 characters. */
export function checkStatementId(raw: unknown): string {
  const id = formText(raw, "id").trim();
  if (!id) throw fieldError("id", "name the statement to add");
  if (id.length > 1000 || CONTROL.test(id) || /[\r\n]/.test(id))
    throw fieldError("id", "not a statement id");
  return id;
}

/** A saved search's parameters, as a URL query string (`q=…&source=…`). */
export function checkSearchParams(raw: unknown): string {
  const search = formText(raw, "search").trim().replace(/^\?/, "");
  if (!search) throw fieldError("search", "name the search to save");
  if (search.length > LIMITS.searchLength)
    throw fieldError(
      "search",
      `at most ${LIMITS.searchLength} characters of parameters; these are ${search.length}`,
    );
  return search;
}

/** Words that cannot be a slug: pages of their own under /collections and /saved. */
const RESERVED = new Set(["add", "new"]);

/**
 * A name as a URL segment (`EU statements, 2023` → `eu-statements-2023`), letters of any
 * script kept, unique among `taken` (`-2`, `-3` … added).
 */
export function slugFor(
  name: string,
  taken: (slug: string) => boolean,
  fallback: string,
): string {
  const words = name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-");
  const base =
    trimDashes([...trimDashes(words)].slice(0, 60).join("")) || fallback;
  let slug = base;
  for (let n = 2; taken(slug) || RESERVED.has(slug); n++) slug = `${base}-${n}`;
  return slug;
}

// Dashes off both ends, without a pattern anchored at the end (which backtracks on long runs).
function trimDashes(text: string): string {
  let from = 0;
  let to = text.length;
  while (from < to && text[from] === "-") from++;
  while (to > from && text[to - 1] === "-") to--;
  return text.slice(from, to);
}

/** Whether a URL segment could be a slug (checked before any store is asked). */
export function isSlug(text: string): boolean {
  return /^[\p{L}\p{N}]+(-[\p{L}\p{N}]+)*$/u.test(text) && text.length <= 80;
}
