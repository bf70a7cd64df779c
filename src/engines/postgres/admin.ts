/**
 * What the command line does to PostgreSQL besides searching: start and stop a local
 * cluster, and import a data folder. The one entry `cli/` reaches the engine's tools by, so
 * the modules behind it can change without the commands knowing.
 */
import {
  importFolder,
  type ImportOptions,
  type ImportSummary,
} from "./import.ts";
import { Shards } from "./shards.ts";
import { parseSpec } from "./spec.ts";

export { startCluster, stopCluster, specLine, StopFailed } from "./cluster.ts";
export { maskUrl } from "./spec.ts";
export type { ImportOptions, ImportSummary } from "./import.ts";

/** Imports `dir` into the servers of `spec` (`--pg`), as the writer role, and lets them go. */
export async function importInto(
  spec: string,
  dir: string,
  options: ImportOptions,
): Promise<ImportSummary> {
  const shards = new Shards(parseSpec(spec), "readout_writer", 2);
  try {
    return await importFolder(shards, dir, options);
  } finally {
    await shards.close();
  }
}
