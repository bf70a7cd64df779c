import { safeText } from "./safe.ts";

// XML 1.0 allows tab, line feed, carriage return and most of Unicode; anything else (control
// characters a scraped document may hold, lone surrogates) would make the whole feed invalid.
const NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;
const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/**
 * Text made safe for an XML element or attribute: escaped, characters XML forbids dropped,
 * and those no machine format should carry (safe.ts).
 */
export function xmlText(text: string): string {
  return safeText(text)
    .replace(NOT_XML, "")
    .replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}
