/**
 * Text from documents made safe for machine formats (JSON, JSON Lines, CSV, BibTeX, Atom) and
 * the terminal, as the HTML pages make it safe for a browser: control characters other than
 * tab, line feed and carriage return (NUL, ESC and its terminal sequences, the C1 set) and
 * the bidirectional embeddings, overrides and isolates (which reorder what a reader sees, as
 * in "Trojan Source") are dropped. Everything else is kept as written.
 */
const UNSAFE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` without the characters no machine format or terminal should be handed. */
export function safeText(text: string): string {
  return text.replace(UNSAFE, "");
}

/** A `JSON.stringify` replacer (and Express's `json replacer`): every string value made safe. */
export function safeJsonValue(_key: string, value: unknown): unknown {
  return typeof value === "string" ? safeText(value) : value;
}
