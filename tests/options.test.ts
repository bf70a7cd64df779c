import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  optionCells,
  README,
  readmeCells,
} from "../scripts/tools/options-table.ts";
import { usage } from "../src/cli/help.ts";
import { loadConfig } from "../src/runtime/config.ts";
import {
  COMMANDS,
  envWords,
  flagWords,
  OPTIONS,
  optionsOf,
} from "../src/runtime/options.ts";

describe("the options table", () => {
  it("is the README's table of options, cell for cell (npm run readme:options rewrites it)", () => {
    expect(readmeCells(readFileSync(README, "utf8"))).toEqual(optionCells());
  });

  it("gives each command's --help a line for each of its options, with its variable", () => {
    for (const command of COMMANDS) {
      const lines = usage[command].split("\n");
      for (const row of optionsOf(command)) {
        const at = lines.findIndex((l) =>
          `${l} `.startsWith(`  ${flagWords(row)} `),
        );
        expect(at, `${command}: ${flagWords(row)}`).toBeGreaterThan(-1);
        if (row.env)
          expect(lines.slice(at, at + 3).join("\n")).toContain(envWords(row));
      }
    }
  });

  it("reads a switch's variable as its flag", () => {
    for (const row of OPTIONS.filter((o) => o.env && !o.arg)) {
      const command = row.commands[0]!;
      const byFlag = loadConfig([`--${row.flag}`], {}, command);
      const byEnv = loadConfig([], { [row.env!]: "1" }, command);
      const off = loadConfig([], { [row.env!]: "0" }, command);
      expect(byEnv[row.key], row.env).toEqual(byFlag[row.key]);
      // `0` is the switch's opposite: the default for a switch that is off unless given, off
      // for one that is on by default (`READOUT_ENTITIES=0`).
      expect(off[row.key], row.env).toEqual(!(row.sets ?? true));
      if (row.default === false) expect(off[row.key], row.env).toBe(false);
      expect(() => loadConfig([], { [row.env!]: "maybe" }, command)).toThrow(
        `config: ${row.env} must be 1 or 0, got "maybe"`,
      );
    }
  });

  it("counts an empty variable as unset", () => {
    expect(loadConfig([], { READOUT_PORT: "", READOUT_DATA: "" })).toEqual(
      loadConfig([], {}),
    );
  });

  it("reads the query cache's size, naming a bad one", () => {
    expect(loadConfig([], { READOUT_QUERY_CACHE: "0" }).queryCache).toBe(0);
    expect(loadConfig(["--query-cache", "12"], {}).queryCache).toBe(12);
    expect(loadConfig([], {}).queryCache).toBeUndefined();
    expect(() => loadConfig([], { READOUT_QUERY_CACHE: "-1" })).toThrow(
      'config: READOUT_QUERY_CACHE must be a whole number from 0 to 100000, got "-1"',
    );
  });
});
