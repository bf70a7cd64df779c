/**
 * One check for any response Readout sends, whatever its type, so that adding an endpoint to
 * the security tests is adding its URL to a list.
 */
import type { Response } from "supertest";
import { siteVocabulary, unsafeMarkup, unsafeXml } from "./markup.ts";
import { payloads } from "./payloads.ts";

const vocabulary = siteVocabulary();

// Escaped output has no "<", so a payload with one that shows up as written was not escaped.
// (Entity payloads cannot be checked so: `&lt;b&gt;` is also what `<b>` looks like escaped.
// The browser test checks that they read as written.)
const rawPayloads = payloads
  .map((p) => p.text)
  .filter((text) => text.includes("<"));

/** The headers every response carries, static files and errors included. */
export function headerProblems(res: Response): string[] {
  const problems: string[] = [];
  const h = res.headers;
  const csp = String(h["content-security-policy"] ?? "");
  for (const directive of [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ])
    if (!csp.split(";").includes(directive))
      problems.push(`CSP lacks "${directive}": ${csp}`);
  if (/unsafe-inline|unsafe-eval|upgrade-insecure-requests/.test(csp))
    problems.push(`CSP allows too much: ${csp}`);
  if (h["x-content-type-options"] !== "nosniff")
    problems.push("no X-Content-Type-Options: nosniff");
  if (!/^(no-referrer|same-origin)$/.test(h["referrer-policy"] ?? ""))
    problems.push(`Referrer-Policy is "${h["referrer-policy"]}"`);
  if (h["strict-transport-security"])
    problems.push("HSTS on a plain-http local server");
  return problems;
}

/**
 * Everything wrong with a response: a 5xx, missing headers, markup that did not come from
 * the templates, a payload printed as written, a body a browser could take for another type.
 */
export function responseProblems(res: Response): string[] {
  const problems = headerProblems(res);
  if (res.status >= 500) problems.push(`status ${res.status}`);
  const type = String(res.headers["content-type"] ?? "");
  if (res.status >= 300 && res.status < 400) {
    const location = String(res.headers.location);
    if (!/^\/(?![/\\])/.test(location))
      problems.push(`redirect off the site: ${location}`);
    return problems;
  }
  const text = res.text ?? "";
  if (/^text\/html/.test(type)) {
    problems.push(...unsafeMarkup(text, vocabulary));
    for (const raw of rawPayloads)
      if (text.includes(raw))
        problems.push(`unescaped payload ${JSON.stringify(raw)}`);
  } else if (/[/+]xml\b/.test(type)) {
    problems.push(...unsafeXml(text));
    for (const raw of rawPayloads)
      if (text.includes(raw))
        problems.push(`unescaped payload ${JSON.stringify(raw)}`);
  } else if (/json/.test(type)) {
    const lines = /ndjson/.test(type)
      ? text.split("\n").filter(Boolean)
      : [text];
    for (const line of lines) {
      try {
        JSON.parse(line);
      } catch {
        problems.push(`not JSON: ${JSON.stringify(line.slice(0, 80))}`);
      }
    }
  } else if (/^text\/csv/.test(type)) {
    if (!/^attachment/.test(String(res.headers["content-disposition"])))
      problems.push("CSV not sent as an attachment");
  } else if (!/^text\/(css|javascript)/.test(type)) {
    problems.push(`unexpected content type "${type}"`);
  }
  return problems;
}
