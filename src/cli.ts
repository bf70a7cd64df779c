import { checkArchive } from "./cli/check.ts";
import { usage } from "./cli/help.ts";
import { searchArchive } from "./cli/search.ts";
import { serveArchive } from "./cli/serve.ts";
import {
  ConfigError,
  loadConfig,
  splitCommand,
  type Command,
  type Config,
} from "./config.ts";

const commands: Record<Command, (config: Config) => Promise<number>> = {
  serve: serveArchive,
  search: searchArchive,
  check: checkArchive,
};

async function main(
  argv: string[],
  env: Record<string, string | undefined>,
): Promise<number> {
  let invocation;
  try {
    const { command, named, args } = splitCommand(argv);
    invocation = { command, named, config: loadConfig(args, env, command) };
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  const { command, named, config } = invocation;
  if (config.help) {
    console.log(named ? usage[command] : usage.readout);
    return 0;
  }
  return commands[command](config);
}

// `readout search … | head` closes the pipe before the output ends: not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

const code = await main(process.argv.slice(2), process.env);
if (code !== 0) process.exit(code);
