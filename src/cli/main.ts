import { loadConfig, splitCommand, type Config } from "../runtime/config.ts";
import { ConfigError } from "../runtime/option-values.ts";
import type { Command } from "../runtime/options.ts";
import { usage } from "./help.ts";
import { writeLine, type Io } from "./io.ts";

// Each command is loaded when it runs: `search` and `check` then never load Express and the
// web layer, a third of the CPU time of a short search (0.35 s → 0.23 s).
const commands: Record<Command, (config: Config, io: Io) => Promise<number>> = {
  serve: async (config, io) =>
    (await import("./serve.ts")).serveArchive(config, io),
  search: async (config, io) =>
    (await import("./search.ts")).searchArchive(config, io),
  check: async (config, io) =>
    (await import("./check.ts")).checkArchive(config, io),
  import: async (config, io) =>
    (await import("./pg.ts")).importArchive(config, io),
  pg: async (config, io) => (await import("./pg.ts")).pgCluster(config, io),
  user: async (config, io) =>
    (await import("./user.ts")).userCommand(config, io),
  saved: async (config, io) =>
    (await import("./saved.ts")).savedCommand(config, io),
};

/**
 * Runs `readout …` with these arguments and environment, writing to `io`; resolves with the
 * exit code (2 for a bad option, as config errors name the option and the value).
 */
export async function main(
  argv: string[],
  env: Record<string, string | undefined>,
  io: Io,
): Promise<number> {
  let invocation;
  try {
    const { command, named, args } = splitCommand(argv);
    invocation = { command, named, config: loadConfig(args, env, command) };
  } catch (err) {
    if (err instanceof ConfigError) {
      writeLine(io.err, err.message);
      return 2;
    }
    throw err;
  }
  const { command, named, config } = invocation;
  if (config.help) {
    writeLine(io.out, named ? usage[command] : usage.readout);
    return 0;
  }
  return commands[command](config, io);
}
