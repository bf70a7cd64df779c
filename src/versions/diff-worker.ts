/** The diff worker: compares the two texts it is sent (diff.ts) and posts back the diff. */
import { parentPort } from "node:worker_threads";
import type { Statement } from "../ingest/statement.ts";
import { diffStatements } from "./diff.ts";
import type { DiffReply, DiffRequest } from "./diff-pool.ts";

const port = parentPort;
if (!port)
  throw new Error("versions: diff-worker.ts runs only as a worker thread");

port.on("message", ({ id, a, b }: DiffRequest) => {
  // diffStatements reads the title and body only.
  const diff = diffStatements(a as Statement, b as Statement);
  port.postMessage({ id, diff } satisfies DiffReply);
});
port.postMessage({ id: 0 } satisfies DiffReply);
