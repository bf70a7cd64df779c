/** A string that is safe to print into HTML as it is: escaped, with only `<mark>` tags added. */
export type Html = string & { readonly __html: unique symbol };

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

// Control characters (but tab, line feed, form feed and carriage return) and noncharacters
// are parse errors in HTML: scraped text holds them, and they are dropped here, where all
// text becomes HTML (the views' `<%= %>` escapes through this function too).
const SPECIAL =
  /[&<>"'\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff]/g;

/** Text as HTML: `& < > " '` escaped, characters HTML forbids dropped. */
export function escapeHtml(text: string): Html {
  return text.replace(SPECIAL, (c) => ESCAPES[c] ?? "") as Html;
}
