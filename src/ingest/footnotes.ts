/** Footnote marks in titles, which Word and PDF files share. */

// The lookbehind tries a run of stars only from its first one: from each star of a long
// run in turn the scan would take time quadratic in the run.
const FOOTNOTE_MARK = /(?<!\*)\*+(?=\s|$)/g;

/** `text` without the stars that end a word (`Review*`, `Report**`): footnote marks. */
export function withoutFootnoteMarks(text: string): string {
  return text.replace(FOOTNOTE_MARK, "");
}
