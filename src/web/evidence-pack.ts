import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { Transform } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import type { Request, Response } from "express";
import { ZipFile } from "yazl";
import { PartUnavailable, type Archive } from "../archive.ts";
import {
  checksumLines,
  collectionBibtex,
  collectionRis,
  manifestCsv,
  notesHead,
  notesSection,
  packFileName,
  packReadme,
  partialPackNote,
  statementText,
  type ManifestRow,
} from "../out/collection.ts";
import { textHash } from "../workspace/hash.ts";
import type { CollectionRecord } from "../workspace/model.ts";
import type { Person, Workspace } from "../workspace/workspace.ts";
import { itemsOf } from "./collection-items.ts";
import { absoluteUrl, hasPublicUrl, origin, urls } from "./urls.ts";

/** File types already compressed: stored as they are, deflating them again gains nothing. */
const STORED = /\.(pdf|docx|zip|png|jpe?g|gif|webp|gz)$/i;

/**
 * Streams a collection's evidence pack, `/collections/<slug>.zip`: each statement's own file
 * as Readout reads it (its text, for a statement read from a file of records), the text kept
 * when it was added where that has changed since, `manifest.csv` (id, title, source, date,
 * the publisher's URL, the file, its SHA-256, when Readout first read it, when it was added,
 * whether it changed), `citations.bib`, `citations.ris`, `notes.md`, `README.txt` (how to
 * check the hashes) and `SHA256SUMS` (for `sha256sum -c`). Files are hashed as they are sent,
 * one after another; nothing holds the whole archive, only the small texts that follow it.
 */
export async function sendEvidencePack(
  req: Request,
  res: Response,
  options: {
    archive: Archive;
    workspace: Workspace;
    person: Person;
    collection: CollectionRecord;
    filename: string;
  },
): Promise<void> {
  const { archive, workspace, person, collection } = options;
  const items = itemsOf(archive, workspace, person, collection.slug, res);
  // The first batch before the first byte, as the collection's other exports read it.
  const first = await items.next();
  res.attachment(options.filename);
  res.status(200).type("application/zip");
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  const zip = new ZipFile();
  let current: Transform | undefined;
  const stop = () => current?.destroy(new Error("the client went away"));
  res.on("close", stop);
  zip.on("error", (err: Error) => {
    console.error(`web: the evidence pack of ${collection.slug} failed:`, err);
    res.destroy(err);
  });
  zip.outputStream.pipe(res);
  const made = new Date();
  const today = made.toISOString().slice(0, 10);
  const sums: { name: string; sha256: string }[] = [];
  const manifest: ManifestRow[] = [];
  const bib: string[] = [];
  const ris: string[] = [];
  const notes = [notesHead(collection, made.toISOString())];
  const add = (name: string, text: string) => {
    const bytes = Buffer.from(text, "utf8");
    zip.addBuffer(bytes, name, { mtime: made });
    sums.push({ name, sha256: sha256(bytes) });
  };
  let n = 0;
  let changed = 0;
  let gone = 0;
  // The part of the archive that stopped answering after the first batch, if one did.
  let missing: string | undefined;
  try {
    for (let next = first; !next.done; next = await items.next()) {
      const { item, status, now } = next.value;
      n++;
      const permalink = absoluteUrl(req, urls.statement(item.id));
      const original = now ? await archive.original(item.id) : undefined;
      let name: string;
      let hash: string;
      if (original) {
        name = `files/${packFileName(n, original.path.split("/").at(-1)!)}`;
        const hasher = hashing();
        current = hasher.stream;
        zip.addReadStream(hasher.stream, name, {
          mtime: made,
          compress: !STORED.test(name),
        });
        await Promise.all([
          pipeline(createReadStream(original.path), hasher.stream),
          finished(hasher.stream),
        ]);
        current = undefined;
        hash = hasher.digest();
        sums.push({ name, sha256: hash });
      } else {
        name = `files/${packFileName(n, `${item.id}.txt`)}`;
        const text = statementText({ ...(now ?? item.kept), id: item.id });
        add(name, text);
        hash = sums.at(-1)!.sha256;
      }
      const differs =
        status === "gone"
          ? "gone"
          : item.kept.file && original
            ? hash !== item.kept.file.sha256
              ? "yes"
              : "no"
            : textHash(now!) !== item.kept.textSha256
              ? "yes"
              : "no";
      if (differs === "yes") changed++;
      if (differs === "gone") gone++;
      // What it said when added, beside what it says now.
      if (differs !== "no")
        add(
          `kept/${packFileName(n, `${item.id}.txt`)}`,
          statementText({ ...item.kept, id: item.id }),
        );
      manifest.push({
        id: item.id,
        title: item.kept.title,
        source: item.kept.source ?? "",
        date: item.kept.date ?? "",
        url: item.kept.url ?? "",
        file: name,
        sha256: hash,
        first_read: item.kept.firstRead ?? "",
        added: item.addedAt,
        changed_since_added: differs,
      });
      // Citations name a permanent link only where others can open it (urls.ts hasPublicUrl).
      const cited = hasPublicUrl(req) ? permalink : undefined;
      bib.push(collectionBibtex(item, cited, today));
      ris.push(collectionRis(item, cited, today));
      notes.push(notesSection(item, permalink));
    }
  } catch (err) {
    res.off("close", stop);
    // A part of the archive that stops answering: the pack ends with what it has, and says so.
    if (err instanceof PartUnavailable && !res.destroyed) {
      console.error(`web: ${err.reason}`);
      missing = err.part;
      n = manifest.length;
    } else {
      // The client went away (or a file could not be read): the response cannot be finished.
      if (!res.destroyed) {
        console.error(
          `web: the evidence pack of ${collection.slug} failed:`,
          err,
        );
        res.destroy();
      }
      return;
    }
  }
  res.off("close", stop);
  if (res.destroyed) return;
  if (missing) add("PARTIAL.txt", partialPackNote(missing, n) + "\n");
  add("manifest.csv", manifestCsv(manifest));
  add("citations.bib", bib.join("\n") + (bib.length ? "\n" : ""));
  add("citations.ris", ris.join("\r\n"));
  add("notes.md", notes.join(""));
  add(
    "README.txt",
    packReadme({
      collection,
      made: made.toISOString(),
      server: origin(req),
      statements: n,
      changed,
      gone,
      ...(missing ? { missing } : {}),
    }),
  );
  zip.addBuffer(Buffer.from(checksumLines(sums), "utf8"), "SHA256SUMS", {
    mtime: made,
  });
  zip.end();
}

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A pass-through stream that hashes what goes through it. */
function hashing(): { stream: Transform; digest: () => string } {
  const hash = createHash("sha256");
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return { stream, digest: () => hash.digest("hex") };
}
