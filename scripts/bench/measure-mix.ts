/** Worker: reads a data folder and reports its statement count and its query mix. */
import { loadStatements } from "../../src/ingest/load.ts";
import { report } from "./child.ts";
import { deriveMix } from "./mix.ts";

const dir = process.argv[2]!;
const { statements, problems } = await loadStatements(dir);
report({
  statements: statements.length,
  problems: problems.length,
  mix: deriveMix(statements),
});
