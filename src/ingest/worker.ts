/**
 * A parsing worker: reads the files the pool hands it, one at a time, and posts back their
 * statements and problems. It runs under tsx (development, tests) or as compiled JavaScript;
 * the pool starts it either way.
 */
import { parentPort } from "node:worker_threads";
import { readDataFile, type ReadTask } from "./read.ts";
import type { WorkerReply } from "./pool.ts";

const port = parentPort;
if (!port) throw new Error("ingest: worker.ts runs only as a worker thread");
const post = (reply: WorkerReply) => port.postMessage(reply);

port.on("message", (task: ReadTask & { id: number }) => {
  void readDataFile(task, (statements, ocrPages) =>
    post({ id: task.id, type: "progress", statements, ocrPages }),
  ).then((result) => post({ id: task.id, type: "done", result }));
});
post({ id: 0, type: "ready" });
