import ejs from "ejs";
import { escapeHtml } from "../search/highlight.ts";

type Done = (err: Error | null, html?: string) => void;

/**
 * Express's engine for `views/*.ejs`: EJS, with `<%= %>` escaping through `escapeHtml`, so
 * every text on a page goes through the one escaper, which also drops control characters.
 * EJS 7 no longer takes options from Express's settings, hence an engine of our own.
 */
export function renderView(file: string, data: object, done: Done): void {
  ejs.renderFile(
    file,
    data,
    {
      escape: (value: unknown) =>
        escapeHtml(value == null ? "" : String(value)),
      // Express asks for cached views in production (`view cache`).
      cache: (data as { cache?: unknown }).cache === true,
    },
    done,
  );
}
