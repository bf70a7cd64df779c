import type { Measurement } from "./measurement.ts";
import { build } from "./measurements/build.ts";
import { http } from "./measurements/http.ts";
import { load } from "./measurements/load.ts";
import { start } from "./measurements/start.ts";

/**
 * Every measurement of `npm run bench`, in the order they run on each corpus and appear in
 * the report. To add one, write a module in measurements/ that exports a `Measurement` and
 * list it here: `--only`, `--help`, the report and the failure list pick it up.
 */
// Each keeps its own record type (method parameters make `Measurement<R>` one of these).
export const measurements: readonly Measurement<unknown>[] = [
  build,
  start,
  http,
  load,
];
