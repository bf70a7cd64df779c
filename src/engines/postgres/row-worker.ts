/**
 * A row-building worker of the import (`row-pool.ts`): builds the COPY text of the statements
 * it is handed and counts what they add to each shard, posting the counts when asked. It runs
 * under tsx (development, tests) or as compiled JavaScript.
 */
import { parentPort } from "node:worker_threads";
import { buildRows, ShardCounts } from "./batch.ts";
import type { RowReply, RowRequest } from "./row-pool.ts";

const port = parentPort;
if (!port)
  throw new Error("postgres: row-worker.ts runs only as a worker thread");
let counts: ShardCounts[] = [];
const post = (reply: RowReply) => port.postMessage(reply);

port.on("message", (request: RowRequest) => {
  if (request.type === "rows") {
    while (counts.length < request.shards) counts.push(new ShardCounts());
    post({
      id: request.id,
      type: "rows",
      chunks: buildRows(request.tasks, counts),
    });
  } else {
    post({
      id: request.id,
      type: "counts",
      counts: counts.map((c) => c.data()),
    });
    counts = [];
  }
});
post({ id: 0, type: "ready" });
