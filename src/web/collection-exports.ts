import type { Response } from "express";
import type { Admit } from "./admission.ts";
import { strictRouter } from "./canonical.ts";
import {
  collectionBibtex,
  collectionCsvHead,
  collectionCsvLine,
  collectionRis,
  collectionRow,
} from "../out/collection.ts";
import { PartUnavailable } from "../archive.ts";
import { csvCell } from "../out/export.ts";
import { itemsOf, type CurrentItem } from "./collection-items.ts";
import { sendEvidencePack } from "./evidence-pack.ts";
import { personOf } from "./people.ts";
import { absoluteUrl, hasPublicUrl, urls } from "./urls.ts";
import type { WorkspaceWeb } from "./workspace.ts";

const TYPES = {
  csv: "text/csv; charset=utf-8",
  jsonl: "application/x-ndjson; charset=utf-8",
  bib: "application/x-bibtex; charset=utf-8",
  ris: "application/x-research-info-systems; charset=utf-8",
} as const;

/**
 * A collection's exports, streamed: `/collections/<slug>.csv`, `.jsonl`, `.bib`, `.ris`, and
 * the evidence pack, `.zip` (evidence-pack.ts). Each statement as it was kept when added,
 * with its note, tags and where it stands now (unchanged, changed or gone).
 */
export function collectionExports(web: WorkspaceWeb, admit: Admit) {
  const router = strictRouter();
  const { archive } = web;

  router.get("/collections/:name", async (req, res, next) => {
    const match = /^(.+)\.(csv|jsonl|bib|ris|zip)$/.exec(
      req.params.name as string,
    );
    if (!match) return next();
    const [, slug, format] = match as unknown as [
      string,
      string,
      keyof typeof TYPES | "zip",
    ];
    // An export reads every statement of the collection: in the exports' pool.
    if (!(await admit.enter(req, res, "export"))) return;
    const person = personOf(res);
    const workspace = web.workspace();
    const { record } = await workspace.collection(person, slug);
    const today = new Date().toISOString().slice(0, 10);
    if (format === "zip")
      return sendEvidencePack(req, res, {
        archive,
        workspace,
        person,
        collection: record,
        filename: `${slug}-evidence-${today}.zip`,
      });
    const items = itemsOf(archive, workspace, person, slug, res);
    // The first batch before the first byte (for HEAD too): a part of the archive that does
    // not answer (a PostgreSQL shard) is then a page naming it, not a file cut after its header.
    const first = await items.next();
    res.attachment(`${slug}-${today}.${format}`);
    res.status(200).type(TYPES[format]);
    if (req.method === "HEAD") return res.end();
    const permalink = (id: string) => absoluteUrl(req, urls.statement(id));
    // Citations name a permanent link only where others can open it (urls.ts hasPublicUrl).
    const cited = (id: string) =>
      hasPublicUrl(req) ? permalink(id) : undefined;
    if (format === "csv") await write(res, collectionCsvHead());
    let n = 0;
    let written = 0;
    try {
      for (let next = first; !next.done; next = await items.next()) {
        if (!(await write(res, line(next.value)))) return;
        written++;
      }
    } catch (err) {
      if (!(err instanceof PartUnavailable)) throw err;
      // Past the first byte no page can say it: the file says it, as a search's export does.
      console.error(`web: ${err.reason}`);
      const tail = partialTail(
        format,
        err.part,
        `Part of the archive did not answer (${err.part}): this file holds the first ${written} statements of the collection only.`,
      );
      // RIS has no comment a reader would show: the download fails rather than end short.
      if (tail === undefined) return void res.destroy(err);
      await write(res, tail);
    }
    res.end();

    function line({ item, status }: CurrentItem): string {
      return format === "csv"
        ? collectionCsvLine(collectionRow(item, permalink(item.id), status))
        : format === "jsonl"
          ? JSON.stringify({
              ...collectionRow(item, permalink(item.id), status),
              tags: item.tags,
            }) + "\n"
          : format === "bib"
            ? (n++ ? "\n" : "") +
              collectionBibtex(item, cited(item.id), today) +
              "\n"
            : (n++ ? "\r\n" : "") + collectionRis(item, cited(item.id), today);
    }
  });

  return router;
}

/**
 * The last line of a collection's export that a part of the archive left short, in the
 * format's own words: a `#` line in CSV, a last object without an id in JSON Lines, a
 * `@comment` in BibTeX; undefined for RIS, which has none.
 */
function partialTail(
  format: keyof typeof TYPES,
  part: string,
  note: string,
): string | undefined {
  switch (format) {
    case "csv":
      return csvCell(`# ${note}`) + "\r\n";
    case "jsonl":
      return (
        JSON.stringify({ partial: true, unavailable: [part], note }) + "\n"
      );
    case "bib":
      return `\n@comment{${note}}\n`;
    case "ris":
      return undefined;
  }
}

/** Writes text, waiting while the client's buffer is full; false once the client has gone. */
export function write(res: Response, text: string | Buffer): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (res.write(text)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve(!res.destroyed);
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
