/**
 * A process that writes to a workspace journal until it is killed, for the crash test: it
 * says "n" on stdout once write n is acknowledged (its promise resolved). Run as
 * `node --import tsx journal-writer.ts DIR [compact]`; with `compact`, the journal is written
 * anew every few lines, so a kill often lands in a compaction.
 */
import { JournalStore } from "../../src/engines/memory/workspace/journal-store.ts";

const [dir, mode] = process.argv.slice(2);
const store = await JournalStore.open(dir!, {
  compactSlack: mode === "compact" ? 2 : 1000,
});
const at = "2025-01-01T00:00:00.000Z";
if (!(await store.collection("c")))
  await store.putCollection({
    slug: "c",
    name: "c",
    owner: "local",
    shared: false,
    createdAt: at,
    updatedAt: at,
  });
for (let n = 0; ; n++) {
  await store.putItem("c", {
    id: `s${n}`,
    // Some notes long enough that one write is many pages: a kill can cut it.
    note: `note ${n} `.repeat(n % 7 === 0 ? 5_000 : 3),
    tags: [`t${n}`],
    addedAt: at,
    updatedAt: at,
    kept: { title: `s${n}`, body: "b", origin: { file: "f" }, textSha256: "0" },
  });
  process.stdout.write(`${n}\n`);
}
