import { Worker } from "node:worker_threads";
import { workerScript } from "../../../runtime/worker-script.ts";
import { readSections } from "./sections.ts";

/**
 * Files from this size on have their checksum worked out in a worker thread while this one
 * reads and decodes them. At 100,000 statements the checksum was 2.1 s of a 13 s start, and
 * it read 586 MB of bodies that the start itself never needs. A smaller file is checked where
 * it is read: a worker costs more to start than the checksum of a few megabytes.
 */
export const checksumLimits = { asideBytes: 64 << 20 };

/** The checksum of a file of sections, as `readSections` works it out, from another thread. */
export function checksumAside(file: string): Promise<number> {
  const { script, eval: isEval } = workerScript(
    import.meta.url,
    "checksum-worker",
  );
  const inHere = () =>
    readSections(file, { leave: "all" }).then(({ crc32 }) => crc32);
  return new Promise<number>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(script, { eval: isEval, workerData: { file } });
    } catch {
      // No thread to be had (a resource limit): the checksum is worked out here instead.
      return void inHere().then(resolve, reject);
    }
    let answered = false;
    worker.once("message", (reply: { crc32?: number; error?: string }) => {
      answered = true;
      if (reply.error !== undefined) reject(new Error(reply.error));
      else resolve(reply.crc32!);
    });
    // A worker that fails or stops without an answer says nothing of the file.
    worker.once("error", () => {
      if (!answered) ((answered = true), void inHere().then(resolve, reject));
    });
    worker.once("exit", () => {
      if (!answered) ((answered = true), void inHere().then(resolve, reject));
    });
  });
}
