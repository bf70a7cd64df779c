import type { Response } from "express";
import type { Archive, Statement } from "../archive.ts";
import type { KeptStatus } from "../out/collection.ts";
import { textHash } from "../workspace/hash.ts";
import type { ItemRecord } from "../workspace/model.ts";
import type { Workspace } from "../workspace/workspace.ts";

/** Items read from the workspace (and their statements from the store) at a time while an export streams. */
const BATCH = 200;

/** The archive's statements of these items, by id. */
export async function currentStatements(
  archive: Archive,
  items: ItemRecord[],
): Promise<Map<string, Statement>> {
  const found = await archive.statementsById!(items.map((i) => i.id));
  return new Map(found.map((s) => [s.id, s]));
}

/** Whether a kept statement still says what it said when added. */
export function keptStatus(item: ItemRecord, now?: Statement): KeptStatus {
  if (!now) return "gone";
  return textHash(now) === item.kept.textSha256 ? "unchanged" : "changed";
}

/** A kept statement, where it stands now, and the archive's statement if it still has it. */
export interface CurrentItem {
  item: ItemRecord;
  status: KeptStatus;
  now?: Statement;
}

/**
 * A collection's statements in order, each with where it stands now, read a batch at a time;
 * stops when the client goes away.
 */
export async function* itemsOf(
  archive: Archive,
  workspace: Workspace,
  person: Parameters<Workspace["items"]>[0],
  slug: string,
  res: Response,
): AsyncGenerator<CurrentItem> {
  for (let offset = 0; !res.destroyed; offset += BATCH) {
    const items = await workspace.items(person, slug, offset, BATCH);
    if (items.length === 0) return;
    const current = await currentStatements(archive, items);
    for (const item of items) {
      const now = current.get(item.id);
      yield { item, status: keptStatus(item, now), ...(now ? { now } : {}) };
    }
    if (items.length < BATCH) return;
  }
}
