import type { PoolClient } from "pg";
import type { Statement } from "../../ingest/statement.ts";
import { isEchoed } from "../../versions/echoes.ts";
import {
  VersionIndex,
  type VersionMember,
} from "../../versions/version-index.ts";

/** A statement's group of versions as its row keeps it (`group_id`, `echoed`). */
interface Grouped {
  group: string;
  echoed: boolean;
}

/**
 * The archive's near-duplicate groups during an import: the `VersionIndex` of versions/version-index.ts
 * over every statement of every shard, restored from what the first shard keeps
 * (`version_bodies`: each body's statements and features, as a saved index keeps them),
 * changed as statements are written and removed, then saved again by body. What changed of
 * each statement's group is written to its row, so a search reads one column per match and
 * the groups need no computing when the server starts.
 */
export class ImportVersions {
  private readonly before: Map<string, Grouped>;
  /** Statements whose rows were written now: they hold no group yet. */
  private readonly written = new Set<string>();

  private constructor(
    private readonly index: VersionIndex,
    private readonly saved: Map<string, string>,
  ) {
    this.before = groupsOf(index);
  }

  /** The groups as the first shard keeps them (read in the import's transaction). */
  static async read(client: PoolClient): Promise<ImportVersions> {
    const { rows } = await client.query<{
      key: string;
      members: VersionMember[];
      features: Buffer;
    }>("SELECT key, members, features FROM version_bodies ORDER BY key");
    const offsets = new Uint32Array(rows.length + 1);
    rows.forEach(
      (r, i) => (offsets[i + 1] = offsets[i]! + r.features.length / 4),
    );
    const features = new Uint32Array(offsets[rows.length]!);
    rows.forEach((r, i) =>
      features.set(
        new Uint32Array(
          r.features.buffer.slice(
            r.features.byteOffset,
            r.features.byteOffset + r.features.length,
          ),
        ),
        offsets[i],
      ),
    );
    const index = VersionIndex.restore({
      options: new VersionIndex().options,
      bodies: rows.map(({ key, members }) => ({ key, members })),
      features,
      offsets,
    });
    return new ImportVersions(
      index,
      new Map(rows.map((r) => [r.key, JSON.stringify(r.members)])),
    );
  }

  /** Statements removed (or about to be written again) and statements written. */
  change(removed: readonly string[], written: readonly Statement[]): void {
    // Grouped once, when saved: each batch regrouping the whole archive cost an import the
    // archive's size per batch.
    this.index.stage(removed, written);
    for (const s of written) this.written.add(s.id);
  }

  /**
   * Writes what changed: each statement's group and echoes on its shard (`shardOf`), and the
   * bodies on the first shard. Each client is that shard's import transaction.
   */
  async save(
    clients: readonly PoolClient[],
    shardOf: (id: string) => number,
  ): Promise<void> {
    this.index.settle();
    const after = groupsOf(this.index);
    const changes = clients.map(() => ({
      ids: [] as string[],
      groups: [] as (string | null)[],
      echoed: [] as boolean[],
    }));
    const note = (id: string, now: Grouped | undefined) => {
      const c = changes[shardOf(id)]!;
      c.ids.push(id);
      c.groups.push(now?.group ?? null);
      c.echoed.push(now?.echoed ?? false);
    };
    for (const [id, now] of after) {
      const was = this.written.has(id) ? undefined : this.before.get(id);
      if (was?.group !== now.group || was.echoed !== now.echoed) note(id, now);
    }
    for (const id of this.before.keys())
      if (!after.has(id) && !this.written.has(id)) note(id, undefined);
    await Promise.all(
      clients.map((client, shard) =>
        changes[shard]!.ids.length
          ? client.query(
              `UPDATE statements s SET group_id = v.g, echoed = v.e
               FROM unnest($1::text[], $2::text[], $3::bool[]) AS v(id, g, e)
               WHERE s.id = v.id`,
              [
                changes[shard]!.ids,
                changes[shard]!.groups,
                changes[shard]!.echoed,
              ],
            )
          : undefined,
      ),
    );
    await this.saveBodies(clients[0]!);
  }

  // Bodies are saved by key: a body's words, so its features, never change under its key.
  private async saveBodies(client: PoolClient): Promise<void> {
    const { bodies, features, offsets } = this.index.save();
    const keys = new Set(bodies.map((b) => b.key));
    const gone = [...this.saved.keys()].filter((key) => !keys.has(key));
    const changed = bodies.flatMap((b, i) => {
      const members = JSON.stringify(b.members);
      if (this.saved.get(b.key) === members) return [];
      const own = features.subarray(offsets[i], offsets[i + 1]);
      return [
        {
          key: b.key,
          members,
          features: Buffer.from(own.buffer, own.byteOffset, own.byteLength),
        },
      ];
    });
    if (gone.length)
      await client.query("DELETE FROM version_bodies WHERE key = ANY($1)", [
        gone,
      ]);
    for (let i = 0; i < changed.length; i += 1000) {
      const part = changed.slice(i, i + 1000);
      await client.query(
        `INSERT INTO version_bodies (key, members, features)
         SELECT * FROM unnest($1::text[], $2::jsonb[], $3::bytea[])
         ON CONFLICT (key) DO UPDATE SET members = EXCLUDED.members`,
        [
          part.map((c) => c.key),
          part.map((c) => c.members),
          part.map((c) => c.features),
        ],
      );
    }
  }
}

/** Each grouped statement's group id, and whether more than one source published its text. */
function groupsOf(index: VersionIndex): Map<string, Grouped> {
  const out = new Map<string, Grouped>();
  for (const group of index.groups()) {
    const echoed = isEchoed(group);
    for (const m of group.members) out.set(m.id, { group: group.id, echoed });
  }
  return out;
}
