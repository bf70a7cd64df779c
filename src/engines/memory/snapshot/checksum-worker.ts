import { parentPort, workerData } from "node:worker_threads";
import { readSections } from "./sections.ts";

/** A saved index's checksum, worked out beside the thread that reads it (see checksum.ts). */
const { file } = workerData as { file: string };
readSections(file, { leave: "all" }).then(
  ({ crc32 }) => parentPort!.postMessage({ crc32 }),
  (err: Error) => parentPort!.postMessage({ error: err.message }),
);
