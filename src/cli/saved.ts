import { archiveFor } from "../archive.ts";
import type { Config } from "../runtime/config.ts";
import { workspaceOf } from "../workspace/workspace.ts";
import { writeLine, type Io } from "./io.ts";
import { openArchive } from "./load.ts";

/**
 * `readout saved`: the saved searches, each with how many statements Readout has read since
 * its owner last opened it, as /saved lists them; for a cron job. It reads the workspace and
 * writes nothing, so it may run beside a server.
 */
export async function savedCommand(config: Config, io: Io): Promise<number> {
  const log = (line: string) => writeLine(io.err, line);
  const archive = await openArchive(
    config,
    io,
    log,
    archiveFor({
      data: config.data,
      cache: config.cache,
      log,
      workspace: "read",
      ...(config.pg ? { pg: config.pg, followData: false } : {}),
      ...(config.followHardLinks ? { followHardLinks: true } : {}),
    }),
  );
  if (!archive) return 1;
  try {
    const workspace = workspaceOf(archive);
    if (!workspace) {
      writeLine(
        io.err,
        "saved: this archive keeps no saved searches: they live in the cache folder (give --cache, not --no-cache) or in the database (--pg)",
      );
      return 1;
    }
    const owners = [
      ...new Set((await workspace.store.searches()).map((s) => s.owner)),
    ].filter((o) => config.savedUser === undefined || o === config.savedUser);
    const rows = [];
    for (const owner of owners)
      for (const s of await workspace.searches({ name: owner, role: "editor" }))
        rows.push({
          owner,
          name: s.name,
          slug: s.slug,
          description: workspace.queryOf(s).description,
          new: s.fresh,
          url: `/saved/${encodeURIComponent(s.slug)}`,
        });
    if (config.format === "json") {
      io.out.write(JSON.stringify(rows, null, 2) + "\n");
      return 0;
    }
    if (rows.length === 0) {
      writeLine(io.out, "No saved searches.");
      return 0;
    }
    const width = Math.max(...rows.map((r) => String(r.new).length));
    for (const r of rows)
      writeLine(
        io.out,
        `${String(r.new).padStart(width)} new  ${owners.length > 1 ? `${r.owner}: ` : ""}${r.name}  (${r.description})  ${r.url}`,
      );
    return 0;
  } finally {
    await archive.close();
  }
}
