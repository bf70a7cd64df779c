import { escapeHtml } from "../search/highlight.ts";
import { safeJsonValue } from "../out/safe.ts";
import { firstValue } from "../query/params.ts";
import type { Archive } from "../archive.ts";
import { strictRouter } from "./canonical.ts";
import { origin, urls } from "./urls.ts";

/**
 * What lets a browser search Readout from its address bar: the OpenSearch description and
 * the suggestions it (and the search box's own script) asks for as the user types.
 */
export function browser(archive: Archive) {
  const router = strictRouter();

  router.get("/opensearch.xml", (req, res) => {
    const base = origin(req);
    const template = (url: string) =>
      escapeHtml(base + url.replace(PLACEHOLDER_ENCODED, PLACEHOLDER));
    res.type("application/opensearchdescription+xml").send(
      `<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
  <ShortName>Readout</ShortName>
  <Description>Search the statements in this Readout archive</Description>
  <InputEncoding>UTF-8</InputEncoding>
  <Url type="text/html" method="get" template="${template(urls.search({ q: PLACEHOLDER }))}"/>
  <Url type="application/x-suggestions+json" method="get" template="${template(urls.suggest(PLACEHOLDER))}"/>
  <Url type="application/opensearchdescription+xml" rel="self" template="${template(urls.opensearch())}"/>
</OpenSearchDescription>
`,
    );
  });

  // OpenSearch suggestions: ["query", ["completion", …]].
  router.get("/suggest", async (req, res) => {
    const { q, completions } = await archive.complete(firstValue(req.query.q));
    res
      .type("application/x-suggestions+json")
      .set("X-Content-Type-Options", "nosniff")
      .send(jsonForScript([q, completions]));
  });

  return router;
}

// The OpenSearch parameter a browser fills in; urls.ts percent-encodes its braces.
const PLACEHOLDER = "{searchTerms}";
const PLACEHOLDER_ENCODED = encodeURIComponent(PLACEHOLDER);

// The query is echoed back: escaping <, > and & keeps it data even if the response were
// ever read as HTML.
function jsonForScript(value: unknown): string {
  return JSON.stringify(value, safeJsonValue).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
